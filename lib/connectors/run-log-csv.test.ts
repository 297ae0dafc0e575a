import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import type { RunDetailView } from "@/lib/connectors/api-schemas";
import { buildRunLogCsv, runLogFileName } from "@/lib/connectors/run-log-csv";

function detail(overrides: Partial<RunDetailView> = {}): RunDetailView {
  return {
    id: "11111111-2222-4333-8444-555555555555",
    connectorId: "66666666-7777-4888-8999-000000000000",
    trigger: "MANUAL",
    status: "PARTIALLY_SUCCEEDED",
    queuedAt: "2026-01-02T03:04:05.000Z",
    startedAt: "2026-01-02T03:04:06.000Z",
    finishedAt: null,
    windowFrom: null,
    windowTo: null,
    limitApproved: false,
    attempts: 1,
    currentFile: null,
    filesFound: 2,
    filesProcessed: 1,
    filesFailed: 1,
    itemsFromSource: 10,
    itemsForImport: 12,
    itemsProcessed: 12,
    imported: 9,
    partiallyImported: 1,
    skippedDuplicate: 0,
    failed: { userMapping: 1, tooLarge: 1, destination: 0, other: 0, total: 2 },
    message: null,
    error: null,
    failedItems: [],
    failedItemsTotal: 0,
    unmappedParticipants: [],
    partialItems: [],
    files: [],
    ...overrides,
  };
}

const cells = (csv: string) => parse(csv.replace(/^\uFEFF/, ""), { relax_column_count: false }) as string[][];

describe("buildRunLogCsv", () => {
  it("writes the summary counters and one row per failed item, unmapped user, partial item and file", () => {
    const csv = buildRunLogCsv(
      detail({
        failedItems: [{ itemId: "item-1", conversationId: "c1", sourceImId: "jdoe", mailbox: "a@b.example", reason: "USER_MAPPING", detail: "no mailbox", createdAt: "2026-01-02T03:05:00.000Z" }],
        failedItemsTotal: 1,
        unmappedParticipants: [{ imId: "ghost", email: null, reason: "not in mapping" }],
        partialItems: [{ itemKey: "k1", mailbox: "x@y.example", note: "attachment dropped" }],
        files: [{ path: "/out/a.pgp", size: 42, mtime: "2026-01-01T00:00:00.000Z", status: "FAILED", itemCount: null, error: "bad MDC" }],
      }),
      "Acme",
    );
    expect(csv.startsWith("\uFEFF")).toBe(true);
    const rows = cells(csv);
    expect(rows[0]).toEqual(["Record", "Name", "Value", "Mailbox", "Reason", "Detail", "Time"]);
    const byName = new Map(rows.filter((r) => r[0] === "Summary").map((r) => [r[1], r[2]]));
    expect(byName.get("Connector")).toBe("Acme");
    expect(byName.get("Imported")).toBe("9");
    expect(byName.get("Failed: total")).toBe("2");
    expect(byName.get("Finished at")).toBe("");
    expect(rows.find((r) => r[0] === "Failed item")).toEqual(["Failed item", "item-1", "jdoe", "a@b.example", "USER_MAPPING", "no mailbox", "2026-01-02T03:05:00.000Z"]);
    expect(rows.find((r) => r[0] === "Unmapped user")?.[1]).toBe("ghost");
    expect(rows.find((r) => r[0] === "Partially imported")?.[5]).toBe("attachment dropped");
    expect(rows.find((r) => r[0] === "File")).toEqual(["File", "/out/a.pgp", "42", "", "FAILED", "bad MDC", "2026-01-01T00:00:00.000Z"]);
  });

  it("neutralises spreadsheet formulas from hostile source values", () => {
    const hostile = '=HYPERLINK("http://x")';
    const csv = buildRunLogCsv(
      detail({
        failedItems: [{ itemId: hostile, conversationId: null, sourceImId: "+cmd|' /C calc'!A0", mailbox: "@SUM(1+1)", reason: "SOURCE_ERROR", detail: "-2+3", createdAt: "2026-01-02T03:05:00.000Z" }],
        unmappedParticipants: [{ imId: "\t=1+1", email: null, reason: "r" }],
      }),
      "=evil()",
    );
    const rows = cells(csv);
    for (const row of rows) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    const failed = rows.find((r) => r[0] === "Failed item")!;
    expect(failed[1]).toBe(`'${hostile}`);
    expect(failed[3]).toBe("'@SUM(1+1)");
    expect(rows.find((r) => r[1] === "Connector")?.[2]).toBe("'=evil()");
  });

  it("keeps commas, quotes and newlines inside one cell", () => {
    const rows = cells(buildRunLogCsv(detail({ message: 'a, "b"\nc' }), "A"));
    expect(rows.find((r) => r[1] === "Message")?.[2]).toBe('a, "b"\nc');
  });
});

describe("runLogFileName", () => {
  it("is a safe, dated file name", () => {
    expect(runLogFileName(detail())).toBe("ice-chat-run-2026-01-02-11111111.csv");
  });
});
