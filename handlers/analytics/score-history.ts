import { digitalScores } from '../page-monitoring/index.js';
import { periodFigures } from './case-facts.js';
import { analyticsSettings, checkPeriod, type Invalid } from './period.js';
import { type AnalyticsDeps, rate } from './ratings.js';

/** At most this many periods in one history (read together: one statement of the facts' counts). */
export const MAX_HISTORY_PERIODS = 12;

export type ScoreHistoryOutcome =
  | {
      status: 'ok';
      periods: { from: Date; to: Date }[];
      /** Per department, its score in each period in the order given; null where it had no cases or nothing to score. */
      scores: Map<string, (number | null)[]>;
    }
  | Invalid;

/**
 * The departments' scores over several periods (the console's trend sparklines): the ratings' own
 * figures and formula — with each period's digital component when `pages.ratingWeight` is above 0 — no ranks. A score is made of counts only, so every period's counts come from
 * one grouped statement of the facts and no percentile is read. `department` narrows the answer to one
 * department (a person who sees only their own).
 */
export async function scoreHistory(
  deps: AnalyticsDeps,
  input: { periods: readonly { from: Date; to: Date }[]; department?: string | undefined },
): Promise<ScoreHistoryOutcome> {
  if (input.periods.length > MAX_HISTORY_PERIODS)
    return { status: 'invalid', code: 'INVALID_PERIOD', message: `periods: at most ${MAX_HISTORY_PERIODS}` };
  for (const p of input.periods) {
    const invalid = checkPeriod(p.from, p.to);
    if (invalid) return invalid;
  }
  if (input.department !== undefined && !deps.domain.departments.some((d) => d.id === input.department))
    return { status: 'invalid', code: 'UNKNOWN_DEPARTMENT', message: `department: unknown department "${input.department}"` };
  const settings = analyticsSettings(deps.domain);
  const periods = input.periods.map((p) => ({ from: p.from, to: p.to }));
  // The official pages' digital component, as the ratings take it (only with pages.ratingWeight above 0):
  // each period's own scores, one statement per period for every department at once.
  const digitalWeight = deps.domain.pages?.ratingWeight ?? 0;
  const [figures, digital] = await Promise.all([
    periods.length === 0 ? [] : periodFigures(deps, { periods, repeatWindowDays: settings.repeatWindowDays, durations: false }),
    digitalWeight > 0 ? Promise.all(periods.map((p) => digitalScores(deps, p))) : null,
  ]);
  const scores = new Map<string, (number | null)[]>();
  figures.forEach((rows, i) => {
    for (const f of rows) {
      if (input.department !== undefined && f.department !== input.department) continue;
      let line = scores.get(f.department);
      if (!line) {
        line = periods.map(() => null);
        scores.set(f.department, line);
      }
      line[i] = rate(
        f,
        settings.weights,
        digital ? { weight: digitalWeight, score: digital[i]?.get(f.department)?.score ?? null } : undefined,
      ).score;
    }
  });
  return { status: 'ok', periods, scores };
}
