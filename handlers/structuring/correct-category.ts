import type { DomainConfig } from '../../config/domain.js';
import type { Clock } from '../../lib/clock.js';
import type { Actor } from '../../models/actor.js';
import { appendAudit } from '../../models/audit-repository.js';
import { lockCaseForAction } from '../../models/case-actions-repository.js';
import { addTrainingExample, loadCaseForCorrection, setCaseCategory } from '../../models/correction-repository.js';
import { type Db, inTransaction } from '../../models/database.js';
import { followDeadline } from '../cases/deadline-clock.js';
import type { CaseActionDeps } from '../cases/deps.js';
import { type CaseExpectation, meetsExpectation } from '../cases/expectation.js';
import { announceAssignment } from '../reminders/reminders.js';
import { routeCase } from './routing.js';

export type CorrectionOutcome =
  | { status: 'corrected'; category: string; department: string; previous: string | null }
  | { status: 'unchanged' }
  | { status: 'not_found' }
  | { status: 'stale' }
  | { status: 'unknown_category'; known: string[] };

/**
 * An operator sets a case's category. The automatic label stays in `category_auto`, the case is
 * re-routed, the change is audited and the text joins the training set for the next retraining.
 * With `expect` (the console's form), a case changed since the form was rendered is `stale`.
 */
export async function correctCategory(
  deps: { db: Db; clock: Clock; domain: DomainConfig; actions?: CaseActionDeps },
  input: { caseId: number; category: string; actor: Actor; expect?: CaseExpectation },
): Promise<CorrectionOutcome> {
  const known = deps.domain.categories.map((c) => c.id);
  if (!known.includes(input.category)) return { status: 'unknown_category', known };
  const now = deps.clock.now();
  return inTransaction(deps.db, async (tx) => {
    const found = await loadCaseForCorrection(tx, input.caseId);
    if (!found) return { status: 'not_found' };
    if (!meetsExpectation(found, input.expect)) return { status: 'stale' };
    if (found.category === input.category) return { status: 'unchanged' };
    const route = routeCase(deps.domain, input.category, found.district);
    await setCaseCategory(tx, found.id, { category: input.category, department: route.department, routingRule: route.rule }, now);
    await addTrainingExample(tx, { text: found.text, label: input.category, source: 'correction', caseId: found.id }, now);
    // Routed to a new department: its officials get the card, and reminders that waited in triage run again.
    if (deps.actions && route.department && route.department !== found.department) {
      await announceAssignment(tx, deps.actions.jobs, {
        caseId: found.id,
        department: route.department,
        assigneeId: null,
        at: now,
      });
      const locked = await lockCaseForAction(tx, found.id);
      if (locked?.deadline_at) await followDeadline(deps.actions, tx, locked, locked.deadline_at);
    }
    await appendAudit(tx, {
      actor: input.actor,
      action: 'category_corrected',
      entity: 'case',
      entityId: found.id,
      details: { from: found.category, to: input.category, department: route.department },
    });
    return { status: 'corrected', category: input.category, department: route.department, previous: found.category };
  });
}
