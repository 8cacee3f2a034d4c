import { z } from 'zod';
import {
  BROADCAST_SPLIT_LIMIT,
  BROADCAST_TEXT_LIMIT,
  broadcastInputSchema,
  type ParsedBroadcastInput,
  type Refusal,
} from '../../../../handlers/broadcasts/index.js';
import { BROADCAST_CHANNELS, type Segment, segmentSchema } from '../../../../models/broadcast.js';
import { type FieldErrors, parseForm } from '../../form.js';
import * as fmt from '../../format.js';

/**
 * The compose form: browser fields (checkboxes, a datetime-local in the city's time zone, days) become
 * the API's input, which is then checked by the API's own schema and use case — so the console refuses
 * exactly what the API refuses, with the field marked in Russian.
 */
const blank = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const many = z.preprocess(
  (v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]),
  z.array(z.string().max(80, 'Неверное значение.')).max(200, 'Слишком много значений.'),
);
const day = z.preprocess(
  blank,
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'Дата в виде ГГГГ-ММ-ДД.')
    .optional(),
);
const typed = (max: number) =>
  z.preprocess(
    (v) => v ?? '',
    z
      .string()
      .trim()
      .min(1, 'Заполните поле.')
      .max(max, `Не больше ${fmt.number(max)} символов.`),
  );

export const SEGMENT_KINDS = ['subscribers', 'problem', 'cases'] as const;

const segmentFields = {
  kind: z.preprocess((v) => v ?? 'subscribers', z.enum(SEGMENT_KINDS, { error: 'Выберите, кому отправить.' })),
  districts: many,
  topics: many,
  categories: many,
  channels: many,
  problemId: z.preprocess(
    blank,
    z
      .string()
      .regex(/^[1-9]\d{0,14}$/, 'Номер проблемы — целое положительное число.')
      .optional(),
  ),
  withinHours: z.preprocess(
    blank,
    z
      .string()
      .regex(/^[1-9]\d{0,3}$/, 'Число часов — от 1 до 8784.')
      .transform(Number)
      .refine((n) => n <= 8784, 'Число часов — от 1 до 8784.')
      .optional(),
  ),
  from: day,
  to: day,
};

const needsProblem = (v: { kind: string; problemId?: string | undefined }, ctx: z.RefinementCtx) => {
  if (v.kind === 'problem' && !v.problemId)
    ctx.addIssue({ code: 'custom', path: ['problemId'], message: 'Укажите номер проблемы.' });
};

export const segmentForm = z.object(segmentFields).superRefine(needsProblem);
export type SegmentForm = z.output<typeof segmentForm>;

export const composeForm = z
  .object({
    ...segmentFields,
    title: typed(200),
    text: typed(BROADCAST_SPLIT_LIMIT),
    allowSplit: z.preprocess(blank, z.literal('1').optional()),
    priority: z.preprocess((v) => blank(v) ?? 'normal', z.enum(['normal', 'emergency'], { error: 'Выберите срочность.' })),
    scheduledAt: z.preprocess(
      blank,
      z
        .string()
        .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, 'Дата и время в виде ДД.ММ.ГГГГ ЧЧ:ММ.')
        .optional(),
    ),
  })
  .superRefine(needsProblem);
export type ComposeForm = z.output<typeof composeForm>;

/** The instant of a local date-time of the city («2026-12-07T09:00» in Asia/Barnaul → 02:00Z), that day's offset. */
export function cityInstant(local: string, timeZone: string): Date {
  const utc = new Date(`${local}:00Z`);
  const there = new Date(utc.toLocaleString('en-US', { timeZone }));
  const base = new Date(utc.toLocaleString('en-US', { timeZone: 'UTC' }));
  return new Date(utc.getTime() - (there.getTime() - base.getTime()));
}

