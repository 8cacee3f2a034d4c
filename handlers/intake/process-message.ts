import { appendAudit } from '../../models/audit-repository.js';
import { findPausedCase } from '../../models/case-actions-repository.js';
import {
  attachMessageToCase,
  findOpenCaseForFollowUp,
  insertCase,
  lockMessageForProcessing,
  nextCaseNumber,
  setCaseStatus,
  touchCase,
} from '../../models/case-repository.js';
import type { CitizenNotification } from '../../models/citizen-notification.js';
import { inTransaction, type Tx } from '../../models/database.js';
import type { ReplyTarget } from '../../models/intake.js';
import { replyTargetFor } from '../../models/reply-target.js';
import { insertFeedback, latestCaseOf } from '../../models/structuring-repository.js';
import { resumeLocked } from '../cases/pause.js';
import { takePollComment } from '../polls/poll-comment.js';
import { structureCase } from '../structuring/structure-case.js';
import type { IntakeDeps } from './deps.js';
import { fillThreadSnippet } from './thread-snippet.js';

export type ProcessOutcome =
  | { status: 'opened'; caseId: number; number: string }
  | { status: 'joined'; caseId: number; number: string }
  /** The comment the citizen was asked for after the satisfaction poll: stored on the poll, no case decided. */
  | { status: 'poll_comment'; caseId: number; number: string }
  | { status: 'skipped'; reason: 'missing' | 'already_processed' | 'deleted' }
  | { status: 'not_a_problem'; kind: 'thanks' | 'spam' };

/**
 * Decides a stored message's case: a private-chat follow-up within the window joins the citizen's
 * open case (unless they asked for a new one); anything else opens a case with a new number.
 * Idempotent: the message row is locked and a processed message is never processed again, so a
 * worker killed halfway and retried produces exactly one case.
 */
