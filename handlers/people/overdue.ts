import { findOfficialByAccount, type OfficialCase, overdueCases } from '../../models/people-repository.js';
import type { StaffAccount } from '../../models/staff-account.js';
import type { HandlerDeps } from '../deps.js';
import { may } from './access.js';

export type OverdueOutcome =
  | { status: 'ok'; cases: OfficialCase[]; scope: 'department' | 'all'; department: string }
  | { status: 'forbidden' };

/** /overdue: the department's overdue cases; /overdue all: every department's, for roles that see all cases. */
export async function overdue(
  deps: Pick<HandlerDeps, 'db' | 'clock'>,
  input: { account: StaffAccount; all: boolean },
): Promise<OverdueOutcome> {
  const official = await findOfficialByAccount(deps.db, input.account);
  if (!official) return { status: 'forbidden' };
  if (input.all && !may(official, 'cases:all')) return { status: 'forbidden' };
  if (!input.all && !may(official, 'cases:own-department')) return { status: 'forbidden' };
  const cases = await overdueCases(deps.db, deps.clock.now(), input.all ? null : official.department);
  return { status: 'ok', cases, scope: input.all ? 'all' : 'department', department: official.department };
}
