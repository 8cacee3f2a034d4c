import type { Executor } from './database.js';
import type { OfficialCase } from './people-repository.js';
import { reachable } from './staff-account-repository.js';

/** Statuses of a case that sits with a department (what /my lists): the digest counts these. */
const WITH_DEPARTMENT = ['assigned', 'in_progress', 'interim_replied', 'reopened'];

/** Who may get a digest: active people with a messenger account it can reach (bound, not blocked), by id. */
export async function digestCandidates(db: Executor): Promise<{ id: number; role: string; department: string }[]> {
  return db.selectFrom('official').select(['id', 'role', 'department']).where(reachable).orderBy('id').execute();
}

export type DigestCase = OfficialCase & { due: 'overdue' | 'today' | 'later' };

/** One person's morning digest, ready for a channel to render; a part is absent when it has nothing. */
export interface Digest {
  /** Local date "YYYY-MM-DD". */
  date: string;
  department?: { name: string; open: number; overdue: number; dueToday: number; cases: DigestCase[] };
  city?: { open: number; overdue: number; departments: { name: string; open: number; overdue: number }[]; more: number };
  triage?: number;
}

export interface DepartmentLoad {
  department: string;
  open: number;
  overdue: number;
  /** Not yet overdue, due before `dayEnd`. */
  dueToday: number;
}

/** Open cases per department (or of one): how many, how many overdue at `now`, how many due before `dayEnd`. */
export async function departmentLoads(
  db: Executor,
  at: { now: Date; dayEnd: Date },
  department?: string,
): Promise<DepartmentLoad[]> {
  let q = db
    .selectFrom('case')
    .select((eb) => [
      eb.ref('department').$castTo<string>().as('department'),
      eb.fn.countAll<string>().as('open'),
      eb.fn.countAll<string>().filterWhere('deadline_at', '<', at.now).as('overdue'),
      eb.fn
        .countAll<string>()
        .filterWhere((f) => f.and([f('deadline_at', '>=', at.now), f('deadline_at', '<', at.dayEnd)]))
        .as('dueToday'),
    ])
    .where('status', 'in', WITH_DEPARTMENT)
    .where('department', 'is not', null)
    .groupBy('department');
  if (department) q = q.where('department', '=', department);
  const rows = await q.execute();
  return rows.map((r) => ({
    department: r.department,
    open: Number(r.open),
    overdue: Number(r.overdue),
    dueToday: Number(r.dueToday),
  }));
}

/** A department's open cases in digest order: overdue, then due today, then the rest (by deadline; none last). */
export async function digestCases(db: Executor, department: string, limit: number): Promise<OfficialCase[]> {
  return db
    .selectFrom('case')
    .select(['number', 'status', 'text', 'priority', 'deadline_at as deadlineAt'])
    .where('department', '=', department)
    .where('status', 'in', WITH_DEPARTMENT)
    .orderBy(
      (eb) => eb.ref('deadline_at'),
      (ob) => ob.asc().nullsLast(),
    )
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** Cases waiting in the operators' triage queue. */
export async function triageCount(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('case')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('status', '=', 'triage')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Claims the day's digest for each person; returns only the ids claimed by this call. Of two
 * transactions claiming the same rows, the second waits for the first and then claims none of them.
 */
export async function claimDigests(db: Executor, localDate: string, officialIds: readonly number[]): Promise<number[]> {
  if (officialIds.length === 0) return [];
  // Sorted, so two claimers lock rows in the same order and cannot deadlock.
  const ids = [...officialIds].sort((a, b) => a - b);
  const rows = await db
    .insertInto('digest')
    .values(ids.map((id) => ({ official_id: id, local_date: localDate })))
    .onConflict((oc) => oc.columns(['official_id', 'local_date']).doNothing())
    .returning('official_id')
    .execute();
  return rows.map((r) => r.official_id);
}

export async function findDigest(
  db: Executor,
  officialId: number,
  localDate: string,
): Promise<{ sentAt: Date | null; outcome: string | null } | undefined> {
  return db
    .selectFrom('digest')
    .select(['sent_at as sentAt', 'outcome'])
    .where('official_id', '=', officialId)
    .where('local_date', '=', localDate)
    .executeTakeFirst();
}

export async function markDigest(db: Executor, officialId: number, localDate: string, outcome: string, at: Date): Promise<void> {
  await db
    .updateTable('digest')
    .set({ sent_at: at, outcome })
    .where('official_id', '=', officialId)
    .where('local_date', '=', localDate)
    .execute();
}
