import type { StaffAccount } from '../../models/staff-account.js';
import type { HandlerDeps } from '../deps.js';
import { type TakeOutcome, takeCase } from './take-case.js';

export { caseAudit } from './audit.js';
export { answerPhotos, assignees, type CaseExtras, caseByKey, caseState, peopleNames } from './case-page.js';
export { changeCaseStatus, type StatusChange } from './change-status.js';
export { type CaseActionDeps, WORKING_STATUSES } from './deps.js';
export { type CaseExpectation, meetsExpectation } from './expectation.js';
export {
  decideExtension,
  type ExtensionDecisionOutcome,
  type ExtensionRequestOutcome,
  listExtensions,
  requestExtension,
} from './extension.js';
export { type MergeOutcome, mergeCases } from './merge.js';
export {
  AT_RISK_WINDOW,
  type DeadlineCursor,
  type EscalationStep,
  type OverdueItem,
  type OverdueListFilters,
  overdueExportPages,
  overdueList,
  overdueWindow,
} from './overdue-list.js';
export { type AskOutcome, askCitizen, type ResumeOutcome, resumeCase } from './pause.js';
export { type AlertView, ackAlert, alerts, type ProblemView, problems } from './problems.js';
export {
  type CaseFilters,
  type CaseView,
  type Cursor,
  caseDetail,
  casesPage,
  decideSource,
  type MessageFilters,
  type MessageView,
  messagesPage,
  type QueryDeps,
  type SourceListItem,
  sources,
} from './queries.js';
export { type AssignOutcome, assignCase, type ReturnOutcome, returnToTriage } from './reassign.js';
export { type SourcePageItem, sourcesPage, sourceVersion } from './sources-page.js';
export { departmentRanking, type RankedDepartment, STATS_MIN_CASES, type StatsReport } from './stats.js';
export { type TakeOutcome, takeCase, takeCaseAs } from './take-case.js';
export {
  TRIAGE_STATUSES,
  type TriageCursor,
  type TriageFilters,
  type TriageItem,
  triageCase,
  triageQueuePage,
  triageQueueWatermark,
} from './triage-queue.js';

/** An official's button on a case card that moves the case: «Взять в работу». */
export interface CasesApi {
  take(caseId: number, account: StaffAccount): Promise<TakeOutcome>;
}

/** Binds the case buttons; `deps` is called on every press (the database or queue may not be up yet). */
export function bindCases(deps: () => HandlerDeps): CasesApi {
  return {
    take: (caseId, account) => takeCase(deps(), { caseId, account }),
  };
}
