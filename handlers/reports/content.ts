import type { Role } from '../../config/domain.js';
import type { DepartmentFigures } from '../../models/analytics-query.js';
import { departmentLoads } from '../../models/digest-repository.js';
import type { ReportDepartment, ReportProblem, WeekFigures, WeeklyReport } from '../../models/report-repository.js';
import {
  ANALYTICS_DEFAULTS,
  type AnalyticsDeps,
  type DepartmentRating,
  openRecommendations,
  periodFigures,
  problems,
  type RatingsReport,
  ratings,
} from '../analytics/index.js';
import { pagesReport } from '../pages/index.js';
import { type ReportWeek, reportWeek } from './week.js';

/** A department is late under this on-time share for the week when the domain file does not say (`reports.lateOnTimeShare`). */
export const DEFAULT_LATE_SHARE = 0.8;
/** At most this many problems, late departments, and best / worst departments. */
export const REPORT_PROBLEMS = 5;
export const REPORT_LATE_LINES = 10;
export const REPORT_BEST_WORST = 3;
/** At most this many recommendations (their titles; the rest are in the API). */
export const REPORT_RECOMMENDATIONS = 5;

/**
 * Who reads which report: the curator, the head of the МЦУ and the block owners (and, on demand, the
 * coordinator and operators, who see all cases) the city's; a department head their department's.
 * Block owners get the whole city: the domain file names each department's block, but not which block a
 * person owns (a person has a department, not a block), so there is nothing to narrow it by yet.
 */
const SCOPES: Readonly<Record<Role, WeeklyReport['scope'] | null>> = {
  curator: 'city',
  head: 'city',
  block_owner: 'city',
  coordinator: 'city',
  operator: 'city',
  department_head: 'department',
  official: null,
};

/** The roles that get the report on the first working day of every week (regulation 4.3). */
export const WEEKLY_REPORT_ROLES: readonly Role[] = ['curator', 'head', 'block_owner', 'department_head'];

export function reportScope(role: string): WeeklyReport['scope'] | null {
  return SCOPES[role as Role] ?? null;
}

const share = (part: number, whole: number) => (whole === 0 ? null : Math.round((part / whole) * 10_000) / 10_000);
const NO_CASES: WeekFigures = { cases: 0, answered: 0, onTimeShare: null, firstResponseHours: null, satisfaction45: null };

function fromFigures(f: DepartmentFigures | undefined): WeekFigures {
  if (!f) return NO_CASES;
  return {
    cases: f.cases,
    answered: f.answered,
    onTimeShare: share(f.answeredOnTime, f.due),
    firstResponseHours: f.firstResponse.median,
    satisfaction45: share(f.rated45, f.rated),
  };
}

function fromRating(r: DepartmentRating | undefined): WeekFigures {
  if (!r) return NO_CASES;
  return {
    cases: r.cases,
    answered: r.answered,
    onTimeShare: r.onTimeShare,
    firstResponseHours: r.firstResponseHours.median,
    satisfaction45: r.satisfaction.share45,
  };
}

async function ratingsOf(deps: AnalyticsDeps, period: { from: Date; to: Date }): Promise<RatingsReport> {
  const outcome = await ratings(deps, period);
  // A week is always a valid period; an invalid outcome would be a bug.
  if (outcome.status !== 'ok') throw new Error(`ratings refused a week: ${outcome.code}`);
  return outcome.report;
}

/** The whole city's figures for a week, by the ratings' own formulas (one row over every department). */
async function cityFigures(deps: AnalyticsDeps, period: { from: Date; to: Date }, now: Date): Promise<WeekFigures> {
  const [rows] = await periodFigures(deps, {
    periods: [period],
    now,
    repeatWindowDays: (deps.domain.analytics ?? ANALYTICS_DEFAULTS).repeatWindowDays,
    wholeCity: true,
  });
  return fromFigures(rows?.[0]);
}

/** The largest growing problems that need attention (not resolved), over the last 7 days against the 7 before. */
async function topProblems(deps: AnalyticsDeps, department: string | null): Promise<ReportProblem[]> {
  const outcome = await problems(deps, { sort: 'growth', windowDays: 7, limit: 100 });
  if (outcome.status !== 'ok') throw new Error(`problems refused a valid query: ${outcome.code}`);
  return outcome.items
    .filter((p) => p.status !== 'resolved' && (department === null || p.department === department))
    .slice(0, REPORT_PROBLEMS)
    .map((p) => ({ title: p.title, status: p.status, recent: p.trend.recent, growth: p.trend.growth }));
}

/**
 * The week's recommendations for the scope (null: the whole city), less those dismissed: their one-line
 * titles, the evidence being in GET /api/v1/analytics/recommendations.
 */
async function weekRecommendations(deps: AnalyticsDeps, week: ReportWeek, department: string | null): Promise<string[]> {
  const items = await openRecommendations(deps, { from: week.reported.from, to: week.reported.to }, department);
  const titles = items.slice(0, REPORT_RECOMMENDATIONS).map((r) => r.title);
  if (items.length > REPORT_RECOMMENDATIONS) titles.push(`…и ещё ${items.length - REPORT_RECOMMENDATIONS}`);
  return titles;
}

