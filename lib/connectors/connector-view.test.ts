import { describe, expect, it } from "vitest";
import { deriveConnectorStatus, nextRunAt, toConnectorView } from "@/lib/connectors/connector-view";
import { bucketByDay } from "@/lib/connectors/daily-imports";
import type { Connector, ConnectorAlert, ImportRun } from "@/lib/generated/prisma/client";

const connector = (overrides: Partial<Connector> = {}): Connector => ({
  id: "00000000-0000-4000-8000-000000000001",
  name: "Acme",
  nameKey: "acme",
  firmCode: "ACME01",
  sftpHost: "sftp.example.com",
  sftpPort: 22,
  remoteDirectory: "/",
  keyMode: "PLATFORM",
  hostKeyFingerprint: null,
  hostKeyAlgorithm: null,
  autoMapping: true,
  dailyItemLimit: 200000,
  scheduleTime: "02:30",
  lookbackHours: 24,
  destination: "LOCAL_ARCHIVE",
  state: "ACTIVE",
  secretsDataKey: "wrapped-data-key",
  passwordEnc: "sealed-password",
  pgpPrivateKeyEnc: null,
  pgpPassphraseEnc: null,
  sshPrivateKeyEnc: "sealed-ssh",
  sshPassphraseEnc: null,
  termsAcceptedAt: null,
  createdById: null,
  createdAt: new Date("2026-01-01T00:00:00Z"),
  updatedAt: new Date("2026-01-01T00:00:00Z"),
  deletedAt: null,
  ...overrides,
});

const run = (status: ImportRun["status"]): ImportRun =>
  ({
    id: "00000000-0000-4000-8000-000000000002", connectorId: "00000000-0000-4000-8000-000000000001", trigger: "MANUAL", status,
    activeRunKey: null, requestedById: null, windowFrom: null, windowTo: null, scheduledFor: null, limitApproved: false, attempts: 1, currentFile: null,
    queuedAt: new Date("2026-01-02T00:00:00Z"), startedAt: null, finishedAt: null, heartbeatAt: null,
    filesFound: 0, filesProcessed: 0, filesFailed: 0, itemsFromSource: 0, itemsForImport: 0, itemsProcessed: 0, imported: 0, partiallyImported: 0,
    skippedDuplicate: 0, failedUserMapping: 1, failedTooLarge: 2, failedDestination: 3, failedOther: 4, message: null, error: null,
  }) as ImportRun;

const alert = (kind: ConnectorAlert["kind"]): ConnectorAlert => ({ id: "a", connectorId: "c", kind, message: "m", createdAt: new Date(), resolvedAt: null });

describe("nextRunAt", () => {
  it("is later today when the time has not passed, tomorrow otherwise (UTC)", () => {
    expect(nextRunAt("02:30", new Date("2026-03-10T01:00:00Z"))?.toISOString()).toBe("2026-03-10T02:30:00.000Z");
    expect(nextRunAt("02:30", new Date("2026-03-10T02:30:00Z"))?.toISOString()).toBe("2026-03-11T02:30:00.000Z");
    expect(nextRunAt("23:59", new Date("2026-12-31T23:59:30Z"))?.toISOString()).toBe("2027-01-01T23:59:00.000Z");
  });
  it("refuses malformed times instead of inventing one", () => {
    expect(nextRunAt("25:00", new Date())).toBeNull();
    expect(nextRunAt("2:30", new Date())).toBeNull();
    expect(nextRunAt("", new Date())).toBeNull();
  });
});

describe("deriveConnectorStatus", () => {
  const base = { connector: connector(), lastRun: null, activeRun: null, openAlerts: [] };
  it("covers every status", () => {
    expect(deriveConnectorStatus(base)).toBe("Active");
    expect(deriveConnectorStatus({ ...base, connector: connector({ state: "PAUSED" }) })).toBe("Paused");
    expect(deriveConnectorStatus({ ...base, activeRun: run("RUNNING") })).toBe("Running");
    expect(deriveConnectorStatus({ ...base, lastRun: run("FAILED") })).toBe("Error");
    expect(deriveConnectorStatus({ ...base, openAlerts: [alert("HOST_KEY_MISMATCH")] })).toBe("Error");
    expect(deriveConnectorStatus({ ...base, openAlerts: [alert("MISSED_DAY")] })).toBe("Active");
    expect(deriveConnectorStatus({ ...base, lastRun: run("LIMIT_EXCEEDED") })).toBe("Limit exceeded");
    expect(deriveConnectorStatus({ ...base, lastRun: run("SUCCEEDED") })).toBe("Active");
  });
});

describe("toConnectorView", () => {
  it("reduces secrets to flags and never copies a secret column", () => {
    const view = toConnectorView({ connector: connector(), mappingRows: 3, lastRun: run("SUCCEEDED"), activeRun: null, openAlerts: [], now: new Date("2026-03-10T03:00:00Z") });
    const json = JSON.stringify(view);
    for (const secret of ["wrapped-data-key", "sealed-password", "sealed-ssh"]) expect(json).not.toContain(secret);
    expect(view).toMatchObject({ hasPassword: true, hasSshPrivateKey: true, hasPgpPrivateKey: false, keyMode: "platform", state: "active", mappingRows: 3 });
    expect(view.nextRunAt).toBe("2026-03-11T02:30:00.000Z");
    expect(view.lastRun?.failed).toEqual({ userMapping: 1, tooLarge: 2, destination: 3, other: 4, total: 10 });
  });
  it("has no next run while paused", () => {
    expect(toConnectorView({ connector: connector({ state: "PAUSED" }), mappingRows: 0, lastRun: null, activeRun: null, openAlerts: [] }).nextRunAt).toBeNull();
  });
});

describe("bucketByDay", () => {
  it("zero-fills every day and counts partial imports, ignoring runs outside the window", () => {
    const first = Date.UTC(2026, 0, 1);
    const days = bucketByDay(
      [
        { finishedAt: new Date("2026-01-01T23:59:59Z"), imported: 5, partiallyImported: 1 },
        { finishedAt: new Date("2026-01-03T00:00:00Z"), imported: 2, partiallyImported: 0 },
        { finishedAt: new Date("2026-01-03T10:00:00Z"), imported: 1, partiallyImported: 1 },
        { finishedAt: new Date("2026-01-04T00:00:00Z"), imported: 100, partiallyImported: 0 },
        { finishedAt: null, imported: 100, partiallyImported: 0 },
      ],
      first,
      3,
    );
    expect(days).toEqual([
      { date: "2026-01-01", imported: 6 },
      { date: "2026-01-02", imported: 0 },
      { date: "2026-01-03", imported: 4 },
    ]);
  });
});