/** Now in the city as a datetime-local value (the picker's `min`). */
export function cityLocalNow(now: Date, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(now)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

const nextDay = (isoDay: string) => {
  const d = new Date(`${isoDay}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
};

/** The segment as the API takes it (JSON-like: instants as ISO strings); the days are the city's, «по» inclusive. */
function segmentInput(f: SegmentForm, timeZone: string): Record<string, unknown> {
  const some = (list: string[]) => (list.length > 0 ? list : undefined);
  const channels = some(f.channels);
  const base = { kind: f.kind, ...(channels ? { channels } : {}) };
  if (f.kind === 'problem') return { ...base, problemId: Number(f.problemId) };
  const districts = some(f.districts);
  if (f.kind === 'subscribers') {
    const topics = some(f.topics);
    return { ...base, ...(districts ? { districts } : {}), ...(topics ? { topics } : {}) };
  }
  const categories = some(f.categories);
  return {
    ...base,
    ...(categories ? { categories } : {}),
    ...(districts ? { districts } : {}),
    ...(f.withinHours !== undefined ? { withinHours: f.withinHours } : {}),
    ...(f.from ? { from: cityInstant(`${f.from}T00:00`, timeZone).toISOString() } : {}),
    ...(f.to ? { to: cityInstant(`${nextDay(f.to)}T00:00`, timeZone).toISOString() } : {}),
  };
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors };

/** The segment fields of a form, checked by the API's segment schema. */
export function parseSegment(body: unknown, timeZone: string): Parsed<Segment> {
  const form = parseForm(segmentForm, body);
  if (!form.ok) return { ok: false, errors: form.errors };
  const parsed = segmentSchema.safeParse(segmentInput(form.data, timeZone));
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, errors: zodErrors(parsed.error.issues, ['segment']) };
}

/** The whole compose form, checked by the API's input schema (the use case checks the domain's ids next). */
export function parseCompose(body: unknown, timeZone: string): Parsed<ParsedBroadcastInput> {
  const form = parseForm(composeForm, body);
  if (!form.ok) return { ok: false, errors: form.errors };
  const f = form.data;
  const parsed = broadcastInputSchema.safeParse({
    title: f.title,
    text: f.text,
    allowSplit: f.allowSplit === '1',
    priority: f.priority,
    segment: segmentInput(f, timeZone),
    ...(f.scheduledAt ? { scheduledAt: cityInstant(f.scheduledAt, timeZone).toISOString() } : {}),
  });
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, errors: zodErrors(parsed.error.issues, []) };
}

/** The form's field of an API path: `segment.districts[0]` → districts, `segment` → kind. */
export function fieldOf(path: string): string {
  const [head, next] = path.replace(/\[\d+\]/g, '').split('.');
  if (head !== 'segment') return head ?? '_form';
  return next ?? 'kind';
}

function zodErrors(issues: readonly z.core.$ZodIssue[], prefix: string[]): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of issues) {
    const path = [...prefix, ...issue.path.map(String)];
    const field = fieldOf(path.filter((p) => !/^\d+$/.test(p)).join('.'));
    if (errors[field]) continue;
    errors[field] =
      issue.code === 'too_big'
        ? `Не больше ${fmt.number(Number(issue.maximum))} символов.`
        : field === 'text' || field === 'title'
          ? 'Уберите из текста управляющие и недопустимые символы.'
          : field === 'scheduledAt' || field === 'from' || field === 'to'
            ? 'Неверная дата.'
            : 'Такого значения нет в справочнике.';
  }
  return errors;
}

/** A use case's 400 as the form's field and a Russian message. */
export function refusalField(refusal: Refusal): FieldErrors {
  const field = refusal.status === 'invalid' && refusal.field ? fieldOf(refusal.field) : 'kind';
  const messages: Record<string, string> = {
    TEXT_TOO_LONG: `Текст длиннее ${fmt.number(BROADCAST_TEXT_LIMIT)} символов — наименьшего предела мессенджеров. Сократите его или отметьте «Разрешить отправку частями».`,
    SCHEDULE_IN_PAST: 'Это время уже прошло: укажите будущее или оставьте поле пустым, чтобы запустить вручную.',
    SEGMENT_TOO_BROAD: 'Выберите категории, районы или период: «все, кто когда-либо писал» — не получатели.',
    SEGMENT_PERIOD:
      field === 'from' ? 'Дата «с» должна быть раньше даты «по».' : 'Укажите либо «за последние часы», либо даты «с» и «по».',
  };
  const unknown: Record<string, string> = {
    districts: 'Такого района нет в справочнике.',
    topics: 'Такой темы нет в справочнике.',
    categories: 'Такой категории нет в справочнике.',
    problemId: 'Проблемы с таким номером нет.',
  };
  const message = messages[refusal.code] ?? (refusal.code === 'UNKNOWN_ID' ? unknown[field] : undefined) ?? 'Неверное значение.';
  return { [field]: message };
}

export { BROADCAST_CHANNELS };
