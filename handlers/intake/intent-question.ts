import { type Actor, encodeActor } from '../../models/actor.js';
import { appendAudit } from '../../models/audit-repository.js';
import {
  attachMessageToCase,
  lockMessageForProcessing,
  type MessageForProcessing,
  markNotAProblem,
} from '../../models/case-repository.js';
import { inTransaction, type Tx } from '../../models/database.js';
import type { Channel, ReplyTarget } from '../../models/intake.js';
import { findCitizen } from '../../models/intake-repository.js';
import {
  decideIntentQuestion,
  type IntentQuestionRow,
  insertIntentQuestion,
  lockIntentQuestion,
  pendingIntentQuestionsOf,
} from '../../models/intent-question-repository.js';
import { replyTargetFor } from '../../models/reply-target.js';
import { insertFeedback, latestCaseOf } from '../../models/structuring-repository.js';
import type { Assessment } from '../structuring/assess.js';
import { wordsOf } from '../structuring/text.js';
import type { IntakeDeps } from './deps.js';
import { DEFAULT_FOLLOW_UP_CHOICE_TIMEOUT_MS } from './follow-up-choice.js';
import { assessMessage, notify, openCaseFor } from './open-case.js';

export type IntentAnswerOutcome = 'opened' | 'not_appeal' | 'not_yours' | 'stale';

/** «Да, это обращение» / «Нет, не обращение» as the channel adapters see them. */
export interface IntentQuestionsApi {
  answer(input: {
    messageId: number;
    appeal: boolean;
    sender: { channel: Channel; externalId: string };
  }): Promise<IntentAnswerOutcome>;
}

/**
 * No case, no loss: thanks count as positive feedback for whoever handled the citizen's latest case;
 * the message is kept with the reason, and a private chat is told.
 */
export async function recordNotProblem(
  deps: IntakeDeps,
  tx: Tx,
  message: MessageForProcessing,
  kind: 'thanks' | 'spam',
  reason: string,
  reply: 'thanks_received' | 'need_details' | 'not_an_appeal',
  target: ReplyTarget | null,
  now: Date,
): Promise<void> {
  if (kind === 'thanks') {
    const since = new Date(now.getTime() - deps.settings.followUpWindowMs);
    const latest = message.citizen_id === null ? undefined : await latestCaseOf(tx, message.citizen_id, message.source_id, since);
    await insertFeedback(
      tx,
      { kind: 'thanks', department: latest?.department ?? null, caseId: latest?.id ?? null, messageId: message.id },
      now,
    );
  }
  await markNotAProblem(tx, message.id, reason, now);
  if (target) await notify(deps, tx, target, { kind: reply });
}

// ---- asking (inside the process-message transaction) ----

/**
 * The rules call the message a problem, but it may be thanks or chatter (see IntentDecision.ask): it
 * waits, stored and without a case, for the citizen's answer; a delayed job makes it a case if none
 * comes in time, and so does the citizen's next message.
 */
export async function askIntent(
  deps: IntakeDeps,
  tx: Tx,
  message: { id: number; citizenId: number },
  assessment: Assessment,
  lean: 'thanks' | 'spam',
  target: ReplyTarget,
  now: Date,
): Promise<void> {
  const timeoutMs = deps.settings.followUpChoiceTimeoutMs ?? DEFAULT_FOLLOW_UP_CHOICE_TIMEOUT_MS;
  await insertIntentQuestion(tx, { messageId: message.id, citizenId: message.citizenId, lean, at: now });
  await appendAudit(tx, {
    actor: { type: 'system' },
    action: 'intent_asked',
    entity: 'message',
    entityId: message.id,
    details: { lean, intent: assessment.intent.reason },
  });
  await notify(deps, tx, target, {
    kind: 'intent_question',
    messageId: message.id,
    waitMinutes: Math.max(1, Math.round(timeoutMs / 60_000)),
  });
  await deps.jobs.send(
    'intent-question-timeout',
    { messageId: message.id },
    { tx, startAfter: new Date(now.getTime() + timeoutMs) },
  );
}

/**
 * The citizen wrote again instead of answering: their earlier questioned messages become cases first
 * (a citizen who keeps writing has a problem), so the new message can join them as a follow-up.
 */
export async function settlePendingQuestions(
  deps: IntakeDeps,
  tx: Tx,
  citizenId: number,
  sourceId: number,
  now: Date,
): Promise<void> {
  for (const messageId of await pendingIntentQuestionsOf(tx, citizenId, sourceId)) {
    const locked = await lockQuestion(tx, messageId);
    if (locked?.question.state === 'pending' && !locked.message.processed_at)
      await decide(deps, tx, locked, true, 'next_message', now);
  }
}

/** «Да» / «Нет» typed instead of pressed (its words as wordsOf reads them: lower case, ё → е). */
const TYPED_YES = new Set(['да', 'ага', 'угу', 'конечно', 'да это обращение', 'это обращение', 'обращение']);
const TYPED_NO = new Set(['нет', 'неа', 'не', 'нет не обращение', 'не обращение', 'нет спасибо', 'просто спасибо']);

