import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import type { Executor } from './database.js';
import type { Database } from './schema.js';

/**
 * The operators' triage queue as the console lists it: cases that wait for a category or a department
 * (`new` — structuring has not decided yet or failed, `triage` — it could not decide), urgent first,
 * then the oldest. Both statuses are few next to all cases, and `case_status_idx (status, created_at)`
 * finds them without reading the rest.
 */
export const TRIAGE_STATUSES = ['new', 'triage'] as const;

export interface TriageFilters {
  district?: string;
  channel?: string;
  priority?: string;
}

/** Keyset position: urgency rank (0 urgent, 1 not), created_at and id of the last row shown. */
export interface TriageCursor {
  rank: 0 | 1;
  at: Date;
  id: number;
}

export interface TriageItem {
  id: number;
  number: string;
  status: string;
  channel: string;
  text: string;
  category: string | null;
  district: string | null;
  department: string | null;
  priority: string;
  triageReason: string | null;
  suggestions: { label: string; confidence: number }[];
  createdAt: Date;
  updatedAt: Date;
  deadlineAt: Date | null;
}

const rank = sql<number>`(case when "case"."priority" = 'urgent' then 0 else 1 end)`;

function matches(eb: ExpressionBuilder<Database, 'case'>, f: TriageFilters): Expression<SqlBool> {
  const all: Expression<SqlBool>[] = [eb('case.status', 'in', TRIAGE_STATUSES)];
  if (f.district) all.push(eb('case.district', '=', f.district));
  if (f.channel) all.push(eb('case.channel', '=', f.channel));
  if (f.priority) all.push(eb('case.priority', '=', f.priority));
  return eb.and(all);
}

function triageSelect(db: Executor) {
  return db
    .selectFrom('case')
    .select([
      'id',
      'number',
      'status',
      'channel',
      'text',
      'category',
      'district',
      'department',
      'priority',
      'triage_reason',
      'suggestions',
      'created_at',
      'updated_at',
      'deadline_at',
    ]);
}

type TriageRow = Awaited<ReturnType<ReturnType<typeof triageSelect>['executeTakeFirstOrThrow']>>;

function toItem(r: TriageRow): TriageItem {
  return {
    id: r.id,
    number: r.number,
    status: r.status,
    channel: r.channel,
    text: r.text,
    category: r.category,
    district: r.district,
    department: r.department,
    priority: r.priority,
    triageReason: r.triage_reason,
    suggestions: r.suggestions ?? [],
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    deadlineAt: r.deadline_at,
  };
}

/** One page of the queue and the cursor of the next (null on the last page). */
export async function listTriageCases(
  db: Executor,
  filters: TriageFilters,
  page: { limit: number; after?: TriageCursor },
): Promise<{ items: TriageItem[]; next: TriageCursor | null }> {
  let q = triageSelect(db).where((eb) => matches(eb, filters));
  if (page.after) {
    const a = page.after;
    q = q.where(sql<boolean>`(${rank}, "case"."created_at", "case"."id") > (${a.rank}::int, ${a.at}::timestamptz, ${a.id}::int)`);
  }
  const rows = await q
    .orderBy(rank)
    .orderBy('created_at')
    .orderBy('id')
    .limit(page.limit + 1)
    .execute();
  const items = rows.slice(0, page.limit).map(toItem);
  const last = items.at(-1);
  const next: TriageCursor | null =
    rows.length > page.limit && last ? { rank: last.priority === 'urgent' ? 0 : 1, at: last.createdAt, id: last.id } : null;
  return { items, next };
}

/** One case as a row of the queue, whatever its status now (a form's answer shows where it went). */
export async function findTriageCase(db: Executor, caseId: number): Promise<TriageItem | undefined> {
  const row = await triageSelect(db).where('id', '=', caseId).executeTakeFirst();
  return row ? toItem(row) : undefined;
}

/** How many cases wait in the queue under these filters. */
export async function countTriageCases(db: Executor, filters: TriageFilters): Promise<number> {
  const row = await db
    .selectFrom('case')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where((eb) => matches(eb, filters))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * A cheap fingerprint of the queue for live pages: the newest case id (a case arrived), and the count
 * and latest update of the cases waiting (one left, came back or changed). Two index reads.
 */
export async function triageWatermark(db: Executor): Promise<string> {
  const row = await db
    .selectFrom('case')
    .select((eb) => [
      eb.fn.countAll<string>().as('n'),
      eb.fn.max('updated_at').as('latest'),
      eb
        .selectFrom('case as newest')
        .select((e) => e.fn.max('newest.id').as('m'))
        .as('maxId'),
    ])
    .where('status', 'in', TRIAGE_STATUSES)
    .executeTakeFirstOrThrow();
  const latest = row.latest ? new Date(row.latest as Date | string).getTime() : 0;
  return `${row.maxId ?? 0}:${row.n}:${latest}`;
}
