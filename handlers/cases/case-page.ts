import { answerPhotoCounts, assignablePeople, type CaseExtras, caseExtras, officialNames } from '../../models/case-page-query.js';
import { type CaseView, findCase } from '../../models/case-query.js';
import type { HandlerDeps } from '../deps.js';

export type { CaseExtras };

/**
 * The reads of a case's page in the web console beyond caseDetail: the case alone (an action checks
 * its department and version before acting), the pause, assignee and merge, the answers' photos, the
 * people named in its history and the people an operator may assign it to.
 */
export function caseByKey(deps: Pick<HandlerDeps, 'db'>, idOrNumber: number | string): Promise<CaseView | undefined> {
  return findCase(deps.db, idOrNumber);
}

export function caseState(deps: Pick<HandlerDeps, 'db'>, caseId: number): Promise<CaseExtras | undefined> {
  return caseExtras(deps.db, caseId);
}

export function answerPhotos(deps: Pick<HandlerDeps, 'db'>, caseId: number): Promise<Map<number, number>> {
  return answerPhotoCounts(deps.db, caseId);
}

export function peopleNames(deps: Pick<HandlerDeps, 'db'>, ids: readonly number[]): Promise<Map<number, string>> {
  return officialNames(deps.db, ids);
}

export function assignees(deps: Pick<HandlerDeps, 'db'>) {
  return assignablePeople(deps.db);
}