/**
 * One person's weekly report as of `now`: the previous local week (Monday–Sunday) against the week
 * before it, from the ratings and the problem list. Null for a role that gets none (a plain official).
 */
export async function buildWeeklyReport(
  deps: AnalyticsDeps,
  person: { role: string; department: string },
  now: Date,
): Promise<WeeklyReport | null> {
  const scope = reportScope(person.role);
  if (!scope) return null;
  const week = reportWeek(deps.calendar, now);
  return scope === 'city' ? cityReport(deps, week, now) : departmentReport(deps, person.department, week, now);
}

async function cityReport(deps: AnalyticsDeps, week: ReportWeek, now: Date): Promise<WeeklyReport> {
  const [current, previous, rated, loads, top, recommendations, pages] = await Promise.all([
    cityFigures(deps, week.reported, now),
    cityFigures(deps, week.previous, now),
    ratingsOf(deps, week.reported),
    departmentLoads(deps.db, { now, dayEnd: now }),
    topProblems(deps, null),
    weekRecommendations(deps, week, null),
    pagesReport(deps, null, now),
  ]);
  const overdue = new Map(loads.map((l) => [l.department, l.overdue]));
  const names = new Map(deps.domain.departments.map((d) => [d.id, d.shortName ?? d.name]));
  const line = (id: string, r: DepartmentRating | undefined): ReportDepartment => ({
    name: names.get(id) ?? id,
    score: r?.score ?? null,
    onTimeShare: r?.onTimeShare ?? null,
    overdue: overdue.get(id) ?? 0,
  });

  const threshold = deps.domain.reports?.lateOnTimeShare ?? DEFAULT_LATE_SHARE;
  const rows = new Map([...rated.ranked, ...rated.unranked].map((r) => [r.department, r]));
  const ids = new Set([...rows.keys(), ...loads.map((l) => l.department)]);
  const late = [...ids]
    .map((id) => line(id, rows.get(id)))
    .filter((d) => d.overdue > 0 || (d.onTimeShare !== null && d.onTimeShare < threshold))
    .sort((a, b) => b.overdue - a.overdue || (a.onTimeShare ?? 1) - (b.onTimeShare ?? 1) || a.name.localeCompare(b.name));

  // Best and worst never overlap: with fewer than two ranked departments there is no comparison.
  const n = Math.min(REPORT_BEST_WORST, Math.floor(rated.ranked.length / 2));
  const report: WeeklyReport = {
    week: { from: week.reported.first, to: week.reported.last },
    scope: 'city',
    current,
    previous,
    overdueNow: loads.reduce((s, l) => s + l.overdue, 0),
    problems: top,
    recommendations,
    ...(pages ? { pages } : {}),
  };
  if (late.length > 0)
    report.late = {
      departments: late.slice(0, REPORT_LATE_LINES),
      more: Math.max(0, late.length - REPORT_LATE_LINES),
      threshold,
    };
  if (n > 0) {
    report.best = rated.ranked.slice(0, n).map((r) => line(r.department, r));
    report.worst = rated.ranked
      .slice(-n)
      .reverse()
      .map((r) => line(r.department, r));
  }
  return report;
}

async function departmentReport(deps: AnalyticsDeps, department: string, week: ReportWeek, now: Date): Promise<WeeklyReport> {
  const [rated, before, loads, top, recommendations, pages] = await Promise.all([
    ratingsOf(deps, week.reported),
    ratingsOf(deps, week.previous),
    departmentLoads(deps.db, { now, dayEnd: now }, department),
    topProblems(deps, department),
    weekRecommendations(deps, week, department),
    pagesReport(deps, department, now),
  ]);
  const mine = (r: RatingsReport) => [...r.ranked, ...r.unranked].find((x) => x.department === department);
  const row = mine(rated);
  const known = deps.domain.departments.find((d) => d.id === department);
  return {
    week: { from: week.reported.first, to: week.reported.last },
    scope: 'department',
    name: known?.name ?? department,
    current: fromRating(row),
    previous: fromRating(mine(before)),
    overdueNow: loads[0]?.overdue ?? 0,
    // Its place among all ranked departments, but none of the others' figures (the ratings' rule).
    rank: {
      rank: row?.rank ?? null,
      of: rated.ranked.length,
      previousRank: row?.trend.previousRank ?? null,
      score: row?.score ?? null,
      scoreDelta: row?.trend.scoreDelta ?? null,
    },
    problems: top,
    recommendations,
    ...(pages ? { pages } : {}),
  };
}

/**
 * True when the report has anything to say: no cases in either week, none overdue, no problem and no
 * official page needing attention (silent, unanswered comments past the term, unreadable) — nothing is sent.
 */
export function hasReportContent(r: WeeklyReport): boolean {
  const pages = r.pages ? r.pages.silent + r.pages.unanswered + r.pages.unreadable : 0;
  return r.current.cases + r.previous.cases + r.overdueNow + r.problems.length + pages > 0;
}
