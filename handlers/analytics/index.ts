import type { DistrictBoundary } from '../../config/boundaries.js';
import type { HandlerDeps } from '../deps.js';
import { type HeatmapOutcome, heatmap } from './heatmap.js';
import { type ProblemsOutcome, problems } from './problems.js';
import { type RatingsOutcome, ratings } from './ratings.js';
import {
  type DecisionOutcome,
  decideRecommendation,
  type RecommendationsOutcome,
  recommendations,
} from './recommendations/index.js';
import { type ScoreHistoryOutcome, scoreHistory } from './score-history.js';

export { PROBLEM_STATUSES, type ProblemStatus, type ProblemSummary } from '../../models/problem-lifecycle.js';
export { calendarDays } from './calendar-days.js';
export {
  type FactsDeps,
  factsReady,
  periodFigures,
  READ_REFRESH_LIMIT,
  REFRESH_BATCH,
  type RefreshOutcome,
  refreshCaseFacts,
} from './case-facts.js';
export {
  type DistrictGeoJson,
  HEAT_METRICS,
  type HeatMetric,
  type HeatmapOutcome,
  type HeatmapReport,
  heatmap,
} from './heatmap.js';
export { ANALYTICS_DEFAULTS, type Invalid, MAX_PERIOD_YEARS } from './period.js';
export { type ProblemsOutcome, problems } from './problems.js';
export { type AnalyticsDeps, type DepartmentRating, type RatingsOutcome, type RatingsReport, ratings } from './ratings.js';
export {
  type Addressee,
  buildRecommendations,
  type DecidedRecommendation,
  type DecisionOutcome,
  decideRecommendation,
  mayDecide,
  openRecommendations,
  RECOMMENDATION_DEFAULTS,
  type Recommendation,
  type RecommendationsOutcome,
  RULE_IDS,
  recommendations,
  type Viewer,
} from './recommendations/index.js';
export { MAX_HISTORY_PERIODS, type ScoreHistoryOutcome, scoreHistory } from './score-history.js';

/** What the analytics read: the database, the clock, the working calendar, the domain file and the district boundaries. */
export type AnalyticsBindDeps = Pick<HandlerDeps, 'db' | 'clock' | 'calendar' | 'domain'> & {
  boundaries: readonly DistrictBoundary[];
};

/** Ratings, the heat map, the problem list and the recommendations, for the API and the dashboard. */
export interface AnalyticsApi {
  ratings(input: Parameters<typeof ratings>[1]): Promise<RatingsOutcome>;
  /** The departments' scores over several periods (trend sparklines). */
  scoreHistory(input: Parameters<typeof scoreHistory>[1]): Promise<ScoreHistoryOutcome>;
  heatmap(input: Parameters<typeof heatmap>[1]): Promise<HeatmapOutcome>;
  problems(input: Parameters<typeof problems>[1]): Promise<ProblemsOutcome>;
  recommendations(input: Parameters<typeof recommendations>[1]): Promise<RecommendationsOutcome>;
  decideRecommendation(input: Parameters<typeof decideRecommendation>[1]): Promise<DecisionOutcome>;
}

/** Binds the analytics; `deps` is called on every use (503 until the database is up). */
export function bindAnalytics(deps: () => AnalyticsBindDeps): AnalyticsApi {
  return {
    ratings: (input) => ratings(deps(), input),
    scoreHistory: (input) => scoreHistory(deps(), input),
    heatmap: (input) => heatmap(deps(), input),
    problems: (input) => problems(deps(), input),
    recommendations: (input) => recommendations(deps(), input),
    decideRecommendation: (input) => decideRecommendation(deps(), input),
  };
}
