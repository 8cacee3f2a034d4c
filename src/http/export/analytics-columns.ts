import type { DepartmentRating, ProblemSummary } from '../../../handlers/analytics/index.js';
import type { DomainNames } from './case-columns.js';
import type { ExportColumn } from './column.js';
import {
  NO,
  PROBLEM_HEADERS as P,
  PROBLEM_STATUS_NAMES,
  problemWindowHeaders,
  RATING_HEADERS as R,
  UNRANKED_REASON_NAMES,
  YES,
} from './texts-ru.js';

/** A name for an id; an id the domain file no longer has is shown as it is. */
const named = (names: ReadonlyMap<string, string>, id: string | null) => (id === null ? null : (names.get(id) ?? id));

/**
 * The ratings export's columns: one row per department, every figure of the JSON report's row
 * (`GET /api/v1/analytics/ratings`), flattened, in the report's order (ranked best first, then the
 * departments listed apart). Shares stay 0–1 and hours working hours, as in the JSON.
 */
export function ratingColumns(): ExportColumn<DepartmentRating>[] {
  return [
    { header: R.rank, cell: (r) => r.rank, width: 8 },
    { header: R.ranked, cell: (r) => (r.rank === null ? NO : YES), width: 10 },
    {
      header: R.unrankedReason,
      cell: (r) => (r.unrankedReason === null ? null : (UNRANKED_REASON_NAMES[r.unrankedReason] ?? r.unrankedReason)),
      width: 18,
    },
    { header: R.department, cell: (r) => r.department, width: 16 },
    { header: R.name, cell: (r) => r.name, width: 40 },
    { header: R.score, cell: (r) => r.score, width: 10 },
    { header: R.cases, cell: (r) => r.cases, width: 10 },
    { header: R.answered, cell: (r) => r.answered, width: 10 },
    { header: R.answeredShare, cell: (r) => r.answeredShare, width: 10 },
    { header: R.due, cell: (r) => r.due, width: 10 },
    { header: R.answeredOnTime, cell: (r) => r.answeredOnTime, width: 10 },
    { header: R.onTimeShare, cell: (r) => r.onTimeShare, width: 10 },
    { header: R.firstResponseMedian, cell: (r) => r.firstResponseHours.median, width: 12 },
    { header: R.firstResponseP90, cell: (r) => r.firstResponseHours.p90, width: 12 },
    { header: R.finalAnswerMedian, cell: (r) => r.finalAnswerHours.median, width: 12 },
    { header: R.finalAnswerP90, cell: (r) => r.finalAnswerHours.p90, width: 12 },
    { header: R.finalAnswers, cell: (r) => r.completeness.finalAnswers, width: 10 },
    { header: R.clean, cell: (r) => r.completeness.clean, width: 10 },
    { header: R.held, cell: (r) => r.completeness.held, width: 10 },
    { header: R.forced, cell: (r) => r.completeness.forced, width: 10 },
    { header: R.completenessShare, cell: (r) => r.completeness.share, width: 10 },
    { header: R.otpiskaShare, cell: (r) => r.completeness.otpiskaShare, width: 10 },
    { header: R.reopenings, cell: (r) => r.reopened.reopenings, width: 10 },
    { header: R.reopenedShare, cell: (r) => r.reopened.share, width: 10 },
    { header: R.repeats, cell: (r) => r.repeats.cases, width: 10 },
    { header: R.repeatsShare, cell: (r) => r.repeats.share, width: 10 },
    { header: R.polled, cell: (r) => r.satisfaction.polled, width: 10 },
    { header: R.pollsAnswered, cell: (r) => r.satisfaction.answered, width: 10 },
    { header: R.rated, cell: (r) => r.satisfaction.rated, width: 10 },
    { header: R.share45, cell: (r) => r.satisfaction.share45, width: 10 },
    { header: R.ratingMean, cell: (r) => r.satisfaction.mean, width: 10 },
    { header: R.previousCases, cell: (r) => r.trend.previousCases, width: 10 },
    { header: R.previousScore, cell: (r) => r.trend.previousScore, width: 10 },
    { header: R.previousRank, cell: (r) => r.trend.previousRank, width: 10 },
    { header: R.scoreDelta, cell: (r) => r.trend.scoreDelta, width: 10 },
  ];
}

/**
 * The problems export's columns: one row per problem of the list (`GET /api/v1/problems`), in its
 * order; the trend columns name the window they count over.
 */
export function problemColumns(names: DomainNames, windowDays: number): ExportColumn<ProblemSummary>[] {
  const trend = problemWindowHeaders(windowDays);
  const list = (map: ReadonlyMap<string, string>, ids: readonly string[]) => ids.map((id) => map.get(id) ?? id).join(', ');
  return [
    { header: P.id, cell: (r) => r.id, width: 10 },
    { header: P.title, cell: (r) => r.title, width: 40 },
    { header: P.status, cell: (r) => PROBLEM_STATUS_NAMES[r.status] ?? r.status, width: 14 },
    { header: P.category, cell: (r) => named(names.categories, r.category), width: 28 },
    { header: P.district, cell: (r) => named(names.districts, r.district), width: 20 },
    { header: P.department, cell: (r) => named(names.departments, r.department), width: 32 },
    { header: P.volume, cell: (r) => r.volume, width: 10 },
    { header: trend.recent, cell: (r) => r.trend.recent, width: 12 },
    { header: trend.previous, cell: (r) => r.trend.previous, width: 12 },
    { header: P.growth, cell: (r) => r.trend.growth, width: 8 },
    { header: P.firstSeen, cell: (r) => r.firstSeen, width: 17 },
    { header: P.lastSeen, cell: (r) => r.lastSeen, width: 17 },
    { header: P.resolvedAt, cell: (r) => r.resolvedAt, width: 17 },
    { header: P.recurrences, cell: (r) => r.recurrences, width: 10 },
    { header: P.categories, cell: (r) => list(names.categories, r.categories), width: 40 },
    { header: P.districts, cell: (r) => list(names.districts, r.districts), width: 40 },
  ];
}
