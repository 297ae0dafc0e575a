// Runs once when the Next.js server starts (Node runtime only).
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { checkConfiguration } = await import("./instrumentation-node");
    checkConfiguration();
  }
}
