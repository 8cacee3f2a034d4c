import type { DomainConfig, ExternalSource } from '../../config/domain.js';
import type { Actor } from '../../models/actor.js';
import { appendAudit } from '../../models/audit-repository.js';
import { CASE_TRANSITIONS } from '../../models/case-lifecycle.js';
import type { CaseStatus } from '../../models/case-repository.js';
import type { Tx } from '../../models/database.js';
import {
  type AppealState,
  recordSourceAnswer,
  recordSourceRating,
  stepCaseStatus,
} from '../../models/external-appeal-repository.js';
import { answerSettingsFor } from '../answers/answer-case.js';
import { checkAnswer } from '../answers/quality-gate.js';
import type { Appeal } from './appeal.js';
import { desiredStatus } from './source-mapping.js';

/** What changed in the case because of what the source said this time. */
export type AppealChange = 'answer' | 'status' | 'rating' | 'closed';

/**
 * Applies what the source says about an appeal's case and has not said before: its answer (recorded,
 * never sent: the source system delivers it), its status (moved along the lifecycle, step by step),
 * its closing and the citizen's rating. What it said last time is in `previous` (null for a new
 * case), so the same appeal again changes nothing, and a local move stands until the source changes.
 */
export async function syncAppeal(
  deps: { domain: DomainConfig },
  tx: Tx,
  c: { caseId: number; status: string },
  source: { name: string; config: ExternalSource },
  appeal: Appeal,
  previous: AppealState | null,
  now: Date,
): Promise<{ changes: AppealChange[]; state: AppealState }> {
  const actor: Actor = { type: 'platform', channel: source.name };
  const changes: AppealChange[] = [];

  if (appeal.answerText && appeal.answerText !== previous?.answer_text) {
    const at = appeal.answeredAt ?? appeal.closedAt ?? now;
    // The quality verdict is kept for the figures on «отписки»; the answer is recorded whatever it says.
    const quality = checkAnswer(appeal.answerText, answerSettingsFor(deps.domain).rules);
    const answerId = await recordSourceAnswer(
      tx,
      { caseId: c.caseId, text: appeal.answerText, author: actor, quality: { ...quality, source: source.name } },
      at,
    );
    await appendAudit(tx, {
      actor,
      action: 'answer_recorded',
      entity: 'case',
      entityId: c.caseId,
      details: { answerId, answeredAt: at.toISOString() },
    });
    changes.push('answer');
  }

  const wanted = desiredStatus(source.config, appeal);
  let status = c.status;
  if (wanted && wanted !== previous?.applied_status && wanted !== status) {
    const path = lifecyclePath(status, wanted);
    for (const to of path) {
      await stepCaseStatus(tx, c.caseId, to, now);
      await appendAudit(tx, {
        actor,
        action: 'status_changed',
        entity: 'case',
        entityId: c.caseId,
        details: { from: status, to, comment: `${source.name}: ${appeal.status ?? (appeal.closedAt ? 'closed' : 'answered')}` },
      });
      status = to;
    }
    if (path.length > 0) changes.push('status');
  }

  if (appeal.closedAt && appeal.closedAt.getTime() !== previous?.closed_at?.getTime()) changes.push('closed');

  if (appeal.rating !== null && appeal.rating !== previous?.rating) {
    await recordSourceRating(tx, c.caseId, appeal.rating, appeal.closedAt ?? appeal.answeredAt ?? now);
    changes.push('rating');
  }

  return {
    changes,
    state: {
      source_category: appeal.category,
      source_department: appeal.department,
      source_status: appeal.status,
      applied_status: wanted ?? previous?.applied_status ?? null,
      answer_text: appeal.answerText ?? previous?.answer_text ?? null,
      answered_at: appeal.answeredAt ?? previous?.answered_at ?? null,
      closed_at: appeal.closedAt ?? previous?.closed_at ?? null,
      rating: appeal.rating ?? previous?.rating ?? null,
    },
  };
}

/**
 * The shortest chain of allowed moves from one status to another (models/case-lifecycle.ts), so a
 * case the source closed while it sat in triage goes triage → assigned → answered → closed, every
 * step audited. Empty when already there (every status is reachable from every other).
 */
export function lifecyclePath(from: string, to: string): CaseStatus[] {
  if (from === to) return [];
  const back = new Map<string, string>([[from, from]]);
  const queue = [from];
  while (queue.length > 0) {
    const at = queue.shift() as string;
    for (const next of CASE_TRANSITIONS[at as CaseStatus] ?? []) {
      if (back.has(next)) continue;
      back.set(next, at);
      if (next === to) {
        const path: CaseStatus[] = [];
        for (let s: string = to; s !== from; s = back.get(s) as string) path.unshift(s as CaseStatus);
        return path;
      }
      queue.push(next);
    }
  }
  return [];
}
