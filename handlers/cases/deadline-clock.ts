import type { Regime } from '../../config/domain.js';
import type { LockedCase } from '../../models/case-actions-repository.js';
import type { Tx } from '../../models/database.js';
import { type ClockMode, clockModeOf, pickPolicy } from '../../models/deadlines/index.js';
import { replanReminders } from '../reminders/reminders.js';
import { regimeOf } from '../structuring/structure-case.js';
import type { CaseActionDeps } from './deps.js';

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
