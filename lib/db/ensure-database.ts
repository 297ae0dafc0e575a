import { Client } from "pg";

/** Creates the database named in the URL when it does not exist yet (idempotent). */
export async function ensureDatabase(databaseUrl: string): Promise<boolean> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.replace(/^\//, ""));
  if (!/^[A-Za-z0-9_-]+$/.test(name)) throw new Error(`Refusing to create database with unusual name "${name}"`);
  url.pathname = "/postgres";
  const admin = new Client({ connectionString: url.toString() });
  await admin.connect();
  try {
    const { rowCount } = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (rowCount) return false;
    await admin.query(`CREATE DATABASE "${name}"`).catch((err: { code?: string }) => {
      // Another process created it between our check and CREATE.
      if (err.code !== "42P04") throw err;
    });
    return true;
  } finally {
    await admin.end();
  }
}
