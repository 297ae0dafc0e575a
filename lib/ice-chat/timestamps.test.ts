import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { parseTimestamp, tryParseTimestamp } from "./timestamps";

const iso = (raw: string): string | null => tryParseTimestamp(raw)?.toISOString() ?? null;

describe("tryParseTimestamp", () => {
  it.each([
    ["2026-11-22T13:03:40.125Z", "2026-11-22T13:03:40.125Z"],
    ["2026-11-22T13:03:40Z", "2026-11-22T13:03:40.000Z"],
    ["2026-11-22T13:03:40z", "2026-11-22T13:03:40.000Z"],
    ["2026-11-22 13:03:40Z", "2026-11-22T13:03:40.000Z"],
    ["  2026-11-22T13:03:40Z\n", "2026-11-22T13:03:40.000Z"],
    ["2026-11-22T13:03Z", "2026-11-22T13:03:00.000Z"],
    ["2026-11-22", "2026-11-22T00:00:00.000Z"],
    ["2026-11-22T13:03:40.1254567Z", "2026-11-22T13:03:40.125Z"],
    ["2026-11-22T13:03:40,5Z", "2026-11-22T13:03:40.500Z"],
    ["20261122T130340Z", "2026-11-22T13:03:40.000Z"],
  ])("ISO 8601 with zone: %s", (raw, expected) => {
    expect(iso(raw)).toBe(expected);
  });

  it.each([
    ["2026-11-22T13:03:40+01:00", "2026-11-22T12:03:40.000Z"],
    ["2026-11-22T13:03:40-0530", "2026-11-22T18:33:40.000Z"],
    ["2026-11-22T01:00:00+02", "2026-11-21T23:00:00.000Z"],
  ])("ISO 8601 with offset: %s", (raw, expected) => {
    expect(iso(raw)).toBe(expected);
  });

  it("reads ISO 8601 without a zone as UTC", () => {
    expect(iso("2026-11-22T13:03:40")).toBe("2026-11-22T13:03:40.000Z");
    expect(iso("2026-11-22T13:03:40.125")).toBe("2026-11-22T13:03:40.125Z");
  });

  it("reads epoch seconds and milliseconds", () => {
    expect(iso("1795352620")).toBe("2026-11-22T13:03:40.000Z");
    expect(iso("1795352620.125")).toBe("2026-11-22T13:03:40.125Z");
    expect(iso("1795352620125")).toBe("2026-11-22T13:03:40.125Z");
    expect(iso("0")).toBe("1970-01-01T00:00:00.000Z");
  });

  it("reads MM/dd/yyyy HH:mm:ss as UTC", () => {
    expect(iso("11/22/2026 13:03:40")).toBe("2026-11-22T13:03:40.000Z");
    expect(iso("1/2/2026 3:04:05")).toBe("2026-01-02T03:04:05.000Z");
    expect(iso("11/22/2026 13:03:40.250")).toBe("2026-11-22T13:03:40.250Z");
  });

  it.each([
    "",
    "   ",
    "yesterday",
    "2026-13-01T00:00:00Z",
    "2026-02-30T00:00:00Z",
    "2026-11-22T25:00:00Z",
    "2026-11-22T13:60:00Z",
    "2026-11-22T13:03:61Z",
    "2026-11-22T13:03:40+25:00",
    "13/22/2026 13:03:40",
    "02/30/2026 13:03:40",
    "-1795352620",
    "1e9",
    "99999999999999999",
    "2026-11-22T13:03:40ZZ",
    "2".repeat(100),
  ])("rejects %j", (raw) => {
    expect(tryParseTimestamp(raw)).toBeNull();
  });

  it("accepts 24:00 as the end of the day", () => {
    expect(iso("2026-11-22T24:00:00Z")).toBe("2026-11-23T00:00:00.000Z");
  });
});

describe("parseTimestamp", () => {
  it("throws a clear AppError naming the accepted forms", () => {
    try {
      parseTimestamp("not a date");
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe("validation_failed");
      expect((err as AppError).message).toContain('"not a date"');
      expect((err as AppError).message).toContain("ISO 8601");
    }
  });

  it("clips a huge value in the message", () => {
    expect(() => parseTimestamp("x".repeat(10_000))).toThrow(/x{40}…"/);
  });
});
