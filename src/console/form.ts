import { z } from 'zod';
import { AppError } from '../errors.js';

/**
 * Forms and filters: a zod schema parses the submitted fields; what fails comes back per field, in
 * Russian, so the page can mark the field (`aria-invalid`, the message under it) and save nothing.
 */
export type FieldErrors = Record<string, string>;

export type FormResult<T> = { ok: true; data: T } | { ok: false; errors: FieldErrors; values: Record<string, unknown> };

/** With the `u` flag a surrogate pair is one code point, so only a lone surrogate matches. */
const LONE_SURROGATE = /[\ud800-\udfff]/u;
export const UNSAFE_TEXT_MESSAGE = 'В тексте недопустимые символы.';

/** Text PostgreSQL can store: no NUL (U+0000), no lone UTF-16 surrogate (it refuses both with an error). */
export function storableText(s: string): boolean {
  return !s.includes('\u0000') && !LONE_SURROGATE.test(s);
}

/** A text field of a console form or filter: trimmed, at most `max` characters, storable; '' is absent. */
export function consoleText(max: number) {
  return z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
    z.string().trim().max(max).refine(storableText, UNSAFE_TEXT_MESSAGE).optional(),
  );
}

/** Path parameters: a value that cannot name a record (`abc`, `0`, a NUL) is 404, never a 500. */
export function parseParams<T>(schema: z.ZodType<T>, params: unknown): T {
  const parsed = schema.safeParse(params ?? {});
  if (!parsed.success) throw new AppError('NOT_FOUND', 'no such record', 404);
  return parsed.data;
}

/**
 * Parses `input` (a form body or a query) with `schema`; the first message per field, in Russian.
 * A field with characters PostgreSQL refuses fails here, whatever its schema says, so no form or
 * filter can reach the database with them.
 */
export function parseForm<T>(schema: z.ZodType<T>, input: unknown): FormResult<T> {
  const unsafe = unsafeFields(input);
  if (unsafe.length > 0)
    return {
      ok: false,
      errors: Object.fromEntries(unsafe.map((f) => [f, UNSAFE_TEXT_MESSAGE])),
      values: (input ?? {}) as Record<string, unknown>,
    };
  const parsed = schema.safeParse(input ?? {});
  if (parsed.success) return { ok: true, data: parsed.data };
  const errors: FieldErrors = {};
  for (const issue of parsed.error.issues) {
    const field = String(issue.path[0] ?? '_form');
    if (!errors[field]) errors[field] = russian(issue);
  }
  return { ok: false, errors, values: (input ?? {}) as Record<string, unknown> };
}

/** The fields of a form or query whose text (or one of whose repeated values) is not storable. */
function unsafeFields(input: unknown): string[] {
  if (!input || typeof input !== 'object') return [];
  return Object.entries(input as Record<string, unknown>)
    .filter(([k, v]) => !storableText(k) || (Array.isArray(v) ? v : [v]).some((x) => typeof x === 'string' && !storableText(x)))
    .map(([k]) => (storableText(k) ? k : '_form'));
}

function russian(issue: z.core.$ZodIssue): string {
  // A schema's own message in Russian (written with Cyrillic) is shown as it is.
  if (/[А-Яа-яЁё]/.test(issue.message)) return issue.message;
  switch (issue.code) {
    case 'too_big':
      return typeof issue.maximum === 'number' || typeof issue.maximum === 'bigint'
        ? `Не больше ${issue.maximum}${issue.origin === 'string' ? ' символов' : ''}.`
        : 'Слишком большое значение.';
    case 'too_small':
      return issue.origin === 'string' ? 'Заполните поле.' : `Не меньше ${String(issue.minimum)}.`;
    case 'invalid_value':
      return 'Выберите значение из списка.';
    case 'unrecognized_keys':
      return 'Лишние поля в форме.';
    case 'invalid_type':
      return issue.input === undefined ? 'Заполните поле.' : 'Неверное значение.';
    default:
      return 'Неверное значение.';
  }
}
