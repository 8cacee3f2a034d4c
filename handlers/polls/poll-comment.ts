import { appendAudit } from '../../models/audit-repository.js';
import { inTransaction, type Tx } from '../../models/database.js';
import type { Channel } from '../../models/intake.js';
import { findCitizen, setForceNewCase } from '../../models/intake-repository.js';
import type { JobQueue } from '../../models/jobs.js';
import {
  cancelCommentRequests,
  commentReopenedAlert,
  markCommentRequested,
  pollAwaitingComment,
  pollOf,
  privateOrigin,
  savePollComment,
} from '../../models/poll-repository.js';
import type { PollDeps } from './polls.js';

/** How long after «Добавить комментарий» the citizen's next private message is taken as the comment. */
export const COMMENT_WINDOW_MS = 3_600_000;

export type PollCommentOutcome = 'ready' | 'not_yours' | 'stale';

/**
 * «Добавить комментарий» under the poll's thanks: the citizen's next private message (within the
 * window) becomes the poll's comment. Only the case's own citizen, only after the poll was answered,
 * only once per poll.
 */
export async function requestPollComment(
  deps: Pick<PollDeps, 'db' | 'clock'>,
  input: { caseId: number; sender: { channel: Channel; externalId: string } },
): Promise<PollCommentOutcome> {
  const now = deps.clock.now();
  return inTransaction(deps.db, async (tx) => {
    const poll = await pollOf(tx, input.caseId);
    const origin = await privateOrigin(tx, input.caseId);
    if (!poll || !origin) return 'stale';
    const citizen = await findCitizen(tx, input.sender.channel, input.sender.externalId);
    if (!citizen || citizen.id !== origin.citizen_id) return 'not_yours';
    if (poll.state !== 'answered' || poll.comment !== null) return 'stale';
    // One comment awaited at a time: a request on another case is dropped, so it cannot take a later message.
    await cancelCommentRequests(tx, citizen.id);
    await markCommentRequested(tx, input.caseId, now);
    // «Новое обращение» pressed earlier must not turn the comment into a new case: the latest press wins.
    await setForceNewCase(tx, citizen.id, false);
    return 'ready';
  });
}

/**
 * Called by the process-message worker, in its transaction, for a citizen's private message: when
 * the citizen asked to comment a poll, the message is that comment — stored on the poll, written to
 * the case's audit, and, if the poll reopened the case, added to the «reopened» alert and sent to
 * the operators again, so whoever picks the case up sees why. Null when no comment is awaited.
 */
export async function takePollComment(
  tx: Tx,
  jobs: JobQueue<Tx>,
  message: { id: number; channel: string; citizenId: number; text: string; receivedAt: Date },
  now: Date,
): Promise<{ caseId: number; number: string } | null> {
  const comment = message.text.trim();
  if (comment === '') return null;
  const poll = await pollAwaitingComment(tx, message.citizenId, message.receivedAt, COMMENT_WINDOW_MS);
  if (!poll) return null;
  await savePollComment(tx, poll.case_id, comment, now);
  await appendAudit(tx, {
    actor: { type: 'citizen', channel: message.channel },
    action: 'poll_comment',
    entity: 'case',
    entityId: poll.case_id,
    details: { comment, messageId: message.id },
  });
  const reopenedByPoll = poll.solved === false || (poll.rating !== null && poll.rating <= 2);
  if (reopenedByPoll) {
    const alertId = await commentReopenedAlert(tx, poll.case_id, comment);
    if (alertId !== undefined) await jobs.send('notify-operators', { alertId }, { tx });
  }
  return { caseId: poll.case_id, number: poll.number };
}
