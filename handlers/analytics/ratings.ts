import type { AnalyticsSettings } from '../../config/domain.js';
import type { DepartmentFigures } from '../../models/analytics-query.js';
import type { HandlerDeps } from '../deps.js';
import { digitalScores } from '../page-monitoring/index.js';
import { periodFigures } from './case-facts.js';
import { analyticsSettings, checkPeriod, type Invalid } from './period.js';

export type AnalyticsDeps = Pick<HandlerDeps, 'db' | 'clock' | 'calendar' | 'domain'>;

/** A share rounded to 4 places; null when there is nothing to share. */
const share = (part: number, whole: number) => (whole === 0 ? null : Math.round((part / whole) * 10_000) / 10_000);
const round = (v: number, places: number) => Math.round(v * 10 ** places) / 10 ** places;

/** One department's rating for the period: see docs/architecture/ratings.md for every figure. */
export interface DepartmentRating {
  department: string;
  name: string;
  cases: number;
  answered: number;
  answeredShare: number | null;
  due: number;
  answeredOnTime: number;
  onTimeShare: number | null;
  /** Working hours (production calendar, the city's zone), paused time excluded. */
  firstResponseHours: { median: number | null; p90: number | null };
  finalAnswerHours: { median: number | null; p90: number | null };
  completeness: {
    finalAnswers: number;
    clean: number;
    held: number;
    forced: number;
    share: number | null;
    otpiskaShare: number | null;
  };
  reopened: { reopenings: number; share: number | null };
  repeats: { cases: number; share: number | null };
  satisfaction: { polled: number; answered: number; rated: number; share45: number | null; mean: number | null };
  /**
   * The digital-transformation component (official pages: the mean of the department's pages' scores in the
   * period, docs/architecture/official-pages.md); present only when the domain file's `pages.ratingWeight` is above 0.
   */
  digital?: { score: number | null; weight: number };
  /** 0–100, the weighted mean of the components that have a value; null when none has. */
  score: number | null;
  /** 1 = best; null for a department listed apart. */
  rank: number | null;
  unrankedReason: 'below_min_cases' | 'no_score' | null;
  trend: { previousCases: number; previousScore: number | null; previousRank: number | null; scoreDelta: number | null };
}

export interface RatingsReport {
  period: { from: Date; to: Date };
  previousPeriod: { from: Date; to: Date };
  minCases: number;
  weights: AnalyticsSettings['weights'];
  /** The digital component's weight (`pages.ratingWeight`), when it takes part. */
  digitalWeight?: number;
  /** Departments with at least `minCases` cases and a score, best first. */
  ranked: DepartmentRating[];
  /** Departments under the minimum volume (or with nothing to score yet): listed, not ranked. */
  unranked: DepartmentRating[];
}

export type RatingsOutcome = { status: 'ok'; report: RatingsReport } | Invalid;

interface Scored {
  figures: DepartmentFigures;
  rating: Omit<DepartmentRating, 'name' | 'rank' | 'unrankedReason' | 'trend'>;
}

/**
 * One department's figures rated by the weights: the shares and the score (the history of scores uses it too).
 * `digital`: the official pages' component (its score 0–100, null: left out) and its weight.
 */
export function rate(
  f: DepartmentFigures,
  weights: AnalyticsSettings['weights'],
  digital?: { score: number | null; weight: number },
): Scored['rating'] {
  const answeredShare = share(f.answered, f.cases);
  const onTimeShare = share(f.answeredOnTime, f.due);
  const completenessShare = share(f.cleanAnswers, f.finalAnswers);
  const reopenShare = share(f.reopenings, f.answered);
  const repeatShare = share(f.repeats, f.cases);
  const share45 = share(f.rated45, f.rated);
  const components: [number, number | null][] = [
    [weights.onTime, onTimeShare],
    [weights.answered, answeredShare],
    [weights.completeness, completenessShare],
    [weights.satisfaction, share45],
    [weights.reopened, reopenShare === null ? null : 1 - Math.min(1, reopenShare)],
    [weights.repeats, repeatShare === null ? null : 1 - repeatShare],
  ];
  if (digital) components.push([digital.weight, digital.score === null ? null : digital.score / 100]);
  const present = components.filter((c): c is [number, number] => c[1] !== null && c[0] > 0);
  const weightSum = present.reduce((s, [wt]) => s + wt, 0);
  const score = weightSum === 0 ? null : round((100 * present.reduce((s, [wt, v]) => s + wt * v, 0)) / weightSum, 1);
  return {
    department: f.department,
    cases: f.cases,
    answered: f.answered,
    answeredShare,
    due: f.due,
    answeredOnTime: f.answeredOnTime,
    onTimeShare,
    firstResponseHours: f.firstResponse,
    finalAnswerHours: f.finalAnswer,
    completeness: {
      finalAnswers: f.finalAnswers,
      clean: f.cleanAnswers,
      held: f.heldAnswers,
      forced: f.forcedAnswers,
      share: completenessShare,
      otpiskaShare: share(f.finalAnswers - f.cleanAnswers, f.finalAnswers),
    },
    reopened: { reopenings: f.reopenings, share: reopenShare },
    repeats: { cases: f.repeats, share: repeatShare },
    satisfaction: {
      polled: f.polled,
      answered: f.pollsAnswered,
      rated: f.rated,
      share45,
      mean: f.rated === 0 ? null : round(f.ratingSum / f.rated, 2),
    },
    ...(digital ? { digital } : {}),
    score,
  };
}

