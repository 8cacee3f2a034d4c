import type { StaffAccount } from '../../models/staff-account.js';
import { changeCaseStatus, type StatusChange } from '../cases/change-status.js';
import type { HandlerDeps } from '../deps.js';
import { authorizeForCase } from '../people/authorize-case.js';

export type TakeOutcome = StatusChange | { status: 'forbidden' };

/** «Взять в работу»: an official of the case's department (or a role that sees all cases) takes it. */
export async function takeCase(
  deps: Pick<HandlerDeps, 'db' | 'clock'>,
  input: { caseId: number; account: StaffAccount },
): Promise<TakeOutcome> {
  const access = await authorizeForCase(deps.db, input.account, input.caseId);
  if (access.status !== 'ok') return access;
  return takeCaseAs(deps, { caseId: input.caseId, officialId: access.official.id });
}

/** The same for a person whose access the caller has checked (the web console: its session and the case scope). */
export function takeCaseAs(
  deps: Pick<HandlerDeps, 'db' | 'clock'>,
  input: { caseId: number; officialId: number },
): Promise<StatusChange> {
  return changeCaseStatus(deps, {
    caseId: input.caseId,
    to: 'in_progress',
    actor: { type: 'official', officialId: input.officialId },
    assigneeId: input.officialId,
  });
}
