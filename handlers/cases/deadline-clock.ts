import type { Regime } from '../../config/domain.js';
import { type ClockMode, clockModeOf, computeDeadlines, pickPolicy } from '../../lib/deadlines/index.js';
import type { LockedCase } from '../../models/case-actions-repository.js';
import type { Tx } from '../../models/database.js';
import { setCaseDeadlines } from '../../models/structuring-repository.js';
import type { HandlerDeps } from '../deps.js';
import { planReminders, replanReminders } from '../reminders/reminders.js';
import type { CaseActionDeps } from './deps.js';

/** The legal regime of a case by where it came from: social media and the bot; imports from ПОС. */
export function regimeOf(channel: string): Regime {
  return channel === 'import' ? 'pos' : 'social';
}

/**
 * Starts a case's clock: its deadlines by the SLA policy of its regime, channel and priority, counted
 * from `start` (an urgent case gets the urgent policy's shorter terms), and its reminders.
 */
export async function startCaseClock(
  tx: Tx,
  deps: Pick<HandlerDeps, 'jobs' | 'calendar' | 'domain'>,
  c: { caseId: number; channel: string; priority: string; start: Date; regime?: Regime },
): Promise<void> {
  // An appeal from another system brings its source's regime (the domain file's `sources`).
  const regime = c.regime ?? regimeOf(c.channel);
  const policy = pickPolicy(deps.domain.sla.policies, {
    regime,
    priority: c.priority === 'urgent' ? 'urgent' : 'normal',
    channel: c.channel,
  });
  const d = computeDeadlines(deps.calendar, policy, c.start);
  await setCaseDeadlines(tx, c.caseId, {
    regime,
    firstResponseAt: d.firstResponseAt,
    finalResponseAt: d.finalResponseAt,
    latestFinalResponseAt: d.latestFinalResponseAt ?? null,
    // Counted on the art. 112 fallback (a year the production calendar lacks): the card and the API say so.
    provisional: d.provisional,
  });
  await planReminders(tx, deps, { caseId: c.caseId, start: c.start, deadline: d.finalResponseAt, mode: d.finalResponseMode });
}

/** The clock the case's final deadline runs on (working hours, working days or calendar time). */
export function finalDeadlineMode(deps: Pick<CaseActionDeps, 'domain'>, c: LockedCase): ClockMode {
  const policy = pickPolicy(deps.domain.sla.policies, {
    regime: (c.regime ?? regimeOf(c.channel)) as Regime,
    priority: c.priority === 'urgent' ? 'urgent' : 'normal',
    channel: c.channel,
  });
  return clockModeOf(policy.finalResponse);
}

/** Reminders and escalations follow a moved deadline. */
export async function followDeadline(deps: CaseActionDeps, tx: Tx, c: LockedCase, deadline: Date): Promise<void> {
  await replanReminders(
    tx,
    { jobs: deps.jobs, calendar: deps.calendar, domain: deps.domain },
    { caseId: c.id, start: c.created_at, deadline, mode: finalDeadlineMode(deps, c) },
  );
}
