import { sql } from 'kysely';
import { type Actor, encodeActor } from './actor.js';
import type { Executor } from './database.js';
import { encodeReminderKind, type ReminderKind } from './reminder-kind.js';

/** A case with what deciding its deadline needs, locked for the rest of the transaction. */
export async function lockCaseForAction(db: Executor, caseId: number) {
  return db
    .selectFrom('case')
    .select([
      'id',
      'number',
      'status',
      'channel',
      'priority',
      'regime',
      'department',
      'created_at',
      'deadline_at',
      'latest_deadline_at',
      'paused_at',
      'merged_into',
      'assignee_id',
      'citizen_id',
      'updated_at',
      'deadline_provisional',
    ])
    .where('id', '=', caseId)
    .forUpdate()
    .executeTakeFirst();
}

export type LockedCase = NonNullable<Awaited<ReturnType<typeof lockCaseForAction>>>;

/** A moved deadline; `provisional` (left as it is when omitted) says it rests on the art. 112 fallback. */
export async function setCaseDeadline(
  db: Executor,
  caseId: number,
  deadline: Date,
  at: Date,
  latest?: Date | null,
  provisional?: boolean,
): Promise<void> {
  await db
    .updateTable('case')
    .set({
      deadline_at: deadline,
      ...(latest === undefined ? {} : { latest_deadline_at: latest }),
      ...(provisional === undefined ? {} : { deadline_provisional: provisional }),
      updated_at: at,
    })
    .where('id', '=', caseId)
    .execute();
}

export async function setCaseAssignee(db: Executor, caseId: number, officialId: number | null): Promise<void> {
  await db.updateTable('case').set({ assignee_id: officialId }).where('id', '=', caseId).execute();
}

export async function setCasePaused(db: Executor, caseId: number, pausedAt: Date | null, at: Date): Promise<void> {
  await db.updateTable('case').set({ paused_at: pausedAt, updated_at: at }).where('id', '=', caseId).execute();
}

/** Routes a case to a department (or back to triage with `department: null`, which also ends a pause). */
export async function setCaseDepartment(
  db: Executor,
  caseId: number,
  c: { department: string | null; status: string; triageReason: string | null; routingRule: string; assigneeId: number | null },
  at: Date,
): Promise<void> {
  await db
    .updateTable('case')
    .set({
      department: c.department,
      status: c.status,
      triage_reason: c.triageReason,
      routing_rule: c.routingRule,
      assignee_id: c.assigneeId,
      ...(c.department === null ? { paused_at: null } : {}),
      updated_at: at,
    })
    .where('id', '=', caseId)
    .execute();
}

// ---------------------------------------------------------------------------------------------
// Extension requests
// ---------------------------------------------------------------------------------------------

