import { type Actor, parseActor } from '../../models/actor.js';
import { appendAudit } from '../../models/audit-repository.js';
import { lockAnswer, reviewAnswer } from '../../models/case-actions-repository.js';
import { canTransition } from '../../models/case-lifecycle.js';
import { caseStatusOf } from '../../models/case-repository.js';
import { inTransaction } from '../../models/database.js';
import { tellActingOfficial } from '../cases/tell.js';
import type { HandlerDeps } from '../deps.js';
import { type AnswerSettings, releaseAnswer } from './answer-case.js';

export type ReviewOutcome =
  | { status: 'approved' | 'rejected'; caseNumber: string }
  | { status: 'not_found' | 'already_reviewed' }
  | { status: 'invalid_transition'; from: string };

/**
 * An operator decides on an answer the quality gate held: approved, it goes out exactly as an
 * unheld answer would; returned, it never reaches the citizen and its author is told on their messenger.
 */
export async function reviewHeldAnswer(
  deps: Pick<HandlerDeps, 'db' | 'jobs' | 'clock'> & Pick<AnswerSettings, 'pollDelayMs'>,
  input: { answerId: number; approve: boolean; actor: Actor; comment?: string },
): Promise<ReviewOutcome> {
  const now = deps.clock.now();
  return inTransaction(deps.db, async (tx) => {
    const answer = await lockAnswer(tx, input.answerId);
    if (!answer) return { status: 'not_found' };
    if (answer.state !== 'held') return { status: 'already_reviewed' };
    const kind = answer.kind as 'interim' | 'final';
    if (input.approve) {
      const from = (await caseStatusOf(tx, answer.case_id)) ?? 'unknown';
      const to = kind === 'final' ? 'answered' : 'interim_replied';
      if (from !== to && !canTransition(from, to)) return { status: 'invalid_transition', from };
      await reviewAnswer(tx, answer.id, { state: 'queued', by: input.actor, error: null }, now);
      await releaseAnswer(tx, deps, {
        caseId: answer.case_id,
        answerId: answer.id,
        kind,
        text: answer.text,
        photos: answer.photos ?? [],
        from,
        // The author releases it, as if unheld; an author no version writes (none is known) falls to the reviewer.
        actor: parseActor(answer.author) ?? input.actor,
        at: now,
      });
    } else {
      await reviewAnswer(
        tx,
        answer.id,
        { state: 'rejected', by: input.actor, error: input.comment ?? 'returned by an operator' },
        now,
      );
      await tellActingOfficial(tx, deps.jobs, answer.author, answer.case_id, { type: 'answer_returned' });
    }
    await appendAudit(tx, {
      actor: input.actor,
      action: input.approve ? 'answer_approved' : 'answer_rejected',
      entity: 'case',
      entityId: answer.case_id,
      details: { answerId: answer.id, ...(input.comment ? { comment: input.comment } : {}) },
    });
    return { status: input.approve ? 'approved' : 'rejected', caseNumber: answer.number };
  });
}
