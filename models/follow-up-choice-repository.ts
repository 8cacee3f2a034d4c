import type { Executor } from './database.js';
import type { FollowUpChoiceState } from './schema.js';

export interface FollowUpChoiceRow {
  message_id: number;
  citizen_id: number;
  case_id: number;
  follows_message_id: number | null;
  state: FollowUpChoiceState;
}

const COLUMNS = ['message_id', 'citizen_id', 'case_id', 'follows_message_id', 'state'] as const;

/** A message starts waiting for the citizen's choice (or for the pending choice it follows). */
export async function insertFollowUpChoice(
  db: Executor,
  c: { messageId: number; citizenId: number; caseId: number; followsMessageId: number | null; at: Date },
): Promise<void> {
  await db
    .insertInto('follow_up_choice')
    .values({
      message_id: c.messageId,
      citizen_id: c.citizenId,
      case_id: c.caseId,
      follows_message_id: c.followsMessageId,
      asked_at: c.at,
    })
    .execute();
}

/** The choice a message waits for (whatever its state), locked: the press and the timeout take turns here. */
export async function lockFollowUpChoice(db: Executor, messageId: number): Promise<FollowUpChoiceRow | undefined> {
  return db.selectFrom('follow_up_choice').select(COLUMNS).where('message_id', '=', messageId).forUpdate().executeTakeFirst();
}

/** The citizen's latest question still unanswered in this chat, locked (null when none). */
export async function lockPendingChoiceOf(
  db: Executor,
  citizenId: number,
  sourceId: number,
): Promise<FollowUpChoiceRow | undefined> {
  return db
    .selectFrom('follow_up_choice')
    .innerJoin('message', 'message.id', 'follow_up_choice.message_id')
    .select(COLUMNS.map((c) => `follow_up_choice.${c}` as const))
    .where('follow_up_choice.citizen_id', '=', citizenId)
    .where('message.source_id', '=', sourceId)
    .where('follow_up_choice.state', '=', 'pending')
    .where('follow_up_choice.follows_message_id', 'is', null)
    .orderBy('follow_up_choice.asked_at', 'desc')
    .limit(1)
    .forUpdate('follow_up_choice')
    .executeTakeFirst();
}

/** The messages waiting with `messageId`, oldest first. */
export async function pendingFollowersOf(db: Executor, messageId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('follow_up_choice')
    .select('message_id')
    .where('follows_message_id', '=', messageId)
    .where('state', '=', 'pending')
    .orderBy('message_id')
    .forUpdate()
    .execute();
  return rows.map((r) => r.message_id);
}

/** Records how a pending choice ended; false when it had already ended (the other side won). */
export async function decideFollowUpChoice(
  db: Executor,
  messageId: number,
  d: { state: Exclude<FollowUpChoiceState, 'pending'>; decidedBy: string; resultCaseId: number | null; at: Date },
): Promise<boolean> {
  const r = await db
    .updateTable('follow_up_choice')
    .set({ state: d.state, decided_by: d.decidedBy, result_case_id: d.resultCaseId, decided_at: d.at })
    .where('message_id', '=', messageId)
    .where('state', '=', 'pending')
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}
