import { appendAudit } from '../../models/audit-repository.js';
import { canTransition } from '../../models/case-lifecycle.js';
import { caseStatusOf, moveCaseStatus } from '../../models/case-repository.js';
import { inTransaction, type Tx } from '../../models/database.js';
import type { Channel } from '../../models/intake.js';
import { findCitizen } from '../../models/intake-repository.js';
import type { JobQueue } from '../../models/jobs.js';
import { createPoll, pollOf, privateOrigin, updatePoll } from '../../models/poll-repository.js';
import { replyTargetFor } from '../../models/reply-target.js';
import { insertAlert } from '../../models/structuring-repository.js';
import { citizenChat } from '../cases/tell.js';
import type { HandlerDeps } from '../deps.js';
import { tellCaseTeam } from '../reminders/reminders.js';

const REMINDER_AFTER_MS = 24 * 3_600_000;

export type PollDeps = Pick<HandlerDeps, 'db' | 'clock' | 'jobs' | 'log'>;

/**
 * Called in the transaction of a final answer: a citizen who wrote in a private chat will be asked
 * after `delayMs`; one who can only be reached in a public thread is marked unreachable, not spammed.
 */
export async function schedulePoll(tx: Tx, jobs: JobQueue<Tx>, caseId: number, at: Date, delayMs: number): Promise<void> {
  // Telegram (inline buttons) and VK (inline keyboard) private chats; anything else has no buttons to press.
  const reachable = (await citizenChat(tx, caseId)) !== null;
  await createPoll(tx, caseId, reachable ? 'scheduled' : 'unreachable', at);
  if (reachable) await jobs.send('ask-poll', { caseId, reminder: false }, { tx, startAfter: new Date(at.getTime() + delayMs) });
}

/** Asks «Проблема решена?» (or reminds once) in the chat where the citizen wrote. */
export async function askPoll(deps: PollDeps, payload: { caseId: number; reminder: boolean }): Promise<'asked' | 'skipped'> {
  const now = deps.clock.now();
  return inTransaction(deps.db, async (tx) => {
    const poll = await pollOf(tx, payload.caseId);
    const origin = await privateOrigin(tx, payload.caseId);
    if (!poll || !origin || origin.status !== 'answered') return 'skipped';
    if (payload.reminder ? poll.state !== 'asked' : poll.state !== 'scheduled') return 'skipped';
    const target = replyTargetFor(origin.channel, origin.platform_ids);
    if (!target) return 'skipped';
    await deps.jobs.send(
      'notify-citizen',
      { target, notification: { kind: 'poll', caseId: payload.caseId, caseNumber: origin.number, reminder: payload.reminder } },
      { tx },
    );
    if (payload.reminder) {
      await updatePoll(tx, payload.caseId, { state: 'reminded', reminded_at: now });
    } else {
      await updatePoll(tx, payload.caseId, { state: 'asked', asked_at: now });
      await deps.jobs.send(
        'ask-poll',
        { caseId: payload.caseId, reminder: true },
        { tx, startAfter: new Date(now.getTime() + REMINDER_AFTER_MS) },
      );
    }
    return 'asked';
  });
}

export type PollAnswerOutcome = 'asked_rating' | 'closed' | 'reopened' | 'not_yours' | 'stale';

/**
 * The citizen's answer: «Нет» or a rating of 2 or less reopens the case and alerts the operators;
 * «Да» asks for a rating; a rating of 3–5 closes the case. Only the case's own citizen may answer.
 */
export async function answerPoll(
  deps: PollDeps,
  input: { caseId: number; sender: { channel: Channel; externalId: string }; solved?: boolean; rating?: number },
): Promise<PollAnswerOutcome> {
  const now = deps.clock.now();
  return inTransaction(deps.db, async (tx) => {
    const poll = await pollOf(tx, input.caseId);
    const origin = await privateOrigin(tx, input.caseId);
    const citizen = await findCitizen(tx, input.sender.channel, input.sender.externalId);
    if (!poll || !origin) return 'stale';
    if (!citizen || citizen.id !== origin.citizen_id) return 'not_yours';
    if (poll.state === 'answered' || (await caseStatusOf(tx, input.caseId)) !== 'answered') return 'stale';
    const target = replyTargetFor(origin.channel, origin.platform_ids);
    if (input.solved === true && input.rating === undefined) {
      await updatePoll(tx, input.caseId, { solved: true });
      if (target)
        await deps.jobs.send(
          'notify-citizen',
          { target, notification: { kind: 'poll_rate', caseId: input.caseId, caseNumber: origin.number } },
          { tx },
        );
      return 'asked_rating';
    }
    const unhappy = input.solved === false || (input.rating !== undefined && input.rating <= 2);
    await updatePoll(tx, input.caseId, {
      state: 'answered',
      answered_at: now,
      ...(input.solved === undefined ? {} : { solved: input.solved }),
      ...(input.rating === undefined ? {} : { rating: input.rating }),
    });
    const to = unhappy ? 'reopened' : 'closed';
    if (canTransition('answered', to)) {
      await moveCaseStatus(tx, input.caseId, 'answered', to, now);
      await appendAudit(tx, {
        actor: { type: 'citizen', channel: input.sender.channel },
        action: 'status_changed',
        entity: 'case',
        entityId: input.caseId,
        details: { from: 'answered', to, comment: `poll: solved=${input.solved ?? poll.solved}, rating=${input.rating ?? '—'}` },
      });
    }
    if (unhappy) {
      const alertId = await insertAlert(
        tx,
        {
          kind: 'reopened',
          caseId: input.caseId,
          problemId: null,
          details: { reason: 'reopened by the citizen', rating: input.rating ?? null },
        },
        now,
      );
      await deps.jobs.send('notify-operators', { alertId }, { tx });
      // …and whoever answered it (or the department) gets the case back on their messenger.
      await tellCaseTeam(tx, deps.jobs, { caseId: input.caseId, kind: { type: 'reopened', at: now }, at: now });
    }
    if (target)
      await deps.jobs.send(
        'notify-citizen',
        { target, notification: { kind: 'poll_thanks', caseId: input.caseId, reopened: unhappy } },
        { tx },
      );
    return unhappy ? 'reopened' : 'closed';
  });
}
