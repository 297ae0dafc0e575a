import "server-only";
import type { NextAuthOptions } from "next-auth";
import AzureADProvider from "next-auth/providers/azure-ad";
import CredentialsProvider from "next-auth/providers/credentials";
import { appendAudit } from "@/lib/audit/append-audit";
import { verifyCredentials } from "@/lib/auth/verify-credentials";
import { db } from "@/lib/db";
import { env } from "@/lib/env";

// Sessions are JWTs carrying only the user id: the role is read from the database on
// every request (lib/auth/current-user.ts), so a demoted user loses access at once.
const SESSION_MAX_AGE_SECONDS = 8 * 60 * 60;

let options: NextAuthOptions | undefined;

export function authOptions(): NextAuthOptions {
  options ??= buildAuthOptions();
  return options;
}

export function entraSignInEnabled(): boolean {
  return Boolean(env().AZURE_AD_CLIENT_ID);
}

function buildAuthOptions(): NextAuthOptions {
  const e = env();
  const providers: NextAuthOptions["providers"] = [
    CredentialsProvider({
      id: "credentials",
      name: "E-mail and password",
      credentials: { email: { label: "E-mail", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(credentials) {
        const user = await verifyCredentials(db(), String(credentials?.email ?? ""), String(credentials?.password ?? ""));
        return user ? { id: user.id, email: user.email, name: user.name } : null;
      },
    }),
  ];
  if (e.AZURE_AD_CLIENT_ID && e.AZURE_AD_CLIENT_SECRET && e.AZURE_AD_TENANT_ID) {
    providers.push(
      AzureADProvider({ clientId: e.AZURE_AD_CLIENT_ID, clientSecret: e.AZURE_AD_CLIENT_SECRET, tenantId: e.AZURE_AD_TENANT_ID }),
    );
  }
  return {
    secret: e.NEXTAUTH_SECRET,
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
    pages: { signIn: "/signin", error: "/signin" },
    providers,
    callbacks: {
      async signIn({ user, account }) {
        if (account?.provider !== "azure-ad") return true;
        // Entra ID proves who the person is; whether they may use this app, and with
        // which role, is decided here: only existing, enabled accounts get in.
        const email = String(user.email ?? "").trim().toLowerCase();
        const local = email ? await db().user.findUnique({ where: { email } }) : null;
        if (!local || local.disabled) {
          await appendAudit(db(), {
            actor: { id: local?.id ?? null, label: email || "(no e-mail claim)" },
            action: "auth.sign_in_failed",
            details: { method: "entra_id", reason: local ? "disabled" : "unknown_user" },
          });
          return false;
        }
        user.id = local.id;
        await db().user.update({ where: { id: local.id }, data: { lastSignInAt: new Date() } });
        await appendAudit(db(), { actor: { id: local.id, label: email }, action: "auth.signed_in", targetType: "User", targetId: local.id, details: { method: "entra_id" } });
        return true;
      },
      async jwt({ token, user }) {
        if (user?.id) token.sub = user.id;
        return token;
      },
      async session({ session, token }) {
        if (session.user) (session.user as { id?: string }).id = token.sub;
        return session;
      },
    },
  };
}