/** Ranks: 1 + how many eligible departments scored strictly higher (ties share a rank). */
function ranks(rows: Scored['rating'][], minCases: number): Map<string, number> {
  const eligible = rows.filter((r) => r.cases >= minCases && r.score !== null);
  return new Map(eligible.map((r) => [r.department, 1 + eligible.filter((o) => (o.score ?? 0) > (r.score ?? 0)).length]));
}

/**
 * The departments' rating for [from, to) (regulation 2.2.6), with the trend against the period of the
 * same length just before it. `department` narrows the answer to one department, ranked among all.
 */
export async function ratings(
  deps: AnalyticsDeps,
  input: { from: Date; to: Date; department?: string | undefined },
): Promise<RatingsOutcome> {
  const invalid = checkPeriod(input.from, input.to);
  if (invalid) return invalid;
  if (input.department !== undefined && !deps.domain.departments.some((d) => d.id === input.department))
    return { status: 'invalid', code: 'UNKNOWN_DEPARTMENT', message: `department: unknown department "${input.department}"` };
  const settings = analyticsSettings(deps.domain);
  const length = input.to.getTime() - input.from.getTime();
  const previousFrom = new Date(input.from.getTime() - length);
  // Official pages' digital component, each period's own: only with pages.ratingWeight above 0.
  const digitalWeight = deps.domain.pages?.ratingWeight ?? 0;
  const digital =
    digitalWeight > 0
      ? await Promise.all([
          digitalScores(deps, { from: input.from, to: input.to }),
          digitalScores(deps, { from: previousFrom, to: input.from }),
        ])
      : null;
  const [current, previous] = (
    await periodFigures(deps, {
      periods: [
        { from: input.from, to: input.to },
        { from: previousFrom, to: input.from },
      ],
      repeatWindowDays: settings.repeatWindowDays,
    })
  ).map((figures, i) =>
    figures.map((f) =>
      rate(
        f,
        settings.weights,
        digital ? { weight: digitalWeight, score: digital[i]?.get(f.department)?.score ?? null } : undefined,
      ),
    ),
  ) as [Scored['rating'][], Scored['rating'][]];
  const rankNow = ranks(current, settings.minCases);
  const rankBefore = ranks(previous, settings.minCases);
  const names = new Map(deps.domain.departments.map((d) => [d.id, d.name]));
  const rows: DepartmentRating[] = current
    .filter((r) => input.department === undefined || r.department === input.department)
    .map((r) => {
      const before = previous.find((p) => p.department === r.department);
      const previousScore = before?.score ?? null;
      return {
        ...r,
        name: names.get(r.department) ?? r.department,
        rank: rankNow.get(r.department) ?? null,
        unrankedReason: rankNow.has(r.department) ? null : r.cases < settings.minCases ? 'below_min_cases' : 'no_score',
        trend: {
          previousCases: before?.cases ?? 0,
          previousScore,
          previousRank: rankBefore.get(r.department) ?? null,
          scoreDelta: r.score === null || previousScore === null ? null : round(r.score - previousScore, 1),
        },
      };
    });
  return {
    status: 'ok',
    report: {
      period: { from: input.from, to: input.to },
      previousPeriod: { from: previousFrom, to: input.from },
      minCases: settings.minCases,
      weights: settings.weights,
      ...(digital ? { digitalWeight } : {}),
      ranked: rows
        .filter((r) => r.rank !== null)
        .sort((a, b) => (a.rank ?? 0) - (b.rank ?? 0) || b.cases - a.cases || a.department.localeCompare(b.department)),
      unranked: rows.filter((r) => r.rank === null).sort((a, b) => b.cases - a.cases || a.department.localeCompare(b.department)),
    },
  };
}
