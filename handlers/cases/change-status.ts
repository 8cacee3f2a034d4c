import type { Actor } from '../../models/actor.js';
import { appendAudit } from '../../models/audit-repository.js';
import { setCaseAssignee } from '../../models/case-actions-repository.js';
import { canTransition } from '../../models/case-lifecycle.js';
import { type CaseStatus, caseStatusOf, moveCaseStatus } from '../../models/case-repository.js';
import { inTransaction } from '../../models/database.js';
import type { HandlerDeps } from '../deps.js';

export type StatusChange =
  | { status: 'changed'; from: string; to: CaseStatus }
  | { status: 'not_found' }
  | { status: 'invalid_transition'; from: string; to: string };

/** Moves a case along its lifecycle if the move is allowed; the audit log records who, when, from, to and why. */
export async function changeCaseStatus(
  deps: Pick<HandlerDeps, 'db' | 'clock'>,
  input: { caseId: number; to: CaseStatus; actor: Actor; comment?: string; assigneeId?: number },
): Promise<StatusChange> {
  const now = deps.clock.now();
  return inTransaction(deps.db, async (tx) => {
    const from = await caseStatusOf(tx, input.caseId);
    if (from === undefined) return { status: 'not_found' };
    if (!canTransition(from, input.to)) return { status: 'invalid_transition', from, to: input.to };
    await moveCaseStatus(tx, input.caseId, from, input.to, now);
    if (input.assigneeId !== undefined) await setCaseAssignee(tx, input.caseId, input.assigneeId);
    await appendAudit(tx, {
      actor: input.actor,
      action: 'status_changed',
      entity: 'case',
      entityId: input.caseId,
      details: { from, to: input.to, ...(input.comment ? { comment: input.comment } : {}) },
    });
    return { status: 'changed', from, to: input.to };
  });
}
