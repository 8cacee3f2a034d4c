import type { Clock } from '../../models/clock.js';
import type { Db } from '../../models/database.js';
import { findOfficialByTelegram } from '../../models/people-repository.js';
import { caseCard } from '../../models/reminder-repository.js';
import { changeCaseStatus, type StatusChange } from '../cases/change-status.js';
import { may } from '../people/access.js';

export type TakeOutcome = StatusChange | { status: 'forbidden' };

/** «Взять в работу»: an official of the case's department (or a role that sees all cases) takes it. */
export async function takeCase(
  deps: { db: Db; clock: Clock },
  input: { caseId: number; telegramUserId: string },
): Promise<TakeOutcome> {
  const official = await findOfficialByTelegram(deps.db, input.telegramUserId);
  const card = await caseCard(deps.db, input.caseId);
  if (!card) return { status: 'not_found' };
  const ownDepartment = official !== undefined && official.department === card.department;
  if (!(may(official, 'cases:all') || (ownDepartment && may(official, 'cases:own-department')))) return { status: 'forbidden' };
  return changeCaseStatus(deps, { caseId: input.caseId, to: 'in_progress', actor: `official:${official?.id}` });
}
