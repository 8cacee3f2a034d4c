import { z } from 'zod';

/**
 * The zod building blocks every API route validates its params, query and body with. Input that can
 * never succeed is refused here as 400 VALIDATION_FAILED naming the parameter (see parse-input.ts),
 * before it can reach PostgreSQL (which rejects NUL, bigint overflow and out-of-range dates with a
 * 500) or a different record than the caller wrote (`0x1`, ` 1`, `1e0` and `1.0` are not case 1).
 */

/** The largest id accepted: a safe JavaScript integer, well below PostgreSQL's bigint maximum. */
export const MAX_ID = Number.MAX_SAFE_INTEGER;
/** Dates outside these years are typing mistakes (or probes); PostgreSQL would reject some of them. */
export const MIN_YEAR = 2000;
export const MAX_YEAR = 2100;

/** With the `u` flag a surrogate pair is one code point, so only a lone surrogate matches. */
const LONE_SURROGATE = /[\ud800-\udfff]/u;
const CANONICAL_ID = /^[1-9][0-9]{0,15}$/;
const CANONICAL_WHOLE = /^(?:0|[1-9][0-9]{0,15})$/;
/** The case number format (models/case-repository.ts): МЦУ-2026-000123. */
const CASE_NUMBER = /^\p{L}+-[0-9]{4}-[0-9]{1,12}$/u;
const ISO_DATE_TIME =
  /^([0-9]{4})-([0-9]{2})-([0-9]{2})(?:[T ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.[0-9]{1,9})?)?(Z|[+-]([0-9]{2}):?([0-9]{2}))?)?$/;

const ID_MESSAGE = `must be a positive whole number in decimal digits, from 1 to ${MAX_ID}`;
const NUL_MESSAGE = 'must not contain the NUL character (U+0000)';
const SURROGATE_MESSAGE = 'must be valid Unicode text (it contains a lone UTF-16 surrogate)';
const DATE_MESSAGE = `must be an ISO 8601 date or date-time (2026-12-01 or 2026-12-01T09:00:00+07:00) in the years ${MIN_YEAR}–${MAX_YEAR}`;

/**
 * A string of at most `max` characters (after trimming, with `trim`) that PostgreSQL can hold: NUL
 * (U+0000) and lone UTF-16 surrogates are refused with a message saying so.
 */
export function safeText(max: number, options: { min?: number; trim?: boolean } = {}) {
  let text = z.string();
  if (options.trim) text = text.trim();
  if (options.min) text = text.min(options.min);
  return text
    .max(max)
    .refine((s) => !s.includes('\u0000'), NUL_MESSAGE)
    .refine((s) => !LONE_SURROGATE.test(s), SURROGATE_MESSAGE);
}

/** An id in a path or query string: canonical decimal digits only (no sign, zeros, spaces, 0x, 1e0 or 1.0). */
export const positiveId = z
  .string()
  .regex(CANONICAL_ID, ID_MESSAGE)
  .transform(Number)
  .refine((n) => n <= MAX_ID, ID_MESSAGE);

/** Route params that are just `:id`. */
export const idParam = z.object({ id: positiveId });

/** An id in a JSON body: a number (not a string), a positive safe integer. */
export const jsonId = z.number({ error: ID_MESSAGE }).int(ID_MESSAGE).min(1, ID_MESSAGE).max(MAX_ID, ID_MESSAGE);

/** A whole number in a query string (a limit, a number of days): decimal digits within [min, max]. */
export function wholeNumber(min: number, max: number) {
  const message = `must be a whole number in decimal digits, from ${min} to ${max}`;
  return z
    .string()
    .regex(CANONICAL_WHOLE, message)
    .transform(Number)
    .refine((n) => n >= min && n <= max, message);
}

/**
 * A date or date-time in ISO 8601 (a query parameter or a JSON string), a real calendar day in the
 * years MIN_YEAR–MAX_YEAR. Without an offset a date means UTC midnight and a date-time the server's
 * local time, as `new Date()` reads them.
 */
export const isoDate = z.string().transform((value, ctx) => {
  const date = parseIsoDate(value);
  if (!date) {
    ctx.addIssue({ code: 'custom', message: DATE_MESSAGE });
    return z.NEVER;
  }
  return date;
});

function parseIsoDate(value: string): Date | undefined {
  const m = ISO_DATE_TIME.exec(value);
  if (!m) return undefined;
  const n = (i: number) => (m[i] === undefined ? 0 : Number(m[i]));
  const [year, month, day] = [n(1), n(2), n(3)];
  if (year < MIN_YEAR || year > MAX_YEAR || month < 1 || month > 12) return undefined;
  if (day < 1 || day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return undefined;
  if (n(4) > 23 || n(5) > 59 || n(6) > 59 || n(8) > 23 || n(9) > 59) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/**
 * A case by its id (canonical decimal digits) or by its number (МЦУ-2026-000123): the id when the
 * value is one, else the number as text.
 */
export const caseKey = z.string().transform((value, ctx): number | string => {
  if (CANONICAL_ID.test(value) && Number(value) <= MAX_ID) return Number(value);
  if (CASE_NUMBER.test(value)) return value;
  ctx.addIssue({ code: 'custom', message: `must be a case id (${ID_MESSAGE}) or a case number such as МЦУ-2026-000123` });
  return z.NEVER;
});
