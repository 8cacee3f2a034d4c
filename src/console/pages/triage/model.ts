import { z } from 'zod';
import type { TriageCursor, TriageFilters, TriageItem } from '../../../../handlers/cases/index.js';
import { CHANNELS } from '../../../../models/intake.js';
import type { ConsoleDeps } from '../../deps.js';
import { consoleText } from '../../form.js';
import { options } from '../cases.js';

/** Разбор's URL and forms: the filters, the keyset cursor, the version a form carries, the rows as templates see them. */
export const PAGE_SIZE = 30;

const blank = (v: unknown) => (v === '' ? undefined : v);

/** The list's filters, all in the URL; unknown keys are ignored. */
export const triageFilters = z.object({
  district: consoleText(80),
  channel: z.preprocess(blank, z.enum(CHANNELS).optional()),
  priority: z.preprocess(blank, z.enum(['urgent', 'normal']).optional()),
  after: z.preprocess(blank, z.string().max(200).optional()),
});
export type TriageListFilters = z.infer<typeof triageFilters>;

/** The case as the form saw it: its `updated_at`, to the millisecond. */
const version = z.iso.datetime({ offset: true, error: 'Форма устарела: обновите страницу.' });

/** «Назначить категорию»: a suggestion's button or the select; the list's filters ride along to come back to. */
export const categoryForm = triageFilters.extend({
  category: z.string({ error: 'Выберите категорию.' }).trim().min(1, 'Выберите категорию.').max(80),
  version,
});

/** «Передать в подразделение». */
export const departmentForm = triageFilters.extend({
  department: z.string({ error: 'Выберите подразделение.' }).trim().min(1, 'Выберите подразделение.').max(80),
  version,
});

export const caseIdParam = z.object({ id: z.coerce.number().int().min(1).max(2_147_483_647) });

/** Why a case waits, in Russian (the case's triage_reason). */
export const TRIAGE_REASONS: Readonly<Record<string, string>> = {
  low_confidence: 'классификатор не уверен',
  no_category: 'категория не определена',
  no_classifier: 'классификатор не подключён',
  reassignment: 'возвращено подразделением',
};

export function queryFilters(f: TriageListFilters): TriageFilters {
  return {
    ...(f.district ? { district: f.district } : {}),
    ...(f.channel ? { channel: f.channel } : {}),
    ...(f.priority ? { priority: f.priority } : {}),
  };
}

/** The filters that travel in links and forms (without the page's cursor unless asked). */
export function shownFilters(f: Partial<TriageListFilters>, withAfter = false): Record<string, string | undefined> {
  return {
    district: f.district,
    channel: f.channel,
    priority: f.priority,
    ...(withAfter ? { after: f.after } : {}),
  };
}

export function encodeCursor(c: TriageCursor): string {
  return Buffer.from(JSON.stringify([c.rank, c.at.toISOString(), c.id])).toString('base64url');
}

/** A cursor from the URL; anything malformed is the first page. */
export function decodeCursor(value: string | undefined): TriageCursor | undefined {
  if (!value) return undefined;
  try {
    const [rank, at, id] = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as unknown[];
    const when = new Date(String(at));
    if ((rank !== 0 && rank !== 1) || Number.isNaN(when.getTime()) || !Number.isSafeInteger(id)) return undefined;
    return { rank, at: when, id: id as number };
  } catch {
    return undefined;
  }
}

/** A field's problem on one row: the row shows it next to the field (400), or a message on the row (409, 422). */
export interface RowProblem {
  caseId: number;
  field?: 'category' | 'department';
  message: string;
}

export interface TriageRowView extends TriageItem {
  version: string;
  /** The classifier's best three guesses, named; the shortcut keys 1–3 apply them in order. */
  guesses: { id: string; name: string; confidence: number }[];
  categoryName: string | null;
  districtName: string | null;
  departmentName: string | null;
  reason: string;
}

/** Rows as the templates show them: names from the domain file, the top three suggestions. */
export function rowView(deps: Pick<ConsoleDeps, 'domain'>, c: TriageItem): TriageRowView {
  const names = options(deps);
  const name = (list: { id: string; name: string }[], id: string | null) =>
    id ? (list.find((x) => x.id === id)?.name ?? id) : null;
  const guesses = [...c.suggestions]
    .filter((s) => names.categories.some((x) => x.id === s.label))
    .sort((a, b) => b.confidence - a.confidence)
    .slice(0, 3)
    .map((s) => ({ id: s.label, name: name(names.categories, s.label) ?? s.label, confidence: s.confidence }));
  return {
    ...c,
    version: c.updatedAt.toISOString(),
    guesses,
    categoryName: name(names.categories, c.category),
    districtName: name(names.districts, c.district),
    departmentName: name(names.departments, c.department),
    reason: c.triageReason
      ? (TRIAGE_REASONS[c.triageReason] ?? c.triageReason)
      : c.status === 'new'
        ? 'ещё не разобрано автоматически'
        : '—',
  };
}
