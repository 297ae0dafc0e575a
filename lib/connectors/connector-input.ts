import { z } from "zod";

// What an admin (wizard) or automation (REST API) submits to create a connector. The
// REST API's OpenAPI document is generated from these schemas.

const hostName = z
  .string()
  .trim()
  .min(1, "is required")
  .max(253)
  .regex(/^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$|^\[?[0-9A-Fa-f:.]+\]?$/, "must be a host name or IP address");

export const scheduleTimeSchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be HH:MM (UTC)");

const secret = (max: number) => z.string().max(max);

export const createConnectorSchema = z
  .object({
    name: z.string().trim().min(1, "is required").max(100),
    firmCode: z.string().trim().min(1, "is required").max(64).regex(/^[A-Za-z0-9._-]+$/, "may contain letters, digits, '.', '_' and '-' only"),
    password: secret(1024).optional(),
    sftpHost: hostName,
    sftpPort: z.number().int().min(1).max(65535).default(22),
    keyMode: z.enum(["platform", "own"]),
    pgpPrivateKey: secret(256 * 1024).optional(),
    pgpPassphrase: secret(1024).optional(),
    sshPrivateKey: secret(64 * 1024).optional(),
    sshPassphrase: secret(1024).optional(),
    hostKeyFingerprint: z.string().trim().regex(/^SHA256:[A-Za-z0-9+/]{43}=?$/, "must look like SHA256:… as ssh-keygen -lf prints it").optional(),
    hostKeyAlgorithm: z.string().max(64).optional(),
    remoteDirectory: z.string().trim().min(1).max(1024).startsWith("/", "must be an absolute path").default("/"),
    autoMapping: z.boolean().default(true),
    mappingCsv: z.string().max(5 * 1024 * 1024).optional(),
    dailyItemLimit: z.number().int().min(1).max(100_000_000).default(200_000),
    scheduleTime: scheduleTimeSchema.optional(),
    lookbackHours: z.number().int().min(1).max(24 * 60).default(24),
    destination: z.enum(["graph", "local_archive"]).default("local_archive"),
  })
  .superRefine((v, ctx) => {
    if (v.keyMode === "own") {
      if (!v.pgpPrivateKey) ctx.addIssue({ code: "custom", path: ["pgpPrivateKey"], message: "is required with your own keys" });
      if (!v.sshPrivateKey && !v.password) {
        ctx.addIssue({ code: "custom", path: ["sshPrivateKey"], message: "an SSH private key or a password is required" });
      }
    } else {
      for (const field of ["pgpPrivateKey", "pgpPassphrase", "sshPrivateKey", "sshPassphrase"] as const) {
        if (v[field]) ctx.addIssue({ code: "custom", path: [field], message: "is only used with your own keys (keyMode \"own\")" });
      }
    }
  });

export type CreateConnectorInput = z.input<typeof createConnectorSchema>;
export type ParsedConnectorInput = z.output<typeof createConnectorSchema>;
