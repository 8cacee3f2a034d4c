import { extendForPause } from '../../lib/deadlines/index.js';
import type { Actor } from '../../models/actor.js';
import { appendAudit } from '../../models/audit-repository.js';
import { type LockedCase, lockCaseForAction, setCaseDeadline, setCasePaused } from '../../models/case-actions-repository.js';
import { inTransaction, type Tx } from '../../models/database.js';
import { tellCaseTeam } from '../reminders/reminders.js';
import { finalDeadlineMode, followDeadline } from './deadline-clock.js';
import { type CaseActionDeps, WORKING_STATUSES } from './deps.js';
import { citizenChat } from './tell.js';

export type AskOutcome =
  | { status: 'asked'; caseNumber: string }
  | { status: 'not_found' | 'unreachable' }
  | { status: 'invalid_state'; from: string };

/**
 * «Уточнить у жителя»: the question goes to the citizen's chat and the case's clock stops until they
 * answer (their next message in that chat joins the case and resumes it, however late). A citizen
 * who wrote in a public thread cannot be asked privately: the official answers there instead.
 */
export async function askCitizen(
  deps: CaseActionDeps,
  input: { caseId: number; question: string; actor: Actor },
): Promise<AskOutcome> {
  const now = deps.clock.now();
  return inTransaction(deps.db, async (tx) => {
    const c = await lockCaseForAction(tx, input.caseId);
    if (!c) return { status: 'not_found' };
    if (!WORKING_STATUSES.includes(c.status)) return { status: 'invalid_state', from: c.status };
    const target = await citizenChat(tx, c.id);
    if (!target) return { status: 'unreachable' };
    if (!c.paused_at) await setCasePaused(tx, c.id, now, now);
    await deps.jobs.send(
      'notify-citizen',
      { target, notification: { kind: 'question', caseNumber: c.number, text: input.question.slice(0, 3500) } },
      { tx },
    );
    await appendAudit(tx, {
      actor: input.actor,
      action: 'paused',
      entity: 'case',
      entityId: c.id,
      details: { question: input.question, deadline: c.deadline_at?.toISOString() ?? null },
    });
    return { status: 'asked', caseNumber: c.number };
  });
}

/**
 * The clock runs again: the deadline moves later by the time the case waited (working time for a
 * working-time deadline), reminders follow it, and the case's people are told the citizen answered.
 */
export async function resumeLocked(
  deps: CaseActionDeps,
  tx: Tx,
  c: LockedCase,
  input: { actor: Actor; notifyTeam: boolean },
): Promise<Date | null> {
  if (!c.paused_at) return c.deadline_at;
  const now = deps.clock.now();
  let deadline = c.deadline_at;
  if (deadline) {
    const mode = finalDeadlineMode(deps, c);
    const from = deadline;
    const pausedAt = c.paused_at;
    // A deadline moved across a year the production calendar lacks becomes provisional; one that was stays so.
    const moved = deps.calendar.track(() => extendForPause(deps.calendar, from, pausedAt, now, mode));
    deadline = moved.value;
    // The latest deadline an extension may reach moves by the same pause.
    const latest = c.latest_deadline_at ? extendForPause(deps.calendar, c.latest_deadline_at, c.paused_at, now, mode) : null;
    await setCaseDeadline(tx, c.id, deadline, now, latest, c.deadline_provisional || moved.provisional);
    await followDeadline(deps, tx, c, deadline);
  }
  await setCasePaused(tx, c.id, null, now);
  await appendAudit(tx, {
    actor: input.actor,
    action: 'resumed',
    entity: 'case',
    entityId: c.id,
    details: {
      pausedAt: c.paused_at.toISOString(),
      from: c.deadline_at?.toISOString() ?? null,
      to: deadline?.toISOString() ?? null,
    },
  });
  if (input.notifyTeam) await tellCaseTeam(tx, deps.jobs, { caseId: c.id, kind: { type: 'citizen_replied', at: now }, at: now });
  return deadline;
}

export type ResumeOutcome = { status: 'resumed'; deadlineAt: Date | null } | { status: 'not_found' | 'not_paused' };

/** An operator (or the dashboard) restarts the clock by hand, e.g. when the citizen called instead. */
export async function resumeCase(deps: CaseActionDeps, input: { caseId: number; actor: Actor }): Promise<ResumeOutcome> {
  return inTransaction(deps.db, async (tx) => {
    const c = await lockCaseForAction(tx, input.caseId);
    if (!c) return { status: 'not_found' };
    if (!c.paused_at) return { status: 'not_paused' };
    return { status: 'resumed', deadlineAt: await resumeLocked(deps, tx, c, { actor: input.actor, notifyTeam: false }) };
  });
}
