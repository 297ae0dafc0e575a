import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect, type APIRequestContext, type Page } from "@playwright/test";

export const ROOT = path.resolve(__dirname, "..", "..");

/** Signs in through the real form. */
export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto("/signin");
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

/** Signs an API context in through next-auth's own CSRF-protected credentials endpoint. */
export async function signInApi(request: APIRequestContext, email: string, password: string): Promise<void> {
  const { csrfToken } = (await (await request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const res = await request.post("/api/auth/callback/credentials", {
    form: { csrfToken, email, password, json: "true" },
    maxRedirects: 0,
  });
  expect(res.status()).toBeLessThan(400);
  const session = (await (await request.get("/api/auth/session")).json()) as { user?: { email?: string } };
  expect(session.user?.email).toBe(email);
}

function walk(dir: string, file: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(path.join(dir, e.name), file) : e.name === file ? [path.join(dir, e.name)] : [],
  );
}

/** Turns app/(group)/a/[id]/page.tsx into /a/<sample>, dropping route groups. */
function toUrl(file: string, sample: string): string {
  const rel = path.relative(path.join(ROOT, "app"), path.dirname(file));
  const parts = rel
    .split(path.sep)
    .filter((p) => p && !/^\(.*\)$/.test(p) && !p.startsWith("_"))
    .map((p) => (/^\[\[?\.\.\./.test(p) ? "x" : /^\[.*\]$/.test(p) ? sample : p));
  return "/" + parts.join("/");
}

export interface RouteFile {
  file: string;
  url: string;
  methods: string[];
}

const SAMPLE_ID = "00000000-0000-4000-8000-000000000000";

/** Every API route file and the HTTP methods it exports, read from the source tree. */
export function apiRoutes(): RouteFile[] {
  return walk(path.join(ROOT, "app", "api"), "route.ts").map((file) => {
    const src = readFileSync(file, "utf8");
    const methods = new Set<string>();
    for (const m of src.matchAll(/export\s+(?:const|async\s+function|function)\s+(GET|POST|PUT|PATCH|DELETE)\b/g)) methods.add(m[1]!);
    for (const m of src.matchAll(/export\s*\{([^}]*)\}/g)) {
      for (const name of m[1]!.matchAll(/\bas\s+(GET|POST|PUT|PATCH|DELETE)\b|^\s*(GET|POST|PUT|PATCH|DELETE)\s*$/gm)) methods.add((name[1] ?? name[2])!);
    }
    return { file: path.relative(ROOT, file), url: toUrl(file, SAMPLE_ID), methods: [...methods] };
  });
}

/** Every page, as a URL with sample dynamic segments. */
export function pageUrls(): string[] {
  return walk(path.join(ROOT, "app"), "page.tsx").map((f) => toUrl(f, SAMPLE_ID));
}
