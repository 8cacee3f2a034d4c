import { type ProblemStatus, type ProblemSummary, problemList } from '../../models/problem-lifecycle.js';
import type { Invalid } from './period.js';
import { analyticsSettings } from './period.js';
import type { AnalyticsDeps } from './ratings.js';

export type ProblemsOutcome = { status: 'ok'; items: ProblemSummary[]; resolvedAfterDays: number; windowDays: number } | Invalid;

/**
 * The city's problem list (regulation 2.2.7): clusters of cases with their lifecycle (open, in work,
 * resolved, recurring), volume and trend over the last `windowDays`, by volume or growth.
 */
export async function problems(
  deps: Pick<AnalyticsDeps, 'db' | 'clock' | 'domain'>,
  input: {
    status?: ProblemStatus | undefined;
    category?: string | undefined;
    district?: string | undefined;
    sort: 'volume' | 'growth';
    windowDays: number;
    limit: number;
    offset?: number | undefined;
  },
): Promise<ProblemsOutcome> {
  if (input.category !== undefined && !deps.domain.categories.some((c) => c.id === input.category))
    return { status: 'invalid', code: 'UNKNOWN_CATEGORY', message: `category: unknown category "${input.category}"` };
  if (input.district !== undefined && !deps.domain.districts.some((d) => d.id === input.district))
    return { status: 'invalid', code: 'UNKNOWN_DISTRICT', message: `district: unknown district "${input.district}"` };
  const { problemResolvedAfterDays } = analyticsSettings(deps.domain);
  const items = await problemList(deps.db, {
    ...input,
    now: deps.clock.now(),
    resolvedAfterDays: problemResolvedAfterDays,
  });
  return { status: 'ok', items, resolvedAfterDays: problemResolvedAfterDays, windowDays: input.windowDays };
}
