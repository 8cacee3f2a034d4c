import type { z } from 'zod';

/**
 * Forms and filters: a zod schema parses the submitted fields; what fails comes back per field, in
 * Russian, so the page can mark the field (`aria-invalid`, the message under it) and save nothing.
 */
export type FieldErrors = Record<string, string>;

export type FormResult<T> = { ok: true; data: T } | { ok: false; errors: FieldErrors; values: Record<string, unknown> };

/** Parses `input` (a form body or a query) with `schema`; the first message per field, in Russian. */
export function parseForm<T>(schema: z.ZodType<T>, input: unknown): FormResult<T> {
  const parsed = schema.safeParse(input ?? {});
  if (parsed.success) return { ok: true, data: parsed.data };
  const errors: FieldErrors = {};
  for (const issue of parsed.error.issues) {
    const field = String(issue.path[0] ?? '_form');
    if (!errors[field]) errors[field] = russian(issue);
  }
  return { ok: false, errors, values: (input ?? {}) as Record<string, unknown> };
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
