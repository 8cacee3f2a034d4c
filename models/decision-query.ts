import type { Executor } from './database.js';

/**
 * What waits for an operator's decision, for the console's «Решения»: answers the quality gate held
 * and pending extension requests, oldest first (keyset by id), with their case. Both lists are small
 * in practice (decided within the day), while answers and decided requests pile up: each list is a
 * walk of its own partial index in id order (answer_held_idx, extension_request_pending_id_idx,
 * migration 0033).
 */
export interface HeldAnswerRow {
  id: number;
  caseId: number;
  caseNumber: string;
  department: string | null;
  caseText: string;
  deadlineAt: Date | null;
  kind: 'interim' | 'final';
  text: string;
  /** An encoded Actor (models/actor.ts). */
  author: string;
  quality: Record<string, unknown>;
  createdAt: Date;
}

export async function heldAnswerPage(
  db: Executor,
  page: { limit: number; afterId?: number | undefined; department?: string | undefined },
): Promise<HeldAnswerRow[]> {
  let q = db
    .selectFrom('answer')
    .innerJoin('case', 'case.id', 'answer.case_id')
    .select([
      'answer.id',
      'answer.case_id as caseId',
      'case.number as caseNumber',
      'case.department',
      'case.text as caseText',
      'case.deadline_at as deadlineAt',
      'answer.kind',
      'answer.text',
      'answer.author',
      'answer.quality',
      'answer.created_at as createdAt',
    ])
    .where('answer.state', '=', 'held');
  if (page.afterId !== undefined) q = q.where('answer.id', '>', page.afterId);
  if (page.department) q = q.where('case.department', '=', page.department);
  return (await q.orderBy('answer.id').limit(page.limit).execute()) as HeldAnswerRow[];
}

export interface PendingExtensionRow {
  id: number;
  caseId: number;
  caseNumber: string;
  department: string | null;
  caseText: string;
  /** An encoded Actor (models/actor.ts). */
  requestedBy: string;
  reason: string;
  previousDeadlineAt: Date;
  requestedUntil: Date;
  createdAt: Date;
}

export async function pendingExtensionPage(
  db: Executor,
  page: { limit: number; afterId?: number | undefined; department?: string | undefined },
): Promise<PendingExtensionRow[]> {
  let q = db
    .selectFrom('extension_request')
    .innerJoin('case', 'case.id', 'extension_request.case_id')
    .select([
      'extension_request.id',
      'extension_request.case_id as caseId',
      'case.number as caseNumber',
      'case.department',
      'case.text as caseText',
      'extension_request.requested_by as requestedBy',
      'extension_request.reason',
      'extension_request.previous_deadline_at as previousDeadlineAt',
      'extension_request.requested_until as requestedUntil',
      'extension_request.created_at as createdAt',
    ])
    .where('extension_request.state', '=', 'pending');
  if (page.afterId !== undefined) q = q.where('extension_request.id', '>', page.afterId);
  if (page.department) q = q.where('case.department', '=', page.department);
  return (await q.orderBy('extension_request.id').limit(page.limit).execute()) as PendingExtensionRow[];
}

/** Who decided an extension request or a held answer already, and when (for «уже решено»). */
export async function decisionOf(
  db: Executor,
  what: { kind: 'answer' | 'extension'; id: number },
): Promise<{ state: string; by: string | null; at: Date | null } | undefined> {
  if (what.kind === 'answer')
    return db
      .selectFrom('answer')
      .select(['state', 'reviewed_by as by', 'reviewed_at as at'])
      .where('id', '=', what.id)
      .executeTakeFirst();
  return db
    .selectFrom('extension_request')
    .select(['state', 'decided_by as by', 'decided_at as at'])
    .where('id', '=', what.id)
    .executeTakeFirst();
}

/** People's names by id, in one query (for the authors of a page's rows). */
export async function officialNames(db: Executor, ids: readonly number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('official').select(['id', 'name']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}
