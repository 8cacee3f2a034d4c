import { type DepartmentStats, departmentStats } from '../../models/stats-query.js';
import type { HandlerDeps } from '../deps.js';

/** Below this many cases in the period a department is listed, not ranked. */
export const STATS_MIN_CASES = 5;

export interface RankedDepartment extends DepartmentStats {
  /** Share answered on time among the cases whose time is up (0–1; 0 when none is due yet). */
  onTimeShare: number;
  /** Share of cases with a final answer (0–1). */
  answeredShare: number;
  /** Share of 4–5 among ratings (0–1), null without ratings. */
  goodRatingShare: number | null;
}

export interface StatsReport {
  from: Date;
  to: Date;
  minCases: number;
  /** Departments with enough cases to be compared, best first. */
  ranked: RankedDepartment[];
  /** Departments with fewer than `minCases` cases in the period: shown, not ranked. */
  tooFew: RankedDepartment[];
  totals: { cases: number; answered: number; answeredOnTime: number; overdue: number };
}

/**
 * The departments' ranking for a period: by the share answered on time, then completeness, then the
 * median time to the first answer. A department with a handful of cases is not "best": below
 * `minCases` it is listed apart, unranked (DOMAIN.md: minimum volumes and period windows).
 */
export async function departmentRanking(
  deps: Pick<HandlerDeps, 'db' | 'clock'>,
  input: { days: number; minCases: number },
): Promise<StatsReport> {
  const to = deps.clock.now();
  const from = new Date(to.getTime() - input.days * 86_400_000);
  const rows = (await departmentStats(deps.db, from, to, to)).map(
    (s): RankedDepartment => ({
      ...s,
      onTimeShare: s.due === 0 ? 0 : s.answeredOnTime / s.due,
      answeredShare: s.cases === 0 ? 0 : s.answered / s.cases,
      goodRatingShare: s.ratings === 0 ? null : s.goodRatings / s.ratings,
    }),
  );
  const byMerit = (a: RankedDepartment, b: RankedDepartment) =>
    b.onTimeShare - a.onTimeShare ||
    b.answeredShare - a.answeredShare ||
    (a.medianFirstResponseHours ?? Number.POSITIVE_INFINITY) - (b.medianFirstResponseHours ?? Number.POSITIVE_INFINITY) ||
    b.cases - a.cases;
  const sum = (k: 'cases' | 'answered' | 'answeredOnTime' | 'overdue') => rows.reduce((n, r) => n + r[k], 0);
  return {
    from,
    to,
    minCases: input.minCases,
    ranked: rows.filter((r) => r.cases >= input.minCases).sort(byMerit),
    tooFew: rows.filter((r) => r.cases < input.minCases).sort((a, b) => b.cases - a.cases),
    totals: { cases: sum('cases'), answered: sum('answered'), answeredOnTime: sum('answeredOnTime'), overdue: sum('overdue') },
  };
}
