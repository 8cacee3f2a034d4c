import type { Actor } from '../../models/actor.js';
import { appendAudit } from '../../models/audit-repository.js';
import { lockCaseForAction, markCaseMerged } from '../../models/case-actions-repository.js';
import { inTransaction } from '../../models/database.js';
import type { CaseActionDeps } from './deps.js';
import { citizenChat } from './tell.js';

export type MergeOutcome =
  | { status: 'merged'; caseNumber: string; intoNumber: string }
  | { status: 'not_found' | 'same_case' | 'already_merged' }
  | { status: 'invalid_state'; which: 'from' | 'into'; from: string };

const MERGEABLE = ['new', 'triage', 'assigned', 'in_progress', 'interim_replied', 'reopened'];

/**
 * /merge: a duplicate case joins the main one. The duplicate is closed with a pointer to the main
 * case, its citizen is told, and every later answer to the main case is delivered to the
 * duplicate's citizen too (see releaseAnswer) — nobody is left without an answer.
 */
export async function mergeCases(
  deps: CaseActionDeps,
  input: { caseId: number; intoId: number; actor: Actor },
): Promise<MergeOutcome> {
  if (input.caseId === input.intoId) return { status: 'same_case' };
  const now = deps.clock.now();
  return inTransaction(deps.db, async (tx) => {
    // Lock in id order so two opposite merges cannot deadlock.
    const [a, b] = input.caseId < input.intoId ? [input.caseId, input.intoId] : [input.intoId, input.caseId];
    const first = await lockCaseForAction(tx, a);
    const second = await lockCaseForAction(tx, b);
    const from = first?.id === input.caseId ? first : second;
    const into = first?.id === input.intoId ? first : second;
    if (!from || !into) return { status: 'not_found' };
    if (from.merged_into !== null) return { status: 'already_merged' };
    if (into.merged_into !== null) return { status: 'invalid_state', which: 'into', from: 'merged' };
    if (!MERGEABLE.includes(from.status)) return { status: 'invalid_state', which: 'from', from: from.status };
    if (!MERGEABLE.includes(into.status)) return { status: 'invalid_state', which: 'into', from: into.status };
    await markCaseMerged(tx, from.id, into.id, now);
    await appendAudit(tx, {
      actor: input.actor,
      action: 'merged',
      entity: 'case',
      entityId: from.id,
      details: { from: from.status, to: 'closed', into: into.id, intoNumber: into.number },
    });
    await appendAudit(tx, {
      actor: input.actor,
      action: 'duplicate_joined',
      entity: 'case',
      entityId: into.id,
      details: { duplicate: from.id, duplicateNumber: from.number },
    });
    const target = await citizenChat(tx, from.id);
    if (target)
      await deps.jobs.send(
        'notify-citizen',
        { target, notification: { kind: 'case_merged', caseNumber: from.number, intoNumber: into.number } },
        { tx },
      );
    return { status: 'merged', caseNumber: from.number, intoNumber: into.number };
  });
}
