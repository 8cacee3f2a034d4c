import type { DomainConfig } from '../../config/domain.js';
import type { Actor } from '../../models/actor.js';
import { answerForDelivery, insertAnswer, setAnswerState } from '../../models/answer-repository.js';
import { answerRecipient, answerTargetFor } from '../../models/answer-target.js';
import { appendAudit } from '../../models/audit-repository.js';
import { mergedCaseIds, setCasePaused } from '../../models/case-actions-repository.js';
import { canTransition } from '../../models/case-lifecycle.js';
import { caseStatusOf, moveCaseStatus } from '../../models/case-repository.js';
import { inTransaction, type Tx } from '../../models/database.js';
import { type ChannelPort, sentOrBlocked } from '../../models/outbound.js';
import type { AnswerPhoto } from '../../models/schema.js';
import { insertAlert } from '../../models/structuring-repository.js';
import type { HandlerDeps } from '../deps.js';
import { schedulePoll } from '../polls/polls.js';
import { checkAnswer, DEFAULT_QUALITY_RULES, type QualityRules, type QualityVerdict } from './quality-gate.js';

/** How long after the final answer the satisfaction poll is sent (answers.pollDelay in the domain file). */
export const DEFAULT_POLL_DELAY_MS = 2 * 3_600_000;

/** The answers' own settings (the domain file's `answers`, resolved by the composition root). */
export interface AnswerSettings {
  /** The «отписка» gate's rules; DEFAULT_QUALITY_RULES without them. */
  rules?: QualityRules;
  /** A forced answer with problems waits for an operator's approval. */
  holdForApproval?: boolean;
  /** How long after the final answer the poll is asked; DEFAULT_POLL_DELAY_MS without it. */
  pollDelayMs?: number;
}

/** The answers' settings from the domain file (`answers`), with the poll delay the caller decided (the sandbox drill's). */
export function answerSettingsFor(domain: DomainConfig, pollDelayMs?: number): AnswerSettings {
  const a = domain.answers;
  return {
    holdForApproval: a?.holdForApproval ?? false,
    ...(pollDelayMs === undefined ? {} : { pollDelayMs }),
    rules: {
      minLength: a?.minLength ?? DEFAULT_QUALITY_RULES.minLength,
      stockPhrases: a?.stockPhrases ?? DEFAULT_QUALITY_RULES.stockPhrases,
    },
  };
}

export type AnswerDeps = Pick<HandlerDeps, 'db' | 'jobs' | 'clock'> & AnswerSettings;

export type AnswerOutcome =
  | { status: 'queued' | 'held'; answerId: number; quality: QualityVerdict }
  | { status: 'needs_revision'; quality: QualityVerdict }
  | { status: 'not_found' }
  | { status: 'invalid_transition'; from: string };

/**
 * An official answers a case. The answer is checked for «отписка» first: with problems it comes back
 * for revision unless `force`; a forced one is held for an operator's approval when the config says
 * so. Otherwise the case moves to interim_replied/answered and delivery is queued in the same transaction.
 */
export async function answerCase(
  deps: AnswerDeps,
  input: {
    caseId: number;
    text: string;
    kind: 'interim' | 'final';
    actor: Actor;
    force?: boolean;
    /** Photos the official attached (Telegram file ids); the text is still checked. */
    photos?: readonly AnswerPhoto[];
  },
): Promise<AnswerOutcome> {
  const quality = checkAnswer(input.text, deps.rules ?? DEFAULT_QUALITY_RULES);
  if (!quality.ok && !input.force) return { status: 'needs_revision', quality };
  const now = deps.clock.now();
  const to = input.kind === 'final' ? 'answered' : 'interim_replied';
  return inTransaction(deps.db, async (tx) => {
    const from = await caseStatusOf(tx, input.caseId);
    if (from === undefined) return { status: 'not_found' };
    // A second interim reply keeps the case where it is; a second final answer is refused (the citizen
    // already has one and is being asked whether it helped — reopening comes first).
    const repeatInterim = from === 'interim_replied' && to === 'interim_replied';
    if (!repeatInterim && !canTransition(from, to)) return { status: 'invalid_transition', from };
    const held = !quality.ok && deps.holdForApproval === true;
    const answerId = await insertAnswer(
      tx,
      {
        caseId: input.caseId,
        kind: input.kind,
        text: input.text,
        author: input.actor,
        quality: { ...quality },
        state: held ? 'held' : 'queued',
        photos: input.photos ?? [],
      },
      now,
    );
    await appendAudit(tx, {
      actor: input.actor,
      action: held ? 'answer_held' : 'answer_given',
      entity: 'case',
      entityId: input.caseId,
      details: { answerId, kind: input.kind, problems: quality.problems },
    });
    if (held) {
      const alertId = await insertAlert(
        tx,
        {
          kind: 'answer_held',
          caseId: input.caseId,
          problemId: null,
          details: { answerId, problems: quality.problems, text: input.text.slice(0, 1500) },
        },
        now,
      );
      await deps.jobs.send('notify-operators', { alertId }, { tx });
      return { status: 'held', answerId, quality };
    }
    await releaseAnswer(tx, deps, {
      caseId: input.caseId,
      answerId,
      kind: input.kind,
      text: input.text,
      photos: input.photos ?? [],
      from,
      actor: input.actor,
      at: now,
    });
    return { status: 'queued', answerId, quality };
  });
}

