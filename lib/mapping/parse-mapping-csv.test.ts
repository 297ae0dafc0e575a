import { describe, expect, it } from "vitest";
import { parseMappingCsv, type ParseMappingCsvResult } from "@/lib/mapping/parse-mapping-csv";
import { MAPPING_TEMPLATE_CSV } from "@/lib/mapping/mapping-template";

function expectOk(result: ParseMappingCsvResult) {
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.errors)}`);
  return result;
}

function expectFailure(result: ParseMappingCsvResult) {
  if (result.ok) throw new Error(`expected errors, got ${result.count} rows`);
  return result;
}

describe("parseMappingCsv: good files", () => {
  it("parses a comma file with LF line endings", () => {
    const r = expectOk(parseMappingCsv("ImId,Mailbox\njsmith@ice.acme,John.Smith@Contoso.example\nalee@ice.broker,ann.lee@contoso.example\n"));
    expect(r.count).toBe(2);
    expect(r.delimiter).toBe(",");
    expect(r.rows).toEqual([
      { imId: "jsmith@ice.acme", mailbox: "john.smith@contoso.example", line: 2 },
      { imId: "alee@ice.broker", mailbox: "ann.lee@contoso.example", line: 3 },
    ]);
    expect(r.preview).toEqual(r.rows);
  });

  it("parses a semicolon file with BOM, CRLF and case-insensitive, padded headers", () => {
    const csv = "\uFEFF imid ; MAILBOX \r\njsmith@ice.acme;john@contoso.example\r\n\r\nalee@ice.broker ; ann@contoso.example\r\n";
    const r = expectOk(parseMappingCsv(Buffer.from(csv, "utf8")));
    expect(r.delimiter).toBe(";");
    expect(r.rows).toEqual([
      { imId: "jsmith@ice.acme", mailbox: "john@contoso.example", line: 2 },
      { imId: "alee@ice.broker", mailbox: "ann@contoso.example", line: 4 },
    ]);
  });

  it("accepts columns in the other order, quoted cells, mixed line endings and no final newline", () => {
    const r = expectOk(parseMappingCsv('"Mailbox","ImId"\r\n"john@contoso.example","jsmith@ice.acme"\nann@contoso.example,alee@ice.broker'));
    expect(r.rows.map((x) => [x.imId, x.mailbox, x.line])).toEqual([
      ["jsmith@ice.acme", "john@contoso.example", 2],
      ["alee@ice.broker", "ann@contoso.example", 3],
    ]);
  });

  it("skips blank and delimiter-only lines", () => {
    const r = expectOk(parseMappingCsv("ImId,Mailbox\n\n,\n   \njsmith@ice.acme,john@contoso.example\n\n"));
    expect(r.rows).toEqual([{ imId: "jsmith@ice.acme", mailbox: "john@contoso.example", line: 5 }]);
  });

  it("maps two ImIds to one mailbox (one person, two ICE ids)", () => {
    const r = expectOk(parseMappingCsv("ImId,Mailbox\na@ice.acme,x@contoso.example\nb@ice.acme,X@contoso.example\n"));
    expect(r.rows.map((x) => x.mailbox)).toEqual(["x@contoso.example", "x@contoso.example"]);
  });

  it("limits the preview but returns every row", () => {
    const lines = ["ImId,Mailbox"];
    for (let i = 0; i < 50; i++) lines.push(`u${i}@ice.acme,m${i}@contoso.example`);
    const r = expectOk(parseMappingCsv(lines.join("\n"), { previewRows: 5 }));
    expect(r.count).toBe(50);
    expect(r.rows).toHaveLength(50);
    expect(r.preview.map((x) => x.line)).toEqual([2, 3, 4, 5, 6]);
  });

  it("accepts the downloadable template", () => {
    const r = expectOk(parseMappingCsv(MAPPING_TEMPLATE_CSV));
    expect(r.count).toBe(2);
    expect(MAPPING_TEMPLATE_CSV.startsWith("ImId,Mailbox\r\n")).toBe(true);
  });
});

describe("parseMappingCsv: per-line errors", () => {
  it("reports every bad row with its line, and never returns rows as applied", () => {
    const csv = [
      "ImId,Mailbox", // 1
      "jsmith@ice.acme,john@contoso.example", // 2 ok
      "not-an-id,ann@contoso.example", // 3 bad ImId
      "alee@ice.broker,John Smith <john@contoso.example>", // 4 display name
      "JSMITH@ICE.ACME,other@contoso.example", // 5 duplicate (case-insensitive)
      "", // 6 empty, skipped
      "b@ice.acme,", // 7 empty mailbox
      ",c@contoso.example", // 8 empty ImId
      "c@ice.acme,c@contoso.example,extra", // 9 too many columns
      "d@ice.acme", // 10 too few columns
      "e@ice.acme,e@contoso.example", // 11 ok
    ].join("\n");
    const r = expectFailure(parseMappingCsv(csv));
    expect(r.errors.map((e) => e.line)).toEqual([3, 4, 5, 7, 8, 9, 10]);
    expect(r.errors[0]?.message).toMatch(/ImId "not-an-id"/);
    expect(r.errors[1]?.message).toMatch(/display name/);
    expect(r.errors[2]?.message).toMatch(/listed twice \(first on line 2\)/);
    expect(r.errors[3]?.message).toBe("Mailbox is empty.");
    expect(r.errors[4]?.message).toBe("ImId is empty.");
    expect(r.errors[5]?.message).toMatch(/Expected 2 columns.*found 3/);
    expect(r.errors[6]?.message).toMatch(/found 1/);
    expect(r.errorCount).toBe(7);
    expect(r.validCount).toBe(2);
    expect(r.rowsPreview.map((x) => x.line)).toEqual([2, 11]);
    expect(r.delimiter).toBe(",");
  });

  it("reports a row with two problems twice on the same line", () => {
    const r = expectFailure(parseMappingCsv("ImId,Mailbox\nbad,also bad\n"));
    expect(r.errors.map((e) => e.line)).toEqual([2, 2]);
  });

  it("counts a multi-line quoted row from the line it starts on", () => {
    const r = expectFailure(parseMappingCsv('ImId,Mailbox\n\n"a\nb@ice.acme",x@contoso.example\nc@ice.acme,bad\n'));
    expect(r.errors.map((e) => e.line)).toEqual([3, 5]);
  });

  it("caps the returned errors but counts all of them", () => {
    const lines = ["ImId,Mailbox"];
    for (let i = 0; i < 30; i++) lines.push(`bad${i},m${i}@contoso.example`);
    const r = expectFailure(parseMappingCsv(lines.join("\n"), { maxReportedErrors: 10 }));
    expect(r.errors).toHaveLength(10);
    expect(r.errorCount).toBe(30);
    expect(r.errors[0]?.line).toBe(2);
  });
});

describe("parseMappingCsv: header problems", () => {
  it("rejects an extra column", () => {
    const r = expectFailure(parseMappingCsv("ImId,Mailbox,Extra\na@ice.acme,a@contoso.example,x\n"));
    expect(r.errors[0]).toEqual({ line: 1, message: 'Unexpected header column "Extra".' });
    expect(r.errors.every((e) => e.line === 1)).toBe(true);
  });

  it("rejects a missing column", () => {
    const r = expectFailure(parseMappingCsv("ImId\na@ice.acme\n"));
    expect(r.errors.some((e) => e.line === 1 && e.message === 'Missing header column "Mailbox".')).toBe(true);
  });

  it("rejects duplicate headers, case-insensitively", () => {
    const r = expectFailure(parseMappingCsv("ImId,imid,Mailbox\na@ice.acme,a@ice.acme,a@contoso.example\n"));
    expect(r.errors.some((e) => e.message === 'Duplicate header column "ImId".')).toBe(true);
  });

  it("rejects near-miss header names (exact names only)", () => {
    const r = expectFailure(parseMappingCsv("IM Id,Mail box\na@ice.acme,a@contoso.example\n"));
    expect(r.errors.map((e) => e.message)).toEqual(
      expect.arrayContaining(['Unexpected header column "IM Id".', 'Missing header column "ImId".', 'Missing header column "Mailbox".']),
    );
  });

  it("rejects a file with data but no header (first row taken as header)", () => {
    const r = expectFailure(parseMappingCsv("a@ice.acme,a@contoso.example\n"));
    expect(r.errors[0]?.line).toBe(1);
    expect(r.errors[0]?.message).toMatch(/Unexpected header column "a@ice.acme"/);
  });

  it("rejects a header-only file", () => {
    const r = expectFailure(parseMappingCsv("ImId,Mailbox\r\n"));
    expect(r.errors).toEqual([{ line: 0, message: "The file has a header but no mapping rows." }]);
    expect(r.validCount).toBe(0);
  });

  it.each([[""], ["\uFEFF"], ["\n\r\n  \n"]])("rejects an empty file %j", (input) => {
    const r = expectFailure(parseMappingCsv(input));
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]?.line).toBe(0);
    expect(r.errors[0]?.message).toMatch(/empty/);
  });
});

describe("parseMappingCsv: hostile input", () => {
  it("treats formula-looking cells as plain data (reported, never evaluated or altered)", () => {
    const r = expectFailure(parseMappingCsv('ImId,Mailbox\n"=HYPERLINK(""http://evil.example"")",a@contoso.example\n+1@ice.acme,=1+1\n'));
    expect(r.errors.map((e) => e.line)).toEqual([2, 3]);
    expect(r.errors[0]?.message).toContain('=HYPERLINK("http://evil.example")');
    expect(r.errors[1]?.message).toContain('Mailbox "=1+1"');
    // A formula-looking but valid address is just an address.
    const ok = expectOk(parseMappingCsv("ImId,Mailbox\n-x@ice.acme,+y@contoso.example\n"));
    expect(ok.rows[0]).toMatchObject({ imId: "-x@ice.acme", mailbox: "+y@contoso.example" });
  });

  it("rejects a file over the size cap before parsing it", () => {
    const big = Buffer.alloc(10 * 1024 * 1024, "a@ice.acme,a@contoso.example\n");
    const r = expectFailure(parseMappingCsv(big));
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]?.line).toBe(0);
    expect(r.errors[0]?.message).toMatch(/10\.0 MiB; the limit is 5\.0 MiB/);
    expect(expectFailure(parseMappingCsv("ImId,Mailbox\n", { maxFileBytes: 5 })).errors[0]?.message).toMatch(/limit is 5 bytes/);
  });

  it("rejects a single field over max_record_size with the line where it starts", () => {
    const r = expectFailure(parseMappingCsv(`ImId,Mailbox\na@ice.acme,a@contoso.example\n${"x".repeat(10_000)}@ice.acme,b@contoso.example\n`));
    expect(r.errors).toEqual([{ line: 3, message: expect.stringMatching(/longer than 4096 characters/) }]);
    expect(r.validCount).toBe(1);
  });

  it("rejects invalid UTF-8", () => {
    const r = expectFailure(parseMappingCsv(Buffer.from([0x49, 0x6d, 0x49, 0x64, 0x2c, 0xff, 0xfe, 0x0a])));
    expect(r.errors).toEqual([{ line: 0, message: expect.stringMatching(/not valid UTF-8/) }]);
    expect(expectFailure(parseMappingCsv("ImId,Mailbox\n\uD800@ice.acme,a@contoso.example")).errors[0]?.message).toMatch(/UTF-8/);
  });

  it("rejects binary garbage", () => {
    const garbage = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256));
    const r = expectFailure(parseMappingCsv(garbage));
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]?.line).toBe(0);
    const nul = expectFailure(parseMappingCsv(Buffer.from("ImId,Mailbox\na@ice.acme\u0000,b@contoso.example\n")));
    expect(nul.errors[0]?.message).toMatch(/binary data/);
  });

  it("reports an unclosed quote at EOF at the line where it opens", () => {
    const r = expectFailure(parseMappingCsv('ImId,Mailbox\na@ice.acme,a@contoso.example\n\nb@ice.acme,"b@contoso.example\nmore\nlines'));
    expect(r.errors).toEqual([{ line: 4, message: expect.stringMatching(/closing quote is missing/) }]);
  });

  it("reports a stray quote inside a value", () => {
    const r = expectFailure(parseMappingCsv('ImId,Mailbox\na@ice.acme,a@contoso.example\nb@ice.acme,b"x@contoso.example\n'));
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]?.line).toBe(3);
  });

  it("keeps the errors found before a structural error", () => {
    const r = expectFailure(parseMappingCsv('ImId,Mailbox\nbad,a@contoso.example\nb@ice.acme,"open'));
    expect(r.errors.map((e) => e.line)).toEqual([2, 3]);
  });

  it("cuts long and control-character values in messages", () => {
    const r = expectFailure(parseMappingCsv(`ImId,Mailbox\n"${"y".repeat(300)}\u0007",a@contoso.example\n`));
    const message = r.errors[0]?.message ?? "";
    expect(message.length).toBeLessThan(200);
    expect(message).not.toContain("\u0007");
  });
});
