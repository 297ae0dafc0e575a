// Timestamp forms the ICE Chat feed is known or suspected to use. Everything without an
// explicit zone is UTC: the export is a compliance record and ICE documents UTC times.

import { AppError } from "@/lib/errors";

// 2026-11-22, 2026-11-22T13:03:40, 2026-11-22 13:03:40.125Z, 2026-11-22T13:03:40+01:00,
// and the basic form 20261122T130340Z.
const ISO_EXTENDED =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*([Zz]|[+-]\d{2}(?::?\d{2})?)?$/;
const ISO_BASIC = /^(\d{4})(\d{2})(\d{2})[Tt](\d{2})(\d{2})(?:(\d{2})(?:[.,](\d{1,9}))?)?([Zz]|[+-]\d{2}(?:\d{2})?)?$/;
// MM/dd/yyyy HH:mm:ss (single-digit month/day/hour tolerated, optional fraction).
const US_DATE_TIME = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?$/;
// Epoch seconds or milliseconds, optionally with a fraction.
const EPOCH = /^(\d{1,16})(?:\.(\d{1,9}))?$/;

/**
 * Below this an epoch number is read as seconds, at or above it as milliseconds.
 * 1e11 s is the year 5138; 1e11 ms is March 1973: no real chat is ambiguous.
 */
const EPOCH_MILLIS_THRESHOLD = 1e11;

function fractionToMillis(fraction: string | undefined): number {
  if (!fraction) return 0;
  // Keep millisecond precision: "1" -> 100, "125" -> 125, "1254567" -> 125.
  return Number((fraction + "00").slice(0, 3));
}

function offsetToMinutes(zone: string | undefined): number {
  if (!zone || zone === "Z" || zone === "z") return 0;
  const sign = zone.startsWith("-") ? -1 : 1;
  const digits = zone.slice(1).replace(":", "");
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
  if (hours > 23 || minutes > 59) return Number.NaN;
  return sign * (hours * 60 + minutes);
}

function buildUtc(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  millis: number,
  offsetMinutes: number,
): Date | null {
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  if (hour > 24 || minute > 59 || second > 59 || Number.isNaN(offsetMinutes)) return null;
  if (hour === 24 && (minute !== 0 || second !== 0 || millis !== 0)) return null;
  const date = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not map years 0-99 to 1900-1999.
  date.setUTCFullYear(year, month - 1, day);
  // Rejects 2026-02-30 and friends, which Date would silently roll over.
  if (date.getUTCDate() !== day || date.getUTCMonth() !== month - 1) return null;
  const time =
    date.getTime() + ((hour * 60 + minute) * 60 + second) * 1000 + millis - offsetMinutes * 60_000;
  const result = new Date(time);
  return Number.isNaN(result.getTime()) ? null : result;
}

/** Parses one feed timestamp; null when it matches no supported form or is not a real instant. */
export function tryParseTimestamp(raw: string): Date | null {
  const text = raw.trim();
  if (text.length === 0 || text.length > 64) return null;

  let m = ISO_EXTENDED.exec(text) ?? ISO_BASIC.exec(text);
  if (m) {
    return buildUtc(
      Number(m[1]),
      Number(m[2]),
      Number(m[3]),
      Number(m[4] ?? 0),
      Number(m[5] ?? 0),
      Number(m[6] ?? 0),
      fractionToMillis(m[7]),
      offsetToMinutes(m[8]),
    );
  }
  m = US_DATE_TIME.exec(text);
  if (m) {
    return buildUtc(
      Number(m[3]),
      Number(m[1]),
      Number(m[2]),
      Number(m[4] ?? 0),
      Number(m[5] ?? 0),
      Number(m[6] ?? 0),
      fractionToMillis(m[7]),
      0,
    );
  }
  m = EPOCH.exec(text);
  if (m) {
    const whole = Number(m[1]);
    const fraction = m[2] ? Number(`0.${m[2]}`) : 0;
    const millis = whole < EPOCH_MILLIS_THRESHOLD ? (whole + fraction) * 1000 : whole + fraction;
    const date = new Date(Math.floor(millis));
    return Number.isNaN(date.getTime()) ? null : date;
  }
  return null;
}

/** Shortens hostile values so an error message stays readable (a field may be 1 MiB). */
export function quoteForMessage(value: string, max = 40): string {
  const clipped = value.length > max ? `${value.slice(0, max)}…` : value;
  return JSON.stringify(clipped);
}

export function describeInvalidTimestamp(raw: string): string {
  return (
    `invalid timestamp ${quoteForMessage(raw)}: expected ISO 8601, epoch seconds or milliseconds, ` +
    `or MM/dd/yyyy HH:mm:ss`
  );
}

/** Like tryParseTimestamp, but an unusable value is an AppError naming the accepted forms. */
export function parseTimestamp(raw: string): Date {
  const date = tryParseTimestamp(raw);
  if (!date) throw new AppError("validation_failed", describeInvalidTimestamp(raw));
  return date;
}
