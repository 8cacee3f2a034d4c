import { sql } from 'kysely';
import { OPEN_STATUSES } from './case-repository.js';
import type { Executor } from './database.js';

/**
 * The console's «Сроки» list: open cases whose final deadline has passed or falls before `until`
 * (the end of the next working day, computed by the caller on the production calendar), the most
 * overdue first. Cases waiting for the citizen are left out: their clock is stopped (the reminders
 * skip them too). The WHERE is `status in (…) and deadline_at < until and paused_at is null`: the
 * partial index case_open_deadline_idx (migration 0033) holds exactly those cases by (deadline_at, id),
 * so a page is the first entries of a range and the counts an index-only scan.
 */
export interface OverdueFilters {
  now: Date;
  /** Deadlines before this moment are listed (at risk between `now` and it). */
  until: Date;
  /** overdue: past `now` only; risk: between `now` and `until` only; all: both. */
  state: 'overdue' | 'risk' | 'all';
  department?: string | undefined;
  priority?: string | undefined;
}

export interface OverdueRow {
  id: number;
  number: string;
  status: string;
  priority: string;
  category: string | null;
  department: string | null;
  text: string;
  deadlineAt: Date;
  assigneeName: string | null;
}

/** Keyset position: the (deadline_at, id) of the last row of the previous page. */
export interface DeadlineCursor {
  at: Date;
  id: number;
}

function filtered(db: Executor, f: OverdueFilters) {
  let q = db
    .selectFrom('case')
    .where('case.status', 'in', OPEN_STATUSES)
    .where('case.deadline_at', '<', f.state === 'overdue' ? f.now : f.until)
    .where('case.paused_at', 'is', null);
  if (f.state === 'risk') q = q.where('case.deadline_at', '>=', f.now);
  if (f.department) q = q.where('case.department', '=', f.department);
  if (f.priority) q = q.where('case.priority', '=', f.priority);
  return q;
}

/** A page of the list, by deadline then id. */
export async function overduePage(
  db: Executor,
  f: OverdueFilters,
  page: { limit: number; after?: DeadlineCursor | undefined },
): Promise<OverdueRow[]> {
  let q = filtered(db, f)
    .leftJoin('official', 'official.id', 'case.assignee_id')
    .select([
      'case.id',
      'case.number',
      'case.status',
      'case.priority',
      'case.category',
      'case.department',
      'case.text',
      'case.deadline_at as deadlineAt',
      'official.name as assigneeName',
    ]);
  if (page.after) q = q.where(sql<boolean>`("case".deadline_at, "case".id) > (${page.after.at}, ${page.after.id})`);
  const rows = await q.orderBy('case.deadline_at').orderBy('case.id').limit(page.limit).execute();
  return rows as OverdueRow[];
}

/** How many are overdue and at risk, per department (null: not routed yet), for the same filters bar the state. */
export async function overdueCounts(
  db: Executor,
  f: Omit<OverdueFilters, 'state'>,
): Promise<{ department: string | null; overdue: number; risk: number }[]> {
  const rows = await filtered(db, { ...f, state: 'all' })
    .select([
      'case.department',
      sql<string>`count(*) filter (where "case".deadline_at < ${f.now})`.as('overdue'),
      sql<string>`count(*) filter (where "case".deadline_at >= ${f.now})`.as('risk'),
    ])
    .groupBy('case.department')
    .execute();
  return rows.map((r) => ({ department: r.department, overdue: Number(r.overdue), risk: Number(r.risk) }));
}

/** The escalation reminders (`escalate:<role>`) of these cases, sent or planned, by due time: one query for a page. */
export async function escalationRows(
  db: Executor,
  caseIds: readonly number[],
): Promise<{ caseId: number; kind: string; dueAt: Date; sentAt: Date | null; outcome: string | null }[]> {
  if (caseIds.length === 0) return [];
  return db
    .selectFrom('reminder')
    .select(['case_id as caseId', 'kind', 'due_at as dueAt', 'sent_at as sentAt', 'outcome'])
    .where('case_id', 'in', caseIds)
    .where('kind', 'like', 'escalate:%')
    .orderBy('case_id')
    .orderBy('due_at')
    .execute();
}
