import { latestPageScores, pageScoresIn } from '../../models/page-monitoring-repository.js';
import type { HandlerDeps } from '../deps.js';
import { departmentDigitalScore } from './figures.js';

/** One department's digital-transformation score (docs/architecture/official-pages.md, «Цифровая составляющая рейтинга»). */
export interface DigitalScore {
  department: string;
  /** The mean of its pages' scores; null when none of its pages could be read. */
  score: number | null;
  /** Its pages with a snapshot, and of them the readable ones (the mean's). */
  pages: number;
  scoredPages: number;
}

/**
 * Per owner department, the mean of its pages' latest scores: of the period [from, to) (each page's last
 * round in it), or of the latest rounds of the active pages. Pages that could not be read are left out
 * of the mean, never counted as zero; a department without a readable page has no score.
 */
export async function digitalScores(
  deps: Pick<HandlerDeps, 'db'>,
  period?: { from: Date; to: Date },
): Promise<Map<string, DigitalScore>> {
  const rows = period
    ? await pageScoresIn(deps.db, period)
    : (await latestPageScores(deps.db)).filter((r) => r.status === 'active');
  const byDepartment = new Map<string, (number | null)[]>();
  for (const r of rows) {
    const scores = byDepartment.get(r.department) ?? [];
    scores.push(r.readable ? r.score : null);
    byDepartment.set(r.department, scores);
  }
  return new Map(
    [...byDepartment].map(([department, scores]) => [
      department,
      {
        department,
        score: departmentDigitalScore(scores),
        pages: scores.length,
        scoredPages: scores.filter((s) => s !== null).length,
      },
    ]),
  );
}
