import type { StaffAccount } from '../../models/staff-account.js';
import type { ProblemSummary, RatingsReport } from '../analytics/index.js';
import type { AnswerSettings } from '../answers/answer-case.js';
import type { MergeOutcome } from '../cases/merge.js';
import type { AssignOutcome } from '../cases/reassign.js';
import { STATS_MIN_CASES, type StatsReport } from '../cases/stats.js';
import type { HandlerDeps } from '../deps.js';
import type { WeeklyReport } from '../reports/index.js';
import { problemsCommand, ratingCommand, reportCommand } from './analytics-commands.js';
import { assignCommand, decideExtensionAs, mergeCommand, reviewHeldAs, statsCommand } from './case-commands.js';
import { categoryCommand, queue } from './operator-commands.js';

export { problemsCommand, ratingCommand, reportCommand } from './analytics-commands.js';
export { assignCommand, decideExtensionAs, mergeCommand, reviewHeldAs, statsCommand } from './case-commands.js';
export { categoryCommand, queue } from './operator-commands.js';

/** The staff's commands and decisions in the bot: triage, routing, merging, the ranking, approvals. */
export interface CommandsApi {
  queue(account: StaffAccount): Promise<
    | {
        status: 'ok';
        cases: {
          number: string;
          status: string;
          text: string;
          priority: string;
          deadlineAt: Date | null;
          suggestions?: unknown;
        }[];
      }
    | { status: 'forbidden' }
  >;
  category(
    account: StaffAccount,
    number: string,
    category: string,
  ): Promise<{ status: string; category?: string; department?: string; known?: string[] }>;
  assign(account: StaffAccount, number: string, target: string): Promise<AssignOutcome | { status: 'forbidden' }>;
  merge(account: StaffAccount, number: string, into: string): Promise<MergeOutcome | { status: 'forbidden' }>;
  stats(account: StaffAccount, days: number): Promise<({ status: 'ok' } & StatsReport) | { status: 'forbidden' }>;
  /** /rating [дней]: the ratings of regulation 2.2.6; `own` is the department a head or official is shown alone. */
  rating(
    account: StaffAccount,
    days: number,
  ): Promise<{ status: 'ok'; report: RatingsReport; own: string | null } | { status: 'forbidden' }>;
  /** /problems: the largest open and recurring problems. */
  problems(account: StaffAccount, limit: number): Promise<{ status: 'ok'; items: ProblemSummary[] } | { status: 'forbidden' }>;
  /** /report: the weekly report the person would get (the city's, or a department head's department). */
  report(account: StaffAccount): Promise<{ status: 'ok'; report: WeeklyReport } | { status: 'forbidden' }>;
  /** «Одобрить» / «Отклонить» under an extension request in the operators' chat. */
  decideExtension(requestId: number, approve: boolean, account: StaffAccount): Promise<{ status: string; caseNumber?: string }>;
  /** «Отправить жителю» / «Вернуть исполнителю» under an answer the quality gate held. */
  reviewHeld(
    answerId: number,
    approve: boolean,
    account: StaffAccount,
  ): Promise<{ status: string; caseNumber?: string; from?: string }>;
}

/** Binds the staff commands; `deps` is called on every use (the database or queue may not be up yet). */
export function bindCommands(deps: () => HandlerDeps & Pick<AnswerSettings, 'pollDelayMs'>): CommandsApi {
  return {
    queue: (account) => queue(deps(), account),
    category: (account, number, category) => {
      const d = deps();
      return categoryCommand({ ...d, actions: d }, { account, number, category });
    },
    assign: (account, number, target) => assignCommand(deps(), { account, number, target }),
    merge: (account, number, into) => mergeCommand(deps(), { account, number, into }),
    stats: (account, days) => statsCommand(deps(), { account, days, minCases: STATS_MIN_CASES }),
    rating: (account, days) => ratingCommand(deps(), { account, days }),
    problems: (account, limit) => problemsCommand(deps(), { account, limit }),
    report: (account) => reportCommand(deps(), { account }),
    decideExtension: (requestId, approve, account) => decideExtensionAs(deps(), { requestId, approve, account }),
    reviewHeld: (answerId, approve, account) => reviewHeldAs(deps(), { answerId, approve, account }),
  };
}
