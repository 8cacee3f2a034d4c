import type { Executor } from './database.js';
import { reachable } from './staff-account-repository.js';

// ---------------------------------------------------------------------------------------------
// The report's shape (a models/ type, so the outbound port can carry it)
// ---------------------------------------------------------------------------------------------

/** The key indicators of one week: the cases registered in it (a cohort, as the ratings count them). */
export interface WeekFigures {
  cases: number;
  answered: number;
  /** Answered on time / due (null: nothing due). */
  onTimeShare: number | null;
  /** Median time to the first response, working hours, paused time excluded (null: no response). */
  firstResponseHours: number | null;
  /** Ratings 4–5 / ratings (null: no ratings). */
  satisfaction45: number | null;
}

/** A department as the city-wide report lists it. */
export interface ReportDepartment {
  name: string;
  score: number | null;
  onTimeShare: number | null;
  /** Open cases past their deadline now. */
  overdue: number;
}

/** A problem as the report lists it: its label (never a citizen's text), status and growth over 7 days. */
export interface ReportProblem {
  title: string;
  status: string;
  recent: number;
  growth: number;
}

/**
 * The official pages of the report's scope (docs/architecture/official-pages.md): the active pages, their
 * average latest score, those silent for `silentDays`, the citizens' comments unanswered past the reply
 * term (working hours) and the pages the last round could not read.
 */
export interface ReportPages {
  count: number;
  /** Mean of the latest scores of the pages that have one (null: none scored yet). */
  averageScore: number | null;
  silent: number;
  silentDays: number;
  unanswered: number;
  replyTermHours: number;
  unreadable: number;
}

/** One person's weekly report, ready for a channel to render; a part is absent when it has nothing. */
export interface WeeklyReport {
  /** Local dates "YYYY-MM-DD": the Monday and the Sunday of the week reported on. */
  week: { from: string; to: string };
  /** The city's figures (curator, head, block owners) or one department's (its head). */
  scope: 'city' | 'department';
  /** The department's name for a department report. */
  name?: string;
  current: WeekFigures;
  previous: WeekFigures;
  /** Open cases past their deadline now (the city's or the department's). */
  overdueNow: number;
  /** A department report: its place among the ranked departments this week and the week before. */
  rank?: { rank: number | null; of: number; previousRank: number | null; score: number | null; scoreDelta: number | null };
  /** The largest growing open or recurring problems (the department's own for a department report). */
  problems: ReportProblem[];
  /** City: departments with an on-time share under the threshold or overdue cases now. */
  late?: { departments: ReportDepartment[]; more: number; threshold: number };
  /** City: the best and the worst ranked departments by score. */
  best?: ReportDepartment[];
  worst?: ReportDepartment[];
  /** The period's recommendations (handlers/analytics/recommendations); the section is left out while empty. */
  recommendations: string[];
  /** «Официальные страницы»: absent when the scope has no active page. */
  pages?: ReportPages;
}

// ---------------------------------------------------------------------------------------------
// The exactly-once rows
// ---------------------------------------------------------------------------------------------

/** Who may get a weekly report: active people of `roles` with a messenger account it can reach, by id. */
export async function reportCandidates(
  db: Executor,
  roles: readonly string[],
): Promise<{ id: number; role: string; department: string }[]> {
  if (roles.length === 0) return [];
  return db
    .selectFrom('official')
    .select(['id', 'role', 'department'])
    .where('role', 'in', [...roles])
    .where(reachable)
    .orderBy('id')
    .execute();
}

/**
 * Claims the week's report for each person; returns only the ids claimed by this call. Of two
 * transactions claiming the same rows, the second waits for the first and then claims none of them.
 */
export async function claimWeeklyReports(db: Executor, weekStart: string, officialIds: readonly number[]): Promise<number[]> {
  if (officialIds.length === 0) return [];
  // Sorted, so two claimers lock rows in the same order and cannot deadlock.
  const ids = [...officialIds].sort((a, b) => a - b);
  const rows = await db
    .insertInto('weekly_report')
    .values(ids.map((id) => ({ official_id: id, week_start: weekStart })))
    .onConflict((oc) => oc.columns(['official_id', 'week_start']).doNothing())
    .returning('official_id')
    .execute();
  return rows.map((r) => r.official_id);
}

export async function findWeeklyReport(
  db: Executor,
  officialId: number,
  weekStart: string,
): Promise<{ sentAt: Date | null; outcome: string | null } | undefined> {
  return db
    .selectFrom('weekly_report')
    .select(['sent_at as sentAt', 'outcome'])
    .where('official_id', '=', officialId)
    .where('week_start', '=', weekStart)
    .executeTakeFirst();
}

/** Stamps the row: `sent`, `blocked` or `skipped:<why>`. */
export async function markWeeklyReport(
  db: Executor,
  officialId: number,
  weekStart: string,
  outcome: string,
  at: Date,
): Promise<void> {
  await db
    .updateTable('weekly_report')
    .set({ sent_at: at, outcome })
    .where('official_id', '=', officialId)
    .where('week_start', '=', weekStart)
    .execute();
}
