import { type Actor, encodeActor } from '../../models/actor.js';
import { appendAudit } from '../../models/audit-repository.js';
import { lockCaseForAction, setCaseDepartment } from '../../models/case-actions-repository.js';
import { inTransaction } from '../../models/database.js';
import { findOfficial } from '../../models/people-repository.js';
import { insertAlert } from '../../models/structuring-repository.js';
import { announceAssignment } from '../reminders/reminders.js';
import { followDeadline, startCaseClock } from './deadline-clock.js';
import { type CaseActionDeps, WORKING_STATUSES } from './deps.js';
import { type CaseExpectation, meetsExpectation } from './expectation.js';

export type ReturnOutcome =
  | { status: 'returned'; caseNumber: string }
  | { status: 'not_found' }
  | { status: 'invalid_state'; from: string };

/**
 * «Не наше — вернуть» (переадресация): an official says the case is not their department's. It goes
 * back to the operators' triage queue with the reason, and the operators are alerted. The citizen's
 * deadline keeps running: a wrong routing is the МЦУ's delay, not the citizen's.
 */
export async function returnToTriage(
  deps: CaseActionDeps,
  input: { caseId: number; reason: string; actor: Actor },
): Promise<ReturnOutcome> {
  const now = deps.clock.now();
  return inTransaction(deps.db, async (tx) => {
    const c = await lockCaseForAction(tx, input.caseId);
    if (!c) return { status: 'not_found' };
    if (!WORKING_STATUSES.includes(c.status)) return { status: 'invalid_state', from: c.status };
    await setCaseDepartment(
      tx,
      c.id,
      {
        department: null,
        status: 'triage',
        triageReason: 'reassignment',
        routingRule: `returned:${c.department ?? '-'}`,
        assigneeId: null,
      },
      now,
    );
    await appendAudit(tx, {
      actor: input.actor,
      action: 'reassignment',
      entity: 'case',
      entityId: c.id,
      details: { from: c.status, to: 'triage', department: c.department, reason: input.reason },
    });
    const alertId = await insertAlert(
      tx,
      { kind: 'reassignment', caseId: c.id, problemId: null, details: { department: c.department, reason: input.reason } },
      now,
    );
    await deps.jobs.send('notify-operators', { alertId }, { tx });
    return { status: 'returned', caseNumber: c.number };
  });
}

export type AssignOutcome =
  | { status: 'assigned'; caseNumber: string; department: string; officialName: string | null }
  | { status: 'not_found' | 'unknown_department' | 'unknown_official' | 'unchanged' | 'stale' }
  | { status: 'invalid_state'; from: string };

/**
 * An operator routes a case by hand (/assign, the API): to a department, or to one official (then
 * to their department, with them as the assignee). The new department's officials get the card.
 * With `expect` (the console's form), a case changed since the form was rendered is `stale`.
 */
export async function assignCase(
  deps: CaseActionDeps,
  input: { caseId: number; department?: string; officialId?: number; actor: Actor; expect?: CaseExpectation },
): Promise<AssignOutcome> {
  const now = deps.clock.now();
  return inTransaction(deps.db, async (tx) => {
    const c = await lockCaseForAction(tx, input.caseId);
    if (!c) return { status: 'not_found' };
    if (!meetsExpectation(c, input.expect)) return { status: 'stale' };
    if (c.merged_into !== null || !['new', 'triage', ...WORKING_STATUSES].includes(c.status))
      return { status: 'invalid_state', from: c.status };
    const official = input.officialId === undefined ? undefined : await findOfficial(tx, input.officialId);
    if (input.officialId !== undefined && !official?.active) return { status: 'unknown_official' };
    const department = official?.department ?? input.department;
    if (!department || !deps.domain.departments.some((d) => d.id === department)) return { status: 'unknown_department' };
    const assigneeId = official?.id ?? null;
    if (department === c.department && assigneeId === c.assignee_id && c.status !== 'triage') return { status: 'unchanged' };
    // A case keeps its status when it only changes hands; from triage (or new) it becomes assigned.
    const status = c.status === 'new' || c.status === 'triage' ? 'assigned' : c.status;
    await setCaseDepartment(
      tx,
      c.id,
      { department, status, triageReason: null, routingRule: `manual:${encodeActor(input.actor)}`, assigneeId },
      now,
    );
    if (c.deadline_at) {
      // Reminders that waited while the case was in triage get their jobs again.
      await followDeadline(deps, tx, c, c.deadline_at);
    } else {
      // Cases that never had a deadline (no calendar at structuring time) get one from registration.
      await startCaseClock(tx, deps, { caseId: c.id, channel: c.channel, priority: c.priority, start: c.created_at });
    }
    await announceAssignment(tx, deps.jobs, { caseId: c.id, department, assigneeId, at: now });
    await appendAudit(tx, {
      actor: input.actor,
      action: 'assigned',
      entity: 'case',
      entityId: c.id,
      details: { from: c.status, to: status, department, previousDepartment: c.department, assigneeId },
    });
    return { status: 'assigned', caseNumber: c.number, department, officialName: official?.name ?? null };
  });
}
