import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { parseEnv } from "@/lib/env-schema";

const good = {
  DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/ice",
  REDIS_URL: "redis://127.0.0.1:6379",
  APP_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
  NEXTAUTH_SECRET: randomBytes(32).toString("base64"),
  NEXTAUTH_URL: "http://localhost:3000",
};

describe("parseEnv", () => {
  it("accepts a complete configuration and applies defaults", () => {
    const env = parseEnv(good);
    expect(env.SFTP_ALLOWED_PORTS).toEqual([22]);
    expect(env.SFTP_ALLOW_PRIVATE_NETWORKS).toBe(false);
    expect(env.APP_ENCRYPTION_PREVIOUS_KEYS).toEqual([]);
  });

  it.each(Object.keys(good))("names %s in one line when it is missing", (name) => {
    const raw: Record<string, string> = { ...good };
    delete raw[name];
    expect(() => parseEnv(raw)).toThrow(new RegExp(`^Invalid configuration: ${name} is missing`));
  });

  it("treats an empty value as missing", () => {
    expect(() => parseEnv({ ...good, DATABASE_URL: "" })).toThrow(/DATABASE_URL is missing/);
  });

  it.each([
    ["APP_ENCRYPTION_KEY", "too-short"],
    ["APP_ENCRYPTION_KEY", randomBytes(16).toString("base64")],
    ["DATABASE_URL", "mysql://x"],
    ["REDIS_URL", "http://x"],
    ["NEXTAUTH_SECRET", "short"],
    ["NEXTAUTH_URL", "not a url"],
    ["SFTP_ALLOWED_PORTS", "22,abc"],
    ["SFTP_ALLOWED_PORTS", "70000"],
    ["APP_ENCRYPTION_PREVIOUS_KEYS", "nope"],
    ["GRAPH_IMPORT_METHOD", "mime"],
    ["GRAPH_IMPORT_METHOD", "importmime"],
  ])("rejects malformed %s=%s naming the variable", (name, value) => {
    expect(() => parseEnv({ ...good, [name]: value })).toThrow(new RegExp(`^Invalid configuration: ${name} `));
  });

  it("reads the Graph import method: unset (the JSON default), json or importMime", () => {
    expect(parseEnv(good).GRAPH_IMPORT_METHOD).toBeUndefined();
    expect(parseEnv({ ...good, GRAPH_IMPORT_METHOD: "" }).GRAPH_IMPORT_METHOD).toBeUndefined();
    expect(parseEnv({ ...good, GRAPH_IMPORT_METHOD: "json" }).GRAPH_IMPORT_METHOD).toBe("json");
    expect(parseEnv({ ...good, GRAPH_IMPORT_METHOD: "importMime" }).GRAPH_IMPORT_METHOD).toBe("importMime");
  });

  it("requires the Entra ID variables together", () => {
    expect(() => parseEnv({ ...good, AZURE_AD_CLIENT_ID: "x" })).toThrow(/AZURE_AD_CLIENT_ID.*together/);
    expect(parseEnv({ ...good, AZURE_AD_CLIENT_ID: "x", AZURE_AD_TENANT_ID: "t", AZURE_AD_CLIENT_SECRET: "s" }).AZURE_AD_CLIENT_ID).toBe("x");
  });

  it("never echoes a secret value in the error", () => {
    const key = "c2VjcmV0LXNlY3JldC1zZWNyZXQ=";
    try {
      parseEnv({ ...good, APP_ENCRYPTION_KEY: key });
      expect.unreachable();
    } catch (err) {
      expect(String(err)).not.toContain(key);
    }
  });
});