/** What a typed reply means as an answer to «Это обращение?» (null: it is a message of its own). */
export function typedIntentAnswer(text: string): boolean | null {
  const words = wordsOf(text)
    .map((t) => t.word)
    .join(' ');
  if (TYPED_YES.has(words)) return true;
  if (TYPED_NO.has(words)) return false;
  return null;
}

/**
 * A typed «да» / «нет» while a question waits in this chat answers the latest one: the message is kept
 * as that answer (no case of its own). False when it is not such an answer or nothing waits.
 */
export async function answerPendingByText(
  deps: IntakeDeps,
  tx: Tx,
  citizenId: number,
  message: MessageForProcessing,
  now: Date,
): Promise<boolean> {
  const appeal = typedIntentAnswer(message.text);
  if (appeal === null) return false;
  const pending = await pendingIntentQuestionsOf(tx, citizenId, message.source_id);
  const latest = pending.at(-1);
  if (latest === undefined) return false;
  const locked = await lockQuestion(tx, latest);
  if (locked?.question.state !== 'pending' || locked.message.processed_at) return false;
  await decide(deps, tx, locked, appeal, { type: 'citizen', channel: message.channel as Channel }, now);
  await markNotAProblem(tx, message.id, `answer to «Это обращение?»: ${appeal ? 'yes' : 'no'}`, now);
  return true;
}

// ---- deciding (the button, the timeout or the next message, whichever locks the question first) ----

/** The citizen pressed «Да, это обращение» or «Нет». Only the citizen who was asked, only once. */
export async function answerIntent(
  deps: IntakeDeps,
  input: { messageId: number; appeal: boolean; sender: { channel: Channel; externalId: string } },
): Promise<IntentAnswerOutcome> {
  const now = deps.clock.now();
  return inTransaction(deps.db, async (tx) => {
    const locked = await lockQuestion(tx, input.messageId);
    if (!locked) return 'stale';
    const citizen = await findCitizen(tx, input.sender.channel, input.sender.externalId);
    if (!citizen || citizen.id !== locked.question.citizen_id) return 'not_yours';
    if (locked.question.state !== 'pending' || locked.message.processed_at) return 'stale';
    const outcome = await decide(deps, tx, locked, input.appeal, { type: 'citizen', channel: input.sender.channel }, now);
    return outcome === 'dropped' ? 'stale' : outcome;
  });
}

/** No answer in time: the message becomes a case (nothing, if the citizen answered or wrote first). */
export async function intentQuestionTimeout(
  deps: IntakeDeps,
  payload: { messageId: number },
): Promise<IntentAnswerOutcome | 'dropped'> {
  const now = deps.clock.now();
  return inTransaction(deps.db, async (tx) => {
    const locked = await lockQuestion(tx, payload.messageId);
    if (locked?.question.state !== 'pending' || locked.message.processed_at) return 'stale';
    return decide(deps, tx, locked, true, 'timeout', now);
  });
}

interface LockedQuestion {
  message: MessageForProcessing;
  question: IntentQuestionRow;
}

/** The message first, then its question: the order process-message locks in too, so they never deadlock. */
async function lockQuestion(tx: Tx, messageId: number): Promise<LockedQuestion | null> {
  const message = await lockMessageForProcessing(tx, messageId);
  if (!message) return null;
  const question = await lockIntentQuestion(tx, messageId);
  return question ? { message, question } : null;
}

async function decide(
  deps: IntakeDeps,
  tx: Tx,
  { message, question }: LockedQuestion,
  appeal: boolean,
  decider: Actor | 'timeout' | 'next_message',
  now: Date,
): Promise<IntentAnswerOutcome | 'dropped'> {
  const by = typeof decider === 'string' ? decider : encodeActor(decider);
  const target = replyTargetFor(message.channel, message.platform_ids);
  let outcome: IntentAnswerOutcome | 'dropped';
  let resultCaseId: number | null = null;
  if (message.deleted_at) {
    // The citizen deleted the message while we waited: nothing to decide.
    await attachMessageToCase(tx, message.id, null, now);
    outcome = 'dropped';
  } else if (appeal) {
    // The case's clock starts when the citizen wrote, not when the question was settled.
    const at = message.received_at;
    const opened = await openCaseFor(deps, tx, message, assessMessage(deps, message, at), target, at);
    resultCaseId = opened.caseId;
    outcome = 'opened';
  } else {
    const reply = question.lean === 'thanks' ? 'thanks_received' : 'not_an_appeal';
    await recordNotProblem(deps, tx, message, question.lean, `citizen: not an appeal (${question.lean})`, reply, target, now);
    outcome = 'not_appeal';
  }
  await decideIntentQuestion(tx, message.id, {
    state: outcome === 'opened' ? 'appeal' : outcome === 'not_appeal' ? 'not_appeal' : 'dropped',
    decidedBy: by,
    resultCaseId,
    at: now,
  });
  await appendAudit(tx, {
    actor: typeof decider === 'string' ? { type: 'system' } : decider,
    action: 'intent_decided',
    entity: 'message',
    entityId: message.id,
    details: { appeal, by, resultCaseId },
  });
  return outcome;
}
