import { findOfficialByAccount } from '../../models/people-repository.js';
import type { StaffAccount } from '../../models/staff-account.js';
import { type AnalyticsDeps, type ProblemSummary, problems, type RatingsReport, ratings } from '../analytics/index.js';
import { may } from '../people/index.js';
import { buildWeeklyReport, type WeeklyReport } from '../reports/index.js';

type Forbidden = { status: 'forbidden' };

const DAY_MS = 86_400_000;

/**
 * /rating [дней]: the departments' ratings (regulation 2.2.6) over the last `days`, as the API computes
 * them. Roles that see all cases get every department; a department head or official gets their own
 * department's row, ranked among all (the API's rule).
 */
export async function ratingCommand(
  deps: AnalyticsDeps,
  input: { account: StaffAccount; days: number },
): Promise<{ status: 'ok'; report: RatingsReport; own: string | null } | Forbidden> {
  const person = await findOfficialByAccount(deps.db, input.account);
  if (!person || !may(person, 'cases:own-department')) return { status: 'forbidden' };
  const to = deps.clock.now();
  const from = new Date(to.getTime() - input.days * DAY_MS);
  const own = may(person, 'cases:all') ? null : person.department;
  const outcome = await ratings(deps, { from, to, ...(own ? { department: own } : {}) });
  // The period is always valid here (1–366 days ending now); an invalid outcome would be a bug.
  if (outcome.status !== 'ok') throw new Error(`ratings refused a valid period: ${outcome.code}`);
  return { status: 'ok', report: outcome.report, own };
}

/** /problems: the city's largest open and recurring problems (regulation 2.2.7), for roles that see all cases. */
export async function problemsCommand(
  deps: AnalyticsDeps,
  input: { account: StaffAccount; limit: number },
): Promise<{ status: 'ok'; items: ProblemSummary[] } | Forbidden> {
  const person = await findOfficialByAccount(deps.db, input.account);
  if (!may(person, 'cases:all')) return { status: 'forbidden' };
  const outcome = await problems(deps, { sort: 'volume', windowDays: 30, limit: 100 });
  if (outcome.status !== 'ok') throw new Error(`problems refused a valid query: ${outcome.code}`);
  // Resolved problems are news only when they recur: the list is what needs attention.
  const items = outcome.items.filter((p) => p.status !== 'resolved').slice(0, input.limit);
  return { status: 'ok', items };
}

/**
 * /report: the weekly report (regulation 2.1.5, 4.3) the person asking would get on Monday, built now:
 * the city's for roles that see all cases, their department's for a department head; a plain official
 * gets none.
 */
export async function reportCommand(
  deps: AnalyticsDeps,
  input: { account: StaffAccount },
): Promise<{ status: 'ok'; report: WeeklyReport } | Forbidden> {
  const person = await findOfficialByAccount(deps.db, input.account);
  if (!person?.active) return { status: 'forbidden' };
  const report = await buildWeeklyReport(deps, person, deps.clock.now());
  return report ? { status: 'ok', report } : { status: 'forbidden' };
}
