import type { Executor } from './database.js';

/**
 * The reads of the console's case page that the case view (case-query.ts) does not carry: whether the
 * clock is stopped, who holds the case, a merge, the answers' photos, the names behind stored actors.
 * Each is one bounded query by primary key or an indexed case id.
 */

export interface CaseExtras {
  /** When the case started waiting for the citizen (its clock stopped); null when it runs. */
  pausedAt: Date | null;
  assignee: { id: number; name: string } | null;
  mergedInto: { id: number; number: string } | null;
}

export async function caseExtras(db: Executor, caseId: number): Promise<CaseExtras | undefined> {
  const row = await db
    .selectFrom('case')
    .leftJoin('official', 'official.id', 'case.assignee_id')
    .leftJoin('case as main', 'main.id', 'case.merged_into')
    .select([
      'case.paused_at',
      'case.assignee_id',
      'official.name as assignee_name',
      'case.merged_into',
      'main.number as main_number',
    ])
    .where('case.id', '=', caseId)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    pausedAt: row.paused_at,
    assignee: row.assignee_id !== null ? { id: row.assignee_id, name: row.assignee_name ?? `№${row.assignee_id}` } : null,
    mergedInto: row.merged_into !== null ? { id: row.merged_into, number: row.main_number ?? String(row.merged_into) } : null,
  };
}

/** How many photos each answer of a case went with (answers from the bot may carry them). */
export async function answerPhotoCounts(db: Executor, caseId: number): Promise<Map<number, number>> {
  const rows = await db.selectFrom('answer').select(['id', 'photos']).where('case_id', '=', caseId).execute();
  return new Map(rows.map((r) => [r.id, Array.isArray(r.photos) ? r.photos.length : 0]));
}

/** The names of people by id (the actors of a case's audit trail and answers); at most `limit` ids. */
export async function officialNames(db: Executor, ids: readonly number[], limit = 200): Promise<Map<number, string>> {
  const wanted = [...new Set(ids)].slice(0, limit);
  if (wanted.length === 0) return new Map();
  const rows = await db.selectFrom('official').select(['id', 'name']).where('id', 'in', wanted).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** Active people to assign a case to, by department and name; bounded, a city has hundreds, not thousands. */
export async function assignablePeople(
  db: Executor,
  limit = 1000,
): Promise<{ id: number; name: string; department: string; role: string }[]> {
  return db
    .selectFrom('official')
    .select(['id', 'name', 'department', 'role'])
    .where('active', '=', true)
    .orderBy('department')
    .orderBy('name')
    .limit(limit)
    .execute();
}
