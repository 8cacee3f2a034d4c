import { type ProblemStatus, type ProblemSummary, problemFactList, problemList } from '../../models/problem-lifecycle.js';
import { factsReady } from './case-facts.js';
import type { Invalid } from './period.js';
import { analyticsSettings } from './period.js';
import type { AnalyticsDeps } from './ratings.js';

export type ProblemsOutcome = { status: 'ok'; items: ProblemSummary[]; resolvedAfterDays: number; windowDays: number } | Invalid;

/**
 * The city's problem list (regulation 2.2.7): clusters of cases with their lifecycle (open, in work,
 * resolved, recurring), volume and trend over the last `windowDays`, by volume or growth. From the
 * problems' facts once they are refreshed (as fresh as the data); aggregated from the cases directly
 * while more than READ_REFRESH_LIMIT cases wait (the same rows, at the old speed).
 */
export async function problems(
  deps: Pick<AnalyticsDeps, 'db' | 'clock' | 'calendar' | 'domain'>,
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
  const query = { ...input, now: deps.clock.now(), resolvedAfterDays: problemResolvedAfterDays };
  const items = (await factsReady(deps)) ? await problemFactList(deps.db, query) : await problemList(deps.db, query);
  return { status: 'ok', items, resolvedAfterDays: problemResolvedAfterDays, windowDays: input.windowDays };
}
