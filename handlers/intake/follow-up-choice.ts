import { type Actor, encodeActor } from '../../models/actor.js';
import { appendAudit } from '../../models/audit-repository.js';
import {
  attachMessageToCase,
  type FollowUpCase,
  lockMessageForProcessing,
  lockOpenCase,
  type MessageForProcessing,
} from '../../models/case-repository.js';
import { inTransaction, type Tx } from '../../models/database.js';
import {
  decideFollowUpChoice,
  type FollowUpChoiceRow,
  insertFollowUpChoice,
  lockFollowUpChoice,
  pendingFollowersOf,
} from '../../models/follow-up-choice-repository.js';
import type { Channel, ReplyTarget } from '../../models/intake.js';
import { findCitizen } from '../../models/intake-repository.js';
import { replyTargetFor } from '../../models/reply-target.js';
import type { IntakeDeps } from './deps.js';
import type { FollowUpVerdict } from './follow-up-rule.js';
import { assessMessage, joinCase, notify, openCaseFor } from './open-case.js';

/** How long a citizen has to answer «дополнение или новое обращение?» when the domain file says nothing. */
export const DEFAULT_FOLLOW_UP_CHOICE_TIMEOUT_MS = 5 * 60_000;

export type FollowUpChoice = 'addition' | 'new';
export type FollowUpChoiceOutcome = 'joined' | 'opened' | 'not_yours' | 'stale';

/** The choice buttons as the channel adapters see them (bound by bindFollowUps, handlers/intake/index.ts). */
export interface FollowUpsApi {
  choose(input: {
    messageId: number;
    choice: FollowUpChoice;
    sender: { channel: Channel; externalId: string };
  }): Promise<FollowUpChoiceOutcome>;
}

// ---- asking (inside the process-message transaction) ----

/**
 * The message is about something else than the open case: it waits, stored and without a case, for
 * the citizen's choice; a delayed job makes it a new case if no answer comes in time.
 */
export async function askFollowUp(
  deps: IntakeDeps,
  tx: Tx,
  message: { id: number; citizenId: number },
  open: FollowUpCase,
  target: ReplyTarget,
  verdict: FollowUpVerdict,
  now: Date,
): Promise<void> {
  const timeoutMs = deps.settings.followUpChoiceTimeoutMs ?? DEFAULT_FOLLOW_UP_CHOICE_TIMEOUT_MS;
  await insertFollowUpChoice(tx, {
    messageId: message.id,
    citizenId: message.citizenId,
    caseId: open.id,
    followsMessageId: null,
    at: now,
  });
  const { join: _join, rule: _rule, ...why } = verdict;
  await appendAudit(tx, {
    actor: { type: 'system' },
    action: 'follow_up_asked',
    entity: 'case',
    entityId: open.id,
    details: { messageId: message.id, ...why },
  });
  await notify(deps, tx, target, {
    kind: 'follow_up_choice',
    messageId: message.id,
    caseNumber: open.number,
    waitMinutes: Math.max(1, Math.round(timeoutMs / 60_000)),
  });
  await deps.jobs.send('follow-up-timeout', { messageId: message.id }, { tx, startAfter: new Date(now.getTime() + timeoutMs) });
}

/** A topicless message («вот фото») sent while another waits for the choice: it will go where that one goes. */
export async function waitWithPending(
  tx: Tx,
  message: { id: number; citizenId: number },
  pending: FollowUpChoiceRow,
  now: Date,
): Promise<void> {
  await insertFollowUpChoice(tx, {
    messageId: message.id,
    citizenId: message.citizenId,
    caseId: pending.case_id,
    followsMessageId: pending.message_id,
    at: now,
  });
  await appendAudit(tx, {
    actor: { type: 'system' },
    action: 'follow_up_waits',
    entity: 'case',
    entityId: pending.case_id,
    details: { messageId: message.id, follows: pending.message_id },
  });
}

// ---- deciding (the button or the timeout, whichever locks the choice first) ----

/**
 * The citizen pressed «Дополнение к обращению …» or «Новое обращение». Only the citizen who was
 * asked, only for that waiting message, only once: anything else is 'not_yours' or 'stale'.
 */
export async function chooseFollowUp(
  deps: IntakeDeps,
  input: { messageId: number; choice: FollowUpChoice; sender: { channel: Channel; externalId: string } },
): Promise<FollowUpChoiceOutcome> {
  const now = deps.clock.now();
  return inTransaction(deps.db, async (tx) => {
    const locked = await lockChoice(tx, input.messageId);
    if (!locked) return 'stale';
    const citizen = await findCitizen(tx, input.sender.channel, input.sender.externalId);
    if (!citizen || citizen.id !== locked.choice.citizen_id) return 'not_yours';
    if (locked.choice.state !== 'pending' || locked.message.processed_at) return 'stale';
    const outcome = await decide(deps, tx, locked, input.choice, { type: 'citizen', channel: input.sender.channel }, now);
    return outcome === 'dropped' ? 'stale' : outcome;
  });
}