export async function processMessage(deps: IntakeDeps, payload: { messageId: number }): Promise<ProcessOutcome> {
  const now = deps.clock.now();
  return inTransaction(deps.db, async (tx) => {
    const message = await lockMessageForProcessing(tx, payload.messageId);
    if (!message) return { status: 'skipped', reason: 'missing' };
    if (message.processed_at) return { status: 'skipped', reason: 'already_processed' };
    if (message.deleted_at) {
      await attachMessageToCase(tx, message.id, null, now);
      return { status: 'skipped', reason: 'deleted' };
    }
    await fillThreadSnippet(tx, deps.jobs, message);
    const isPrivate = message.kind === 'private';
    const target = isPrivate ? replyTargetFor(message.channel, message.platform_ids) : null;
    const geo = message.geo_lat !== null && message.geo_lon !== null ? { lat: message.geo_lat, lon: message.geo_lon } : null;

    // After «Добавить комментарий» the next private message is the poll's comment, checked before the
    // classifier (a comment like «спасибо» or «ничего не сделано» is neither thanks nor a new problem).
    if (isPrivate && message.citizen_id !== null && !message.new_case) {
      const comment = await takePollComment(
        tx,
        deps.jobs,
        {
          id: message.id,
          channel: message.channel,
          citizenId: message.citizen_id,
          text: message.text,
          receivedAt: message.received_at,
        },
        now,
      );
      if (comment) {
        await attachMessageToCase(tx, message.id, comment.caseId, now);
        if (target) await notify(deps, tx, target, { kind: 'poll_comment_thanks' });
        return { status: 'poll_comment', ...comment };
      }
    }

    // A case waiting for this citizen's answer to an official's question takes their next message,
    // however late, and its clock runs again.
    if (isPrivate && message.citizen_id !== null && !message.new_case && deps.structuring?.calendar) {
      const paused = await findPausedCase(tx, message.citizen_id, message.source_id);
      if (paused) {
        const actions = { ...deps, domain: deps.structuring.domain, calendar: deps.structuring.calendar };
        await resumeLocked(actions, tx, paused, { actor: 'citizen', notifyTeam: true });
        await attachMessageToCase(tx, message.id, paused.id, now);
        await touchCase(tx, paused.id, now);
        await appendAudit(tx, {
          actor: 'system',
          action: 'message_joined',
          entity: 'case',
          entityId: paused.id,
          details: { messageId: message.id, answersQuestion: true },
        });
        if (target) await notify(deps, tx, target, { kind: 'case_extended', caseNumber: paused.number });
        return { status: 'joined', caseId: paused.id, number: paused.number };
      }
    }

    const assessment = deps.structuring?.structurer.assess(message.text, now, geo) ?? null;

    if (assessment?.notProblem) {
      // No case: thanks count as positive feedback for whoever handled the citizen's latest case.
      if (assessment.notProblem === 'thanks') {
        const since = new Date(now.getTime() - deps.settings.followUpWindowMs);
        const latest =
          message.citizen_id === null ? undefined : await latestCaseOf(tx, message.citizen_id, message.source_id, since);
        await insertFeedback(
          tx,
          { kind: 'thanks', department: latest?.department ?? null, caseId: latest?.id ?? null, messageId: message.id },
          now,
        );
      }
      await attachMessageToCase(tx, message.id, null, now);
      if (target)
        await notify(deps, tx, target, { kind: assessment.notProblem === 'thanks' ? 'thanks_received' : 'need_details' });
      return { status: 'not_a_problem', kind: assessment.notProblem };
    }

    if (isPrivate && message.citizen_id !== null && !message.new_case) {
      const since = new Date(now.getTime() - deps.settings.followUpWindowMs);
      const open = await findOpenCaseForFollowUp(tx, message.citizen_id, message.source_id, since);
      if (open) {
        await attachMessageToCase(tx, message.id, open.id, now);
        await touchCase(tx, open.id, now);
        await appendAudit(tx, {
          actor: 'system',
          action: 'message_joined',
          entity: 'case',
          entityId: open.id,
          details: { messageId: message.id },
        });
        if (target) await notify(deps, tx, target, { kind: 'case_extended', caseNumber: open.number });
        return { status: 'joined', caseId: open.id, number: open.number };
      }
    }

    const number = await nextCaseNumber(tx, yearIn(now, deps.settings.timeZone));
    const caseId = await insertCase(tx, {
      number,
      status: 'new',
      channel: message.channel,
      sourceId: message.source_id,
      citizenId: message.citizen_id,
      text: message.text,
      triageReason: null,
      at: now,
    });
    await attachMessageToCase(tx, message.id, caseId, now);
    await appendAudit(tx, {
      actor: 'system',
      action: 'case_opened',
      entity: 'case',
      entityId: caseId,
      details: { number, messageId: message.id },
    });

    if (deps.structuring && assessment) {
      await structureCase({ ...deps.structuring, log: deps.log, jobs: deps.jobs }, tx, {
        caseId,
        text: message.text,
        channel: message.channel,
        assessment,
        at: now,
      });
    } else {
      // Without a structurer (no domain rules loaded) every case waits for the operators.
      await setCaseStatus(tx, caseId, 'triage', 'no_classifier', now);
      await appendAudit(tx, {
        actor: 'system',
        action: 'status_changed',
        entity: 'case',
        entityId: caseId,
        details: { from: 'new', to: 'triage', comment: 'no_classifier' },
      });
    }
    if (target)
      await notify(deps, tx, target, {
        kind: 'case_opened',
        caseNumber: number,
        // An urgent case is promised the urgent policy's first response.
        firstResponse:
          assessment?.urgency.priority === 'urgent'
            ? (deps.settings.firstResponseUrgent ?? deps.settings.firstResponse)
            : deps.settings.firstResponse,
      });
    return { status: 'opened', caseId, number };
  });
}

async function notify(deps: IntakeDeps, tx: Tx, target: ReplyTarget, notification: CitizenNotification): Promise<void> {
  await deps.jobs.send('notify-citizen', { target, notification }, { tx });
}

/** The calendar year at `at` in the city's time zone (a case at 01:00 on 1 January local time is next year's). */
export function yearIn(at: Date, timeZone: string): number {
  return Number(new Intl.DateTimeFormat('en', { timeZone, year: 'numeric' }).format(at));
}
