import { sql } from 'kysely';
import type { Executor } from './database.js';
import type { PollTable } from './schema.js';

export async function createPoll(db: Executor, caseId: number, state: 'scheduled' | 'unreachable', at: Date): Promise<void> {
  await db
    .insertInto('poll')
    .values({ case_id: caseId, state, created_at: at })
    .onConflict((oc) => oc.column('case_id').doNothing())
    .execute();
}

export async function pollOf(db: Executor, caseId: number) {
  return db.selectFrom('poll').selectAll().where('case_id', '=', caseId).forUpdate().executeTakeFirst();
}

export async function updatePoll(
  db: Executor,
  caseId: number,
  set: Partial<Pick<PollTable, 'state' | 'solved' | 'rating'>> & { asked_at?: Date; reminded_at?: Date; answered_at?: Date },
): Promise<void> {
  await db.updateTable('poll').set(set).where('case_id', '=', caseId).execute();
}

/** The case's first private message: where a poll can be asked (null when the citizen wrote in public). */
export async function privateOrigin(db: Executor, caseId: number) {
  return db
    .selectFrom('message')
    .innerJoin('case', 'case.id', 'message.case_id')
    .select(['message.channel', 'message.kind', 'message.platform_ids', 'case.number', 'case.status', 'case.citizen_id'])
    .where('message.case_id', '=', caseId)
    .orderBy('message.id')
    .limit(1)
    .executeTakeFirst();
}

// ---- the optional comment ----

/** «Добавить комментарий» was pressed: the citizen's next private message is the comment. */
export async function markCommentRequested(db: Executor, caseId: number, at: Date): Promise<void> {
  await db.updateTable('poll').set({ comment_requested_at: at }).where('case_id', '=', caseId).execute();
}

/** «Новое обращение» pressed after «Добавить комментарий»: the latest intent wins, no message is taken as a comment. */
export async function cancelCommentRequests(db: Executor, citizenId: number): Promise<void> {
  await db
    .updateTable('poll')
    .set({ comment_requested_at: null })
    .where('comment', 'is', null)
    .where('comment_requested_at', 'is not', null)
    .where('case_id', 'in', (eb) => eb.selectFrom('case').select('id').where('citizen_id', '=', citizenId))
    .execute();
}

/**
 * The poll waiting for this citizen's comment: requested at most `windowMs` before the message
 * arrived (and not after it, so a message already on its way is not taken). Locked, so two
 * messages processed at once cannot both become the comment.
 */
export async function pollAwaitingComment(db: Executor, citizenId: number, receivedAt: Date, windowMs: number) {
  return db
    .selectFrom('poll')
    .innerJoin('case', 'case.id', 'poll.case_id')
    .select(['poll.case_id', 'poll.solved', 'poll.rating', 'case.number'])
    .where('case.citizen_id', '=', citizenId)
    .where('poll.comment', 'is', null)
    .where('poll.comment_requested_at', '<=', receivedAt)
    .where('poll.comment_requested_at', '>', new Date(receivedAt.getTime() - windowMs))
    .orderBy('poll.comment_requested_at', 'desc')
    .limit(1)
    .forUpdate('poll')
    .executeTakeFirst();
}

export async function savePollComment(db: Executor, caseId: number, comment: string, at: Date): Promise<void> {
  await db
    .updateTable('poll')
    .set({ comment, commented_at: at, comment_requested_at: null })
    .where('case_id', '=', caseId)
    .execute();
}

/** Adds the citizen's comment to the latest «reopened» alert of the case; its id, if there is one. */
export async function commentReopenedAlert(db: Executor, caseId: number, comment: string): Promise<number | undefined> {
  const alert = await db
    .selectFrom('alert')
    .select('id')
    .where('case_id', '=', caseId)
    .where('kind', '=', 'reopened')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!alert) return undefined;
  await db
    .updateTable('alert')
    .set({ details: sql`details || jsonb_build_object('comment', ${comment}::text)` })
    .where('id', '=', alert.id)
    .execute();
  return alert.id;
}