/** The answer did not come in time: the message becomes a new case (nothing, if the citizen answered first). */
export async function followUpTimeout(
  deps: IntakeDeps,
  payload: { messageId: number },
): Promise<FollowUpChoiceOutcome | 'dropped'> {
  const now = deps.clock.now();
  return inTransaction(deps.db, async (tx) => {
    const locked = await lockChoice(tx, payload.messageId);
    if (locked?.choice.state !== 'pending' || locked.message.processed_at) return 'stale';
    return decide(deps, tx, locked, 'new', 'timeout', now);
  });
}

interface LockedChoice {
  message: MessageForProcessing;
  choice: FollowUpChoiceRow;
}

/** The message first, then its choice: the order process-message locks in too, so they never deadlock. */
async function lockChoice(tx: Tx, messageId: number): Promise<LockedChoice | null> {
  const message = await lockMessageForProcessing(tx, messageId);
  if (!message) return null;
  const choice = await lockFollowUpChoice(tx, messageId);
  // A message waiting with another has no buttons of its own.
  if (!choice || choice.follows_message_id !== null) return null;
  return { message, choice };
}

async function decide(
  deps: IntakeDeps,
  tx: Tx,
  { message, choice }: LockedChoice,
  wanted: FollowUpChoice,
  decider: Actor | 'timeout',
  now: Date,
): Promise<FollowUpChoiceOutcome | 'dropped'> {
  // decided_by and the audit details keep "timeout" or the citizen's stored actor text.
  const by = decider === 'timeout' ? 'timeout' : encodeActor(decider);
  const target = replyTargetFor(message.channel, message.platform_ids);
  let result: { caseId: number; number: string } | null = null;
  let outcome: FollowUpChoiceOutcome | 'dropped';
  let note: string | null = null;
  const open = wanted === 'addition' && !message.deleted_at ? await lockOpenCase(tx, choice.case_id) : undefined;
  if (message.deleted_at) {
    // The citizen deleted the message while we waited: nothing to decide.
    await attachMessageToCase(tx, message.id, null, now);
    outcome = 'dropped';
  } else if (open) {
    await joinCase(deps, tx, message, open, target, { followUp: 'chosen' }, now);
    result = { caseId: open.id, number: open.number };
    outcome = 'joined';
  } else {
    // «Новое обращение», the timeout, or an addition to a case closed in the meantime.
    if (wanted === 'addition') note = 'case_no_longer_open';
    result = await openCaseFor(deps, tx, message, assessMessage(deps, message, now), target, now);
    outcome = 'opened';
  }
  await decideFollowUpChoice(tx, message.id, {
    state: outcome === 'joined' ? 'addition' : outcome === 'opened' ? 'new' : 'dropped',
    decidedBy: by,
    resultCaseId: result?.caseId ?? null,
    at: now,
  });
  await appendAudit(tx, {
    actor: decider === 'timeout' ? { type: 'system' } : decider,
    action: 'follow_up_decided',
    entity: 'case',
    entityId: choice.case_id,
    details: { messageId: message.id, choice: wanted, by, resultCaseId: result?.caseId ?? null, ...(note ? { note } : {}) },
  });
  await settleFollowers(deps, tx, message.id, result, now);
  return outcome;
}

/** Messages that waited with the decided one go to the same case (or nowhere, if it was dropped). */
async function settleFollowers(
  deps: IntakeDeps,
  tx: Tx,
  leadId: number,
  result: { caseId: number; number: string } | null,
  now: Date,
): Promise<void> {
  for (const id of await pendingFollowersOf(tx, leadId)) {
    const follower = await lockMessageForProcessing(tx, id);
    if (!follower || follower.processed_at) continue;
    const joined = result !== null && !follower.deleted_at;
    if (joined) {
      const target = replyTargetFor(follower.channel, follower.platform_ids);
      await joinCase(
        deps,
        tx,
        follower,
        { id: result.caseId, number: result.number },
        target,
        { followUp: 'with', follows: leadId },
        now,
      );
    } else {
      await attachMessageToCase(tx, follower.id, null, now);
    }
    await decideFollowUpChoice(tx, id, {
      state: joined ? 'addition' : 'dropped',
      decidedBy: 'with',
      resultCaseId: joined ? result.caseId : null,
      at: now,
    });
  }
}
