import {
  findOfficialByAccount,
  type OfficialCase,
  type OfficialRow,
  openCasesOfDepartment,
} from '../../models/people-repository.js';
import type { StaffAccount } from '../../models/staff-account.js';
import type { HandlerDeps } from '../deps.js';
import { may } from './access.js';

export type MyCasesOutcome = { status: 'ok'; official: OfficialRow; cases: OfficialCase[] } | { status: 'forbidden' };

/** /my: the open cases of the person's own department, most pressing deadline first. */
export async function myCases(deps: Pick<HandlerDeps, 'db'>, account: StaffAccount): Promise<MyCasesOutcome> {
  const official = await findOfficialByAccount(deps.db, account);
  if (!official || !may(official, 'cases:own-department')) return { status: 'forbidden' };
  return { status: 'ok', official, cases: await openCasesOfDepartment(deps.db, official.department) };
}
