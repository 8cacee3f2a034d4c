import { workingTimeBetween } from '../../lib/deadlines/index.js';
import type { Actor } from '../../models/actor.js';
import { appendAudit } from '../../models/audit-repository.js';
import {
  decideExtensionRequest,
  type ExtensionRequestItem,
  insertExtensionRequest,
  type LockedCase,
  listExtensionRequests,
  lockCaseForAction,
  lockExtensionRequest,
  setCaseDeadline,
} from '../../models/case-actions-repository.js';
import { inTransaction } from '../../models/database.js';
import { insertAlert } from '../../models/structuring-repository.js';
import { finalDeadlineMode, followDeadline } from './deadline-clock.js';
import { type CaseActionDeps, WORKING_STATUSES } from './deps.js';
import { citizenChat, tellActingOfficial } from './tell.js';

export type ExtensionRequestOutcome =
  | { status: 'requested'; requestId: number; caseNumber: string; until: Date }
  | { status: 'already_pending' | 'not_found' | 'no_deadline' | 'not_allowed' }
  | { status: 'invalid_state'; from: string };

/**
 * An official asks for more time: the request names the reason and the latest deadline the case's
 * policy allows (`maxExtension`); the operators are alerted and decide. One open request per case.
 */
export async function requestExtension(
  deps: CaseActionDeps,
  input: { caseId: number; reason: string; actor: Actor; until?: Date },
): Promise<ExtensionRequestOutcome> {
  const now = deps.clock.now();
  return inTransaction(deps.db, async (tx) => {
    const c = await lockCaseForAction(tx, input.caseId);
    if (!c) return { status: 'not_found' };
    if (!WORKING_STATUSES.includes(c.status)) return { status: 'invalid_state', from: c.status };
    if (!c.deadline_at) return { status: 'no_deadline' };
    const latest = c.latest_deadline_at;
    if (!latest || latest.getTime() <= c.deadline_at.getTime()) return { status: 'not_allowed' };
    const until = input.until && input.until.getTime() < latest.getTime() ? input.until : latest;
    if (until.getTime() <= c.deadline_at.getTime()) return { status: 'not_allowed' };
    const requestId = await insertExtensionRequest(
      tx,
      { caseId: c.id, requestedBy: input.actor, reason: input.reason, previousDeadline: c.deadline_at, until },
      now,
    );
    if (requestId === undefined) return { status: 'already_pending' };
    await appendAudit(tx, {
      actor: input.actor,
      action: 'extension_requested',
      entity: 'case',
      entityId: c.id,
      details: { requestId, reason: input.reason, from: c.deadline_at.toISOString(), until: until.toISOString() },
    });
    const alertId = await insertAlert(
      tx,
      {
        kind: 'extension_requested',
        caseId: c.id,
        problemId: null,
        details: { requestId, reason: input.reason, deadline: c.deadline_at.toISOString(), until: until.toISOString() },
      },
      now,
    );
    await deps.jobs.send('notify-operators', { alertId }, { tx });
    return { status: 'requested', requestId, caseNumber: c.number, until };
  });
}

export type ExtensionDecisionOutcome =
  | { status: 'approved'; caseNumber: string; until: Date }
  | { status: 'rejected'; caseNumber: string }
  | { status: 'not_found' | 'already_decided' };

/**
 * An operator decides. Approved: the case gets the new deadline, reminders move with it, the citizen
 * is told the new term, the official learns the decision; both ways the audit log keeps it.
 */
export async function decideExtension(
  deps: CaseActionDeps,
  input: { requestId: number; approve: boolean; actor: Actor; comment?: string },
): Promise<ExtensionDecisionOutcome> {
  const now = deps.clock.now();
  return inTransaction(deps.db, async (tx) => {
    const r = await lockExtensionRequest(tx, input.requestId);
    if (!r) return { status: 'not_found' };
    if (r.state !== 'pending') return { status: 'already_decided' };
    const c = await lockCaseForAction(tx, r.case_id);
    if (!c) return { status: 'not_found' };
    const approve = input.approve && WORKING_STATUSES.includes(c.status);
    const state = approve ? 'approved' : 'rejected';
    await decideExtensionRequest(tx, r.id, { state, by: input.actor, comment: input.comment ?? null }, now);
    // A pause that ended after the request moved the deadline: the extension adds to the moved one.
    const moved = c.deadline_at ? c.deadline_at.getTime() - r.previous_deadline_at.getTime() : 0;
    const until = new Date(r.requested_until.getTime() + Math.max(0, moved));
    if (approve) {
      await setCaseDeadline(tx, c.id, until, now, undefined, extendedProvisional(deps, c, until));
      await followDeadline(deps, tx, c, until);
      const target = await citizenChat(tx, c.id);
      if (target)
        await deps.jobs.send(
          'notify-citizen',
          {
            target,
            notification: {
              kind: 'deadline_extended',
              caseNumber: c.number,
              until: until.toISOString(),
              reason: r.reason,
            },
          },
          { tx },
        );
    }
    await appendAudit(tx, {
      actor: input.actor,
      action: 'extension_decided',
      entity: 'case',
      entityId: c.id,
      details: {
        requestId: r.id,
        state,
        ...(approve ? { from: c.deadline_at?.toISOString() ?? null, to: until.toISOString() } : {}),
        ...(input.comment ? { comment: input.comment } : {}),
      },
    });
    // The official who asked learns the decision on their messenger.
    await tellActingOfficial(tx, deps.jobs, r.requested_by, c.id, { type: 'extension_decided', approved: approve });
    return approve ? { status: 'approved', caseNumber: c.number, until } : { status: 'rejected', caseNumber: c.number };
  });
}

/**
 * Whether an extended deadline rests on the art. 112 fallback. The new deadline was counted from the old
 * one over every day up to it (the limit is `maxExtension` past the final deadline, moved by pauses), so
 * reading those days on the calendar tells whether one falls in a year the production calendar lacks:
 * 20 Dec 2026 + 30d lands in 2027. A deadline that was provisional stays so; plain clock time reads no day.
 */
function extendedProvisional(deps: CaseActionDeps, c: LockedCase, until: Date): boolean {
  if (c.deadline_provisional || !c.deadline_at || finalDeadlineMode(deps, c) === 'calendar') return c.deadline_provisional;
  const from = c.deadline_at;
  return deps.calendar.track(() => workingTimeBetween(deps.calendar, from, until)).provisional;
}

/** Extension requests for the dashboard: pending ones first to decide, or a case's history. */
export async function listExtensions(
  deps: Pick<CaseActionDeps, 'db'>,
  filter: { state?: 'pending' | 'approved' | 'rejected' | undefined; caseId?: number | undefined },
): Promise<ExtensionRequestItem[]> {
  return listExtensionRequests(deps.db, {
    ...(filter.state ? { state: filter.state } : {}),
    ...(filter.caseId ? { caseId: filter.caseId } : {}),
  });
}