/**
 * An answer goes out: the case moves to interim_replied/answered, delivery is queued (to merged
 * duplicates' citizens too), and after a final answer the citizen's poll is scheduled — all in the
 * caller's transaction.
 */
export async function releaseAnswer(
  tx: Tx,
  deps: Pick<HandlerDeps, 'jobs'> & Pick<AnswerSettings, 'pollDelayMs'>,
  a: {
    caseId: number;
    answerId: number;
    kind: 'interim' | 'final';
    text: string;
    photos: readonly AnswerPhoto[];
    from: string;
    actor: Actor;
    at: Date;
  },
): Promise<void> {
  const to = a.kind === 'final' ? 'answered' : 'interim_replied';
  if (a.from !== to) {
    await moveCaseStatus(tx, a.caseId, a.from, to, a.at);
    await appendAudit(tx, {
      actor: a.actor,
      action: 'status_changed',
      entity: 'case',
      entityId: a.caseId,
      details: { from: a.from, to },
    });
  }
  await deps.jobs.send('deliver-answer', { answerId: a.answerId }, { tx });
  // A final answer ends any wait for the citizen: the case is no longer on anyone's clock.
  if (a.kind === 'final') await setCasePaused(tx, a.caseId, null, a.at);
  // Citizens whose duplicate cases were merged into this one get the same answer where they wrote.
  for (const duplicate of await mergedCaseIds(tx, a.caseId)) {
    const copyId = await insertAnswer(
      tx,
      {
        caseId: duplicate,
        kind: a.kind,
        text: a.text,
        author: a.actor,
        quality: { copyOf: a.answerId },
        state: 'queued',
        photos: a.photos,
      },
      a.at,
    );
    await deps.jobs.send('deliver-answer', { answerId: copyId }, { tx });
  }
  if (a.kind === 'final') await schedulePoll(tx, deps.jobs, a.caseId, a.at, deps.pollDelayMs ?? DEFAULT_POLL_DELAY_MS);
}

/**
 * Delivers one queued answer where the citizen wrote. A blocked chat is recorded and not retried;
 * other failures throw so the queue retries with backoff (the messengers' clients honour 429 retry_after).
 */
export async function deliverAnswer(
  deps: Pick<HandlerDeps, 'db' | 'clock' | 'log'> & { outbound: ChannelPort },
  payload: { answerId: number },
): Promise<'sent' | 'recorded' | 'blocked' | 'unreachable' | 'skipped'> {
  const row = await answerForDelivery(deps.db, payload.answerId);
  if (row?.state !== 'queued') return 'skipped';
  const now = deps.clock.now();
  const target = answerTargetFor(row);
  if (!target) {
    await setAnswerState(deps.db, row.id, 'blocked', now, 'no way to answer in this place');
    return 'unreachable';
  }
  // Imports and API cases have no chat to answer in: the answer is only recorded.
  if (target.mode === 'record') {
    await setAnswerState(deps.db, row.id, 'recorded', now);
    return 'recorded';
  }
  const result = sentOrBlocked(
    await deps.outbound.send(
      answerRecipient(target),
      { kind: 'answer', text: row.text, photos: row.photos ?? [] },
      `answer:${row.id}`,
    ),
  );
  if (result.status === 'blocked') {
    await setAnswerState(deps.db, row.id, 'blocked', now, result.reason);
    deps.log.info({ answerId: row.id }, 'answer not delivered: the citizen blocked the bot; not retried');
    return 'blocked';
  }
  await setAnswerState(deps.db, row.id, 'sent', now);
  return 'sent';
}
