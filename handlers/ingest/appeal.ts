import { z } from 'zod';
import type { DomainConfig } from '../../config/domain.js';

/** One appeal from another system, as the API takes it and an export row is turned into. */

/** Longer texts are refused: no source system allows more, and a case text must stay readable. */
export const MAX_APPEAL_TEXT = 10_000;
/** Dates before this year are typing mistakes (or a day/month mix-up), never a real appeal. */
export const MIN_APPEAL_YEAR = 2000;

const LONE_SURROGATE = /[\ud800-\udfff]/u;

/** Text PostgreSQL can hold: NUL and lone surrogates are refused with a message saying so. */
function plain(max: number, min = 0) {
  return z
    .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a string') })
    .trim()
    .min(min, min > 0 ? 'must not be empty' : undefined)
    .max(max, `must be at most ${max} characters`)
    .refine((s) => !s.includes('\u0000'), 'must not contain the NUL character (U+0000)')
    .refine((s) => !LONE_SURROGATE.test(s), 'must be valid Unicode text');
}

/** An optional field: null and an empty string mean "not given". */
function optional<T extends z.ZodType>(schema: T) {
  return z.preprocess((v) => (v === null || v === '' ? undefined : v), schema.optional());
}

/** An ISO 8601 date-time with its offset (or Z), or a Date (an export's parsed cell). */
const instant = z.union([z.date(), z.iso.datetime({ offset: true })], {
  error: (issue) =>
    issue.input === undefined ? 'is required' : 'must be an ISO 8601 date-time with an offset, e.g. 2026-11-30T09:15:00+07:00',
});

const schema = z.strictObject({
  source: plain(40, 1),
  externalId: plain(200, 1),
  receivedAt: instant,
  text: plain(MAX_APPEAL_TEXT, 1),
  author: optional(
    z.strictObject({
      name: optional(plain(300)),
      phone: optional(plain(50)),
      email: optional(plain(320)),
    }),
  ),
  address: optional(plain(1000)),
  lat: optional(z.number().min(-90).max(90)),
  lon: optional(z.number().min(-180).max(180)),
  category: optional(plain(300)),
  department: optional(plain(300)),
  status: optional(plain(200)),
  answeredAt: optional(instant),
  answerText: optional(plain(MAX_APPEAL_TEXT)),
  closedAt: optional(instant),
  rating: optional(z.number().int('must be a whole number').min(1).max(5)),
});

/** A checked appeal: dates as instants, optional fields absent rather than null. */
export interface Appeal {
  source: string;
  externalId: string;
  receivedAt: Date;
  text: string;
  author: { name: string | null; phone: string | null; email: string | null } | null;
  address: string | null;
  geo: { lat: number; lon: number } | null;
  category: string | null;
  department: string | null;
  status: string | null;
  answeredAt: Date | null;
  answerText: string | null;
  closedAt: Date | null;
  rating: number | null;
}

export type AppealCheck =
  | { ok: true; appeal: Appeal }
  | { ok: false; code: 'VALIDATION_FAILED' | 'UNKNOWN_SOURCE'; issues: string[] };

/**
 * Checks one appeal: every field's type and size, dates not in the future (by the clock) and not
 * before 2000, an answer or closing not before the appeal, and a source the domain file knows.
 */
export function checkAppeal(domain: Pick<DomainConfig, 'sources'>, raw: unknown, now: Date): AppealCheck {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    return {
      ok: false,
      code: 'VALIDATION_FAILED',
      issues: parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`),
    };
  }
  const v = parsed.data;
  const issues: string[] = [];
  const date = (field: string, value: Date | string | undefined): Date | null => {
    if (value === undefined) return null;
    const d = value instanceof Date ? value : new Date(value);
    if (Number.isNaN(d.getTime())) issues.push(`${field}: must be a valid date`);
    else if (d.getUTCFullYear() < MIN_APPEAL_YEAR) issues.push(`${field}: must not be before ${MIN_APPEAL_YEAR}`);
    else if (d.getTime() > now.getTime()) issues.push(`${field}: must not be in the future`);
    return d;
  };
  const receivedAt = date('receivedAt', v.receivedAt) as Date;
  const answeredAt = date('answeredAt', v.answeredAt);
  const closedAt = date('closedAt', v.closedAt);
  for (const [field, d] of [
    ['answeredAt', answeredAt],
    ['closedAt', closedAt],
  ] as const) {
    if (d && d.getTime() < receivedAt.getTime()) issues.push(`${field}: must not be before receivedAt`);
  }
  if ((v.lat === undefined) !== (v.lon === undefined)) issues.push('lat, lon: give both or neither');
  if (issues.length > 0) return { ok: false, code: 'VALIDATION_FAILED', issues };

  const known = Object.keys(domain.sources ?? {});
  if (!known.includes(v.source)) {
    return {
      ok: false,
      code: 'UNKNOWN_SOURCE',
      issues: [
        `source: unknown source "${v.source}"; known: ${known.join(', ') || 'none (add a sources section to the domain file)'}`,
      ],
    };
  }
  const author = v.author && (v.author.name || v.author.phone || v.author.email) ? v.author : null;
  return {
    ok: true,
    appeal: {
      source: v.source,
      externalId: v.externalId,
      receivedAt,
      text: v.text,
      author: author ? { name: author.name ?? null, phone: author.phone ?? null, email: author.email ?? null } : null,
      address: v.address ?? null,
      geo: v.lat !== undefined && v.lon !== undefined ? { lat: v.lat, lon: v.lon } : null,
      category: v.category ?? null,
      department: v.department ?? null,
      status: v.status ?? null,
      answeredAt,
      answerText: v.answerText ?? null,
      closedAt,
      rating: v.rating ?? null,
    },
  };
}
