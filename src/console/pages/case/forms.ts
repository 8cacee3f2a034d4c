import { z } from 'zod';
import { caseKey } from '../../../http/input.js';

/**
 * The case page's forms. Each carries `version`, the case's updatedAt when the page was rendered: an
 * action on a case that changed since is refused (409), so nobody answers or routes what they have not seen.
 * Limits are the API's (src/http/routes/case-actions.ts, answers.ts); messages are Russian.
 */
const blank = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
// PostgreSQL refuses NUL in text; a lone surrogate is not text at all (with `u` a pair is one code point).
const clean = (s: string) => !s.includes('\u0000') && !/[\ud800-\udfff]/u.test(s);

function text(min: number, max: number, short: string) {
  return z.preprocess(
    (v) => (v === undefined ? '' : v),
    z
      .string()
      .trim()
      .min(1, 'Заполните поле.')
      .min(min, short)
      .max(max, `Не больше ${max} символов.`)
      .refine(clean, 'В тексте недопустимые символы.'),
  );
}

const version = z.string({ error: 'Форма без версии обращения: обновите страницу.' }).min(1).max(64);

export const takeForm = z.object({ version });

export const answerForm = z.object({
  version,
  text: text(1, 4000, 'Заполните поле.'),
  kind: z.enum(['final', 'interim'], { error: 'Выберите вид ответа.' }),
  force: z.preprocess(blank, z.literal('1').optional()),
});

export const reasonText = text(3, 1000, 'Причина — не короче 3 символов.');

export const extensionForm = z.object({
  version,
  reason: reasonText,
  until: z.preprocess(
    blank,
    z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'Дата в виде ГГГГ-ММ-ДД.')
      .optional(),
  ),
});

export const questionForm = z.object({ version, text: text(3, 3500, 'Вопрос — не короче 3 символов.') });

export const returnForm = z.object({ version, reason: reasonText });

export const mergeForm = z.object({
  version,
  into: z.preprocess(
    (v) => (typeof v === 'string' ? v.trim().toUpperCase() : v),
    z
      .string({ error: 'Заполните поле.' })
      .min(1, 'Заполните поле.')
      .transform((v, ctx): number | string => {
        const key = v.length <= 40 ? caseKey.safeParse(v) : null;
        if (key?.success) return key.data;
        ctx.addIssue({ code: 'custom', message: 'Номер обращения в виде МЦУ-2026-000123.' });
        return z.NEVER;
      }),
  ),
});

export const assignForm = z
  .object({
    version,
    department: z.preprocess(blank, z.string().max(80).optional()),
    official: z.preprocess(blank, z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional()),
  })
  .refine((f) => f.department !== undefined || f.official !== undefined, {
    message: 'Выберите подразделение или исполнителя.',
    path: ['department'],
  });

/** The gate's draft: only the text (nothing is saved). */
export const gateForm = z.object({ text: z.preprocess((v) => (typeof v === 'string' ? v : ''), z.string().max(4000)) });
