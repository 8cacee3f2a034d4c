import { findPausedCase } from '../../models/case-actions-repository.js';
import {
  attachMessageToCase,
  caseMessageTexts,
  findOpenCaseForFollowUp,
  lockMessageForProcessing,
  waitsForCitizenAnswer,
} from '../../models/case-repository.js';
import { inTransaction } from '../../models/database.js';
import { lockPendingChoiceOf } from '../../models/follow-up-choice-repository.js';
import { replyTargetFor } from '../../models/reply-target.js';
import { resumeLocked } from '../cases/pause.js';
import { takePollComment } from '../polls/poll-comment.js';
import type { IntakeDeps } from './deps.js';
import { askFollowUp, waitWithPending } from './follow-up-choice.js';
import { type FollowUpVerdict, judgeFollowUp } from './follow-up-rule.js';
import { answerPendingByText, askIntent, recordNotProblem, settlePendingQuestions } from './intent-question.js';
import { assessMessage, joinCase, notify, openCaseFor } from './open-case.js';
import { fillThreadSnippet } from './thread-snippet.js';

export { yearIn } from './open-case.js';

export type ProcessOutcome =
  | { status: 'opened'; caseId: number; number: string }
  | { status: 'joined'; caseId: number; number: string }
  /** About something else than the open case `caseId`: stored, no case yet, the citizen is asked (or it waits with a message that is). */
  | { status: 'awaiting_choice'; caseId: number }
  /** Maybe thanks or chatter: stored, no case yet, the citizen is asked «Это обращение?». */
  | { status: 'awaiting_intent' }
  /** «Да» / «Нет» typed as the answer to «Это обращение?»: it decided that question, no case of its own. */
  | { status: 'intent_answered' }
  /** The comment the citizen was asked for after the satisfaction poll: stored on the poll, no case decided. */
  | { status: 'poll_comment'; caseId: number; number: string }
  | { status: 'skipped'; reason: 'missing' | 'already_processed' | 'deleted' | 'awaiting_choice' }
  | { status: 'not_a_problem'; kind: 'thanks' | 'spam' };

/**
 * Decides a stored message's case: a private-chat follow-up within the window joins the citizen's
 * open case when it is about the same thing (see judgeFollowUp), the citizen is asked when it is not
 * (unless they asked for a new case beforehand); anything else opens a case with a new number.
 * Idempotent: the message row is locked and a processed (or waiting) message is never processed
 * again, so a worker killed halfway and retried produces exactly one case.
 */
export async function processMessage(deps: IntakeDeps, payload: { messageId: number }): Promise<ProcessOutcome> {
  const now = deps.clock.now();
  return inTransaction(deps.db, async (tx) => {
    const message = await lockMessageForProcessing(tx, payload.messageId);
    if (!message) return { status: 'skipped', reason: 'missing' };
    if (message.processed_at) return { status: 'skipped', reason: 'already_processed' };
    // Waiting for the citizen's choice: the button or the timeout decides it, not a re-delivered job.
    if (await waitsForCitizenAnswer(tx, message.id)) return { status: 'skipped', reason: 'awaiting_choice' };
    if (message.deleted_at) {
      await attachMessageToCase(tx, message.id, null, now);
      return { status: 'skipped', reason: 'deleted' };
    }
    await fillThreadSnippet(tx, deps.jobs, message);
    const isPrivate = message.kind === 'private';
    const target = isPrivate ? replyTargetFor(message.channel, message.platform_ids) : null;
    const citizenId = isPrivate && !message.new_case ? message.citizen_id : null;

    // After «Добавить комментарий» the next private message is the poll's comment, checked before the
    // classifier (a comment like «спасибо» or «ничего не сделано» is neither thanks nor a new problem).
    if (citizenId !== null) {
      const comment = await takePollComment(
        tx,
        deps.jobs,
        { id: message.id, channel: message.channel, citizenId, text: message.text, receivedAt: message.received_at },
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
    if (citizenId !== null && deps.structuring?.calendar) {
      const paused = await findPausedCase(tx, citizenId, message.source_id);
      if (paused) {
        const actions = { ...deps, domain: deps.structuring.domain, calendar: deps.structuring.calendar };
        await resumeLocked(actions, tx, paused, { actor: { type: 'citizen', channel: null }, notifyTeam: true });
        await joinCase(deps, tx, message, paused, target, { answersQuestion: true }, now);
        return { status: 'joined', caseId: paused.id, number: paused.number };
      }
    }

    // «Да» / «Нет» typed instead of pressed: the answer to the pending «Это обращение?», not a message.
    if (citizenId !== null && (await answerPendingByText(deps, tx, citizenId, message, now)))
      return { status: 'intent_answered' };

    const assessment = assessMessage(deps, message, now);

    // The citizen wrote about a problem instead of answering «Это обращение?»: the earlier message is a
    // case too (chatter, or another doubtful message, leaves the question to its answer or timeout).
    if (citizenId !== null && assessment && !assessment.notProblem && !assessment.intent.ask)
      await settlePendingQuestions(deps, tx, citizenId, message.source_id, now);

    if (assessment?.notProblem) {
      const reply = assessment.notProblem === 'thanks' ? 'thanks_received' : 'need_details';
      const reason = assessment.notProblemReason ?? assessment.notProblem;
      await recordNotProblem(deps, tx, message, assessment.notProblem, reason, reply, target, now);
      return { status: 'not_a_problem', kind: assessment.notProblem };
    }

    if (citizenId !== null) {
      const since = new Date(now.getTime() - deps.settings.followUpWindowMs);
      const open = await findOpenCaseForFollowUp(tx, citizenId, message.source_id, since);
      if (open) {
        // Without domain rules nothing tells topics apart: a follow-up joins, as it always did.
        const verdict: FollowUpVerdict | null =
          deps.structuring && assessment
            ? judgeFollowUp(
                { text: message.text, assessment },
                {
                  category: open.category,
                  district: open.district,
                  texts: [open.text, ...(await caseMessageTexts(tx, open.id))],
                },
                deps.structuring.structurer.settings.duplicateSimilarity,
              )
            : null;
        const mine = { id: message.id, citizenId };
        // «Вот фото» right after a message that waits for the citizen's choice belongs with that message.
        if (verdict?.rule === 'topicless') {
          const pending = await lockPendingChoiceOf(tx, citizenId, message.source_id);
          if (pending) {
            await waitWithPending(tx, mine, pending, now);
            return { status: 'awaiting_choice', caseId: pending.case_id };
          }
        }
        if (!verdict || verdict.join) {
          const details = verdict ? { followUp: verdict.rule, similarity: verdict.similarity } : {};
          await joinCase(deps, tx, message, open, target, details, now);
          return { status: 'joined', caseId: open.id, number: open.number };
        }
        // A chat without buttons cannot be asked: a message about something else is a new case.
        if (target) {
          await askFollowUp(deps, tx, mine, open, target, verdict, now);
          return { status: 'awaiting_choice', caseId: open.id };
        }
      }
    }

    // Maybe thanks or chatter: a private chat asks before a case opens (not after «Новое обращение»).
    if (assessment?.intent.ask && target && citizenId !== null) {
      await askIntent(deps, tx, { id: message.id, citizenId }, assessment, assessment.intent.ask, target, now);
      return { status: 'awaiting_intent' };
    }

    const opened = await openCaseFor(deps, tx, message, assessment, target, now);
    return { status: 'opened', ...opened };
  });
}