/** A new pending request; undefined when the case already has one waiting. */
export async function insertExtensionRequest(
  db: Executor,
  r: { caseId: number; requestedBy: Actor; reason: string; previousDeadline: Date; until: Date },
  at: Date,
): Promise<number | undefined> {
  const row = await db
    .insertInto('extension_request')
    .values({
      case_id: r.caseId,
      requested_by: encodeActor(r.requestedBy),
      reason: r.reason,
      previous_deadline_at: r.previousDeadline,
      requested_until: r.until,
      created_at: at,
    })
    .onConflict((oc) => oc.column('case_id').where('state', '=', 'pending').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

export async function lockExtensionRequest(db: Executor, id: number) {
  return db.selectFrom('extension_request').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function decideExtensionRequest(
  db: Executor,
  id: number,
  d: { state: 'approved' | 'rejected'; by: Actor; comment: string | null },
  at: Date,
): Promise<void> {
  await db
    .updateTable('extension_request')
    .set({ state: d.state, decided_by: encodeActor(d.by), decision_comment: d.comment, decided_at: at })
    .where('id', '=', id)
    .execute();
}

export interface ExtensionRequestItem {
  id: number;
  caseId: number;
  caseNumber: string;
  requestedBy: string;
  reason: string;
  previousDeadlineAt: Date;
  requestedUntil: Date;
  state: string;
  decidedBy: string | null;
  decidedAt: Date | null;
  createdAt: Date;
}

export async function listExtensionRequests(db: Executor, filter: { state?: string; caseId?: number }) {
  let q = db
    .selectFrom('extension_request')
    .innerJoin('case', 'case.id', 'extension_request.case_id')
    .select([
      'extension_request.id',
      'extension_request.case_id as caseId',
      'case.number as caseNumber',
      'extension_request.requested_by as requestedBy',
      'extension_request.reason',
      'extension_request.previous_deadline_at as previousDeadlineAt',
      'extension_request.requested_until as requestedUntil',
      'extension_request.state',
      'extension_request.decided_by as decidedBy',
      'extension_request.decided_at as decidedAt',
      'extension_request.created_at as createdAt',
    ])
    .orderBy('extension_request.id')
    .limit(200);
  if (filter.state) q = q.where('extension_request.state', '=', filter.state as 'pending');
  if (filter.caseId) q = q.where('extension_request.case_id', '=', filter.caseId);
  return (await q.execute()) as ExtensionRequestItem[];
}

// ---------------------------------------------------------------------------------------------
// Reminders: a new deadline moves the reminders not sent yet
// ---------------------------------------------------------------------------------------------

/** New due times for reminders not sent yet (sent ones stay as history); returns the items moved. */
export async function rescheduleReminders<T extends { kind: ReminderKind; dueAt: Date }>(
  db: Executor,
  caseId: number,
  items: readonly T[],
): Promise<T[]> {
  if (items.length === 0) return [];
  const kinds = items.map((i) => encodeReminderKind(i.kind));
  const values = sql.join(items.map((i, n) => sql`(${kinds[n]}::text, ${i.dueAt}::timestamptz)`));
  const rows = await sql<{ kind: string }>`
    insert into reminder (case_id, kind, due_at)
    select ${caseId}, v.kind, v.due_at from (values ${values}) as v(kind, due_at)
    on conflict (case_id, kind) do update set due_at = excluded.due_at where reminder.sent_at is null
    returning kind`.execute(db);
  const moved = new Set(rows.rows.map((r) => r.kind));
  return items.filter((_, n) => moved.has(kinds[n] as string));
}

// ---------------------------------------------------------------------------------------------
// Merging duplicates
// ---------------------------------------------------------------------------------------------

/**
 * Marks `from` as a duplicate of `into` and closes it (its messages stay with it, for the record);
 * duplicates already merged into `from` now point at `into`, so they get its answers too.
 */
export async function markCaseMerged(db: Executor, from: number, into: number, at: Date): Promise<void> {
  await db
    .updateTable('case')
    .set({ merged_into: into, status: 'closed', paused_at: null, updated_at: at })
    .where('id', '=', from)
    .execute();
  await db.updateTable('case').set({ merged_into: into, updated_at: at }).where('merged_into', '=', from).execute();
}

/** Duplicates merged into a case: each of their citizens gets the case's answers too. */
export async function mergedCaseIds(db: Executor, into: number): Promise<number[]> {
  const rows = await db.selectFrom('case').select('id').where('merged_into', '=', into).orderBy('id').execute();
  return rows.map((r) => r.id);
}

// ---------------------------------------------------------------------------------------------
// Answers held for an operator
// ---------------------------------------------------------------------------------------------

export async function lockAnswer(db: Executor, answerId: number) {
  return db
    .selectFrom('answer')
    .innerJoin('case', 'case.id', 'answer.case_id')
    .select([
      'answer.id',
      'answer.case_id',
      'answer.kind',
      'answer.state',
      'answer.author',
      'answer.text',
      'answer.photos',
      'case.number',
    ])
    .where('answer.id', '=', answerId)
    .forUpdate('answer')
    .executeTakeFirst();
}

export async function reviewAnswer(
  db: Executor,
  answerId: number,
  r: { state: 'queued' | 'rejected'; by: Actor; error: string | null },
  at: Date,
): Promise<void> {
  await db
    .updateTable('answer')
    .set({ state: r.state, reviewed_by: encodeActor(r.by), reviewed_at: at, error: r.error })
    .where('id', '=', answerId)
    .execute();
}

// ---------------------------------------------------------------------------------------------
// Waiting for the citizen
// ---------------------------------------------------------------------------------------------

/** The citizen's case in this chat that waits for their answer, locked; the latest if several. */
export async function findPausedCase(db: Executor, citizenId: number, sourceId: number) {
  const row = await db
    .selectFrom('case')
    .select('id')
    .where('citizen_id', '=', citizenId)
    .where('source_id', '=', sourceId)
    .where('paused_at', 'is not', null)
    .where('status', 'in', ['assigned', 'in_progress', 'interim_replied', 'reopened'])
    .orderBy('paused_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? lockCaseForAction(db, row.id) : undefined;
}
