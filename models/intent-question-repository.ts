import type { Executor } from './database.js';
import type { IntentQuestionState } from './schema.js';

export interface IntentQuestionRow {
  message_id: number;
  citizen_id: number;
  lean: 'thanks' | 'spam';
  state: IntentQuestionState;
}

const COLUMNS = ['message_id', 'citizen_id', 'lean', 'state'] as const;

/** A message starts waiting for the citizen's answer to «Это обращение?». */
export async function insertIntentQuestion(
  db: Executor,
  q: { messageId: number; citizenId: number; lean: 'thanks' | 'spam'; at: Date },
): Promise<void> {
  await db
    .insertInto('intent_question')
    .values({ message_id: q.messageId, citizen_id: q.citizenId, lean: q.lean, asked_at: q.at })
    .execute();
}

/** The question a message waits for (whatever its state), locked: the press, the timeout and the next message take turns. */
export async function lockIntentQuestion(db: Executor, messageId: number): Promise<IntentQuestionRow | undefined> {
  return db.selectFrom('intent_question').select(COLUMNS).where('message_id', '=', messageId).forUpdate().executeTakeFirst();
}

/** The citizen's questions still unanswered in this chat, oldest first (message ids). */
export async function pendingIntentQuestionsOf(db: Executor, citizenId: number, sourceId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('intent_question')
    .innerJoin('message', 'message.id', 'intent_question.message_id')
    .select('intent_question.message_id')
    .where('intent_question.citizen_id', '=', citizenId)
    .where('message.source_id', '=', sourceId)
    .where('intent_question.state', '=', 'pending')
    .orderBy('intent_question.asked_at')
    .orderBy('intent_question.message_id')
    .execute();
  return rows.map((r) => r.message_id);
}

/** Records how a pending question ended; false when it had already ended (another side won). */
export async function decideIntentQuestion(
  db: Executor,
  messageId: number,
  d: { state: Exclude<IntentQuestionState, 'pending'>; decidedBy: string; resultCaseId: number | null; at: Date },
): Promise<boolean> {
  const r = await db
    .updateTable('intent_question')
    .set({ state: d.state, decided_by: d.decidedBy, result_case_id: d.resultCaseId, decided_at: d.at })
    .where('message_id', '=', messageId)
    .where('state', '=', 'pending')
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}
