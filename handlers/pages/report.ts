import { DAY_MS, HOUR_MS, workingTimeBetween } from '../../lib/deadlines/index.js';
import { activePageHealth, unansweredComments } from '../../models/official-page-repository.js';
import type { ReportPages } from '../../models/report-repository.js';
import type { HandlerDeps } from '../deps.js';
import { pageSettings } from './settings.js';

export type PagesReportDeps = Pick<HandlerDeps, 'db' | 'domain' | 'calendar'>;

/**
 * The weekly report's «Официальные страницы» for a department (null: the whole city) as of `now`: the
 * active pages, their average latest score, the silent ones (as the latest round judged: no post for `silentDays`), the
 * comments with no reply from the page past `replyTermHours` working hours (those of the last
 * `windowDays`, which monitoring still reads) and the pages the last round could not read. Null when
 * the scope has no active page.
 */
export async function pagesReport(deps: PagesReportDeps, department: string | null, now: Date): Promise<ReportPages | null> {
  const settings = pageSettings(deps.domain);
  const pages = await activePageHealth(deps.db, department);
  if (pages.length === 0) return null;
  const scores = pages.map((p) => p.score).filter((s): s is number => s !== null);
  // Silent as the latest round judged it (figures.silent): the same rule as the alert and the score.
  const silent = pages.filter((p) => p.readable === true && p.silent);
  // Working hours are never more than wall-clock hours: the term in wall-clock hours bounds the query.
  const comments = await unansweredComments(
    deps.db,
    pages.map((p) => p.id),
    {
      from: new Date(now.getTime() - settings.windowDays * DAY_MS),
      to: new Date(now.getTime() - settings.replyTermHours * HOUR_MS),
    },
  );
  const termMinutes = settings.replyTermHours * 60;
  return {
    count: pages.length,
    averageScore: scores.length === 0 ? null : Math.round((scores.reduce((s, x) => s + x, 0) / scores.length) * 10) / 10,
    silent: silent.length,
    silentDays: settings.silentDays,
    unanswered: comments.filter((c) => workingTimeBetween(deps.calendar, c.createdAt, now) >= termMinutes).length,
    replyTermHours: settings.replyTermHours,
    unreadable: pages.filter((p) => p.readable === false).length,
  };
}
