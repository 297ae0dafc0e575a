import { redirect } from "next/navigation";
import { SignInForm } from "@/components/auth/sign-in-form";
import { entraSignInEnabled } from "@/lib/auth/auth-options";
import { sessionUser } from "@/lib/auth/current-user";

export const dynamic = "force-dynamic";

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ error?: string }> }) {
  if (await sessionUser()) redirect("/connectors");
  const { error } = await searchParams;
  return (
    <main className="flex min-h-screen items-center justify-center p-6">
      <div className="w-full max-w-sm rounded-lg border border-slate-200 bg-white p-8 shadow-sm">
        <h1 className="mb-1 text-xl font-semibold">ICE Chat Connector</h1>
        <p className="mb-6 text-sm text-slate-600">Sign in to manage your ICE Chat connectors.</p>
        <SignInForm
          entraEnabled={entraSignInEnabled()}
          initialError={error ? "Sign-in failed or your account is not allowed here." : undefined}
        />
      </div>
    </main>
  );
}
