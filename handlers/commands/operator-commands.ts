import { caseIdByNumber, type OfficialCase, triageQueue } from '../../models/people-repository.js';
import type { StaffAccount } from '../../models/staff-account.js';
import type { CaseActionDeps } from '../cases/deps.js';
import type { HandlerDeps } from '../deps.js';
import { operatorOf } from '../people/role-of.js';
import { type CorrectionOutcome, correctCategory } from '../structuring/correct-category.js';

type Deps = Pick<HandlerDeps, 'db' | 'clock' | 'domain'> & { actions?: CaseActionDeps };

/** /queue: the triage queue, for operators (and the head of the МЦУ). */
export async function queue(
  deps: Deps,
  account: StaffAccount,
): Promise<{ status: 'ok'; cases: OfficialCase[] } | { status: 'forbidden' }> {
  if (!(await operatorOf(deps.db, account))) return { status: 'forbidden' };
  return { status: 'ok', cases: await triageQueue(deps.db) };
}

/** /category <номер> <категория>: an operator's correction, exactly as through the API (it teaches the classifier). */
export async function categoryCommand(
  deps: Deps,
  input: { account: StaffAccount; number: string; category: string },
): Promise<CorrectionOutcome | { status: 'forbidden' }> {
  const person = await operatorOf(deps.db, input.account);
  if (!person) return { status: 'forbidden' };
  const caseId = await caseIdByNumber(deps.db, input.number);
  if (caseId === undefined) return { status: 'not_found' };
  return correctCategory(deps, { caseId, category: input.category, actor: { type: 'operator', officialId: person.id } });
}
