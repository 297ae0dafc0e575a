import NextAuth from "next-auth";
import { authOptions } from "@/lib/auth/auth-options";

// next-auth's own endpoints (sign-in, callback, csrf, session); they keep next-auth's CSRF token.
async function handler(req: Request, ctx: { params: Promise<{ nextauth: string[] }> }): Promise<Response> {
  return NextAuth(authOptions())(req, { params: await ctx.params }) as Promise<Response>;
}

export { handler as GET, handler as POST };
