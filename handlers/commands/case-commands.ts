import type { Actor } from '../../models/actor.js';
import { caseIdByNumber, findOfficialByAccount } from '../../models/people-repository.js';
import type { StaffAccount } from '../../models/staff-account.js';
import type { AnswerSettings } from '../answers/answer-case.js';
import { type ReviewOutcome, reviewHeldAnswer } from '../answers/review-held.js';
import type { CaseActionDeps } from '../cases/deps.js';
import { decideExtension, type ExtensionDecisionOutcome } from '../cases/extension.js';
import { type MergeOutcome, mergeCases } from '../cases/merge.js';
import { type AssignOutcome, assignCase } from '../cases/reassign.js';
import { departmentRanking, type StatsReport } from '../cases/stats.js';
import type { HandlerDeps } from '../deps.js';
import { may } from '../people/access.js';
import { operatorOf } from '../people/role-of.js';

type Forbidden = { status: 'forbidden' };

/** The sender as the acting МЦУ operator, or null when they are not one. */
async function operatorActor(deps: Pick<HandlerDeps, 'db'>, account: StaffAccount): Promise<Actor | null> {
  const operator = await operatorOf(deps.db, account);
  return operator ? { type: 'operator', officialId: operator.id } : null;
}

/** «Одобрить» / «Отклонить» under an extension request in the operators' chat. */
export async function decideExtensionAs(
  deps: CaseActionDeps,
  input: { account: StaffAccount; requestId: number; approve: boolean },
): Promise<ExtensionDecisionOutcome | Forbidden> {
  const actor = await operatorActor(deps, input.account);
  if (!actor) return { status: 'forbidden' };
  return decideExtension(deps, { requestId: input.requestId, approve: input.approve, actor });
}

/** «Отправить жителю» / «Вернуть исполнителю» under an answer the quality gate held. */
export async function reviewHeldAs(
  deps: Pick<HandlerDeps, 'db' | 'jobs' | 'clock'> & Pick<AnswerSettings, 'pollDelayMs'>,
  input: { account: StaffAccount; answerId: number; approve: boolean },
): Promise<ReviewOutcome | Forbidden> {
  const actor = await operatorActor(deps, input.account);
  if (!actor) return { status: 'forbidden' };
  return reviewHeldAnswer(deps, { answerId: input.answerId, approve: input.approve, actor });
}

/** /assign <номер> <подразделение | id сотрудника> */
export async function assignCommand(
  deps: CaseActionDeps,
  input: { account: StaffAccount; number: string; target: string },
): Promise<AssignOutcome | Forbidden> {
  const actor = await operatorActor(deps, input.account);
  if (!actor) return { status: 'forbidden' };
  const caseId = await caseIdByNumber(deps.db, input.number);
  if (caseId === undefined) return { status: 'not_found' };
  return /^\d{1,9}$/.test(input.target)
    ? assignCase(deps, { caseId, officialId: Number(input.target), actor })
    : assignCase(deps, { caseId, department: input.target, actor });
}

/** /merge <дубликат> <основное> */
export async function mergeCommand(
  deps: CaseActionDeps,
  input: { account: StaffAccount; number: string; into: string },
): Promise<MergeOutcome | Forbidden> {
  const actor = await operatorActor(deps, input.account);
  if (!actor) return { status: 'forbidden' };
  const caseId = await caseIdByNumber(deps.db, input.number);
  const intoId = await caseIdByNumber(deps.db, input.into);
  if (caseId === undefined || intoId === undefined) return { status: 'not_found' };
  return mergeCases(deps, { caseId, intoId, actor });
}

/** /stats [дней]: the departments' ranking, for roles that see all cases. */
export async function statsCommand(
  deps: Pick<HandlerDeps, 'db' | 'clock'>,
  input: { account: StaffAccount; days: number; minCases: number },
): Promise<({ status: 'ok' } & StatsReport) | Forbidden> {
  const person = await findOfficialByAccount(deps.db, input.account);
  if (!may(person, 'cases:all')) return { status: 'forbidden' };
  return { status: 'ok', ...(await departmentRanking(deps, { days: input.days, minCases: input.minCases })) };
}
