import { sql } from 'kysely';
import { type CaseFilters, type Cursor, caseFiltersMatch } from './case-query.js';
import type { Executor } from './database.js';

/**
 * The rows of the case exports (`GET /api/v1/exports/cases.csv|xlsx`), read in keyset pages so an
 * export of a million cases never holds more than one page: the same filters and the same order as
 * the listing (`listCases`: newest first, by created_at then id).
 */

/** One case as the export shows it; times are instants (the writer shows them in the city's time). */
export interface CaseExportRow {
  id: number;
  number: string;
  createdAt: Date;
  channel: string;
  sourceKind: string;
  sourceTitle: string | null;
  category: string | null;
  district: string | null;
  department: string | null;
  status: string;
  priority: string;
  deadlineAt: Date | null;
  /** The first answer let out (interim or final; given, or approved by an operator when held). */
  firstResponseAt: Date | null;
  finalAnswerAt: Date | null;
  /**
   * The final answer by the deadline: true/false; false also for a case past its deadline with no
   * final answer (not paused); null when it cannot be told yet or the case has no deadline.
   */
  answeredOnTime: boolean | null;
  /** The citizen's rating 1–5: the satisfaction poll's, else the one imported with an external appeal. */
  rating: number | null;
  text: string;
}

export interface ExportPaging {
  /** Rows per round trip; a page is what the export holds in memory at once. */
  pageSize: number;
  /** "Now" for an unanswered case past its deadline. */
  now: Date;
}

/** The same states as the ratings and /stats: an answer counts once it was let out. */
const LET_OUT = ['queued', 'sent', 'recorded', 'blocked'] as const;

/**
 * The matching cases page by page (each page an array, newest first). Stopping the iteration (a
 * client that went away) stops the reading: no query runs after the current page.
 */
export async function* caseExportPages(
  db: Executor,
  filters: CaseFilters,
  paging: ExportPaging,
): AsyncGenerator<CaseExportRow[], void, undefined> {
  let after: Cursor | undefined;
  for (;;) {
    const page = await caseExportPage(db, filters, paging, after);
    if (page.length > 0) yield page;
    const last = page.at(-1);
    if (!last || page.length < paging.pageSize) return;
    after = { at: last.createdAt, id: last.id };
  }
}

async function caseExportPage(
  db: Executor,
  filters: CaseFilters,
  paging: ExportPaging,
  after: Cursor | undefined,
): Promise<CaseExportRow[]> {
  // The page of cases first, then its answers and ratings: the per-case lookups run for the page
  // only, never for every matching case before the LIMIT.
  let inner = db
    .selectFrom('case')
    .innerJoin('source', 'source.id', 'case.source_id')
    .where((eb) => caseFiltersMatch(eb, filters))
    .select([
      'case.id',
      'case.number',
      'case.created_at',
      'case.channel',
      'source.kind as source_kind',
      'source.title as source_title',
      'case.category',
      'case.district',
      'case.department',
      'case.status',
      'case.priority',
      'case.deadline_at',
      'case.paused_at',
      'case.text',
    ]);
  if (after) {
    const { at, id } = after;
    // `created_at <= at` alone can use the index on created_at; the OR settles ties by id.
    inner = inner
      .where('case.created_at', '<=', at)
      .where((eb) => eb.or([eb('case.created_at', '<', at), eb('case.id', '<', id)]));
  }
  const rows = await db
    .selectFrom(inner.orderBy('case.created_at', 'desc').orderBy('case.id', 'desc').limit(paging.pageSize).as('p'))
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom('answer')
          .whereRef('answer.case_id', '=', 'p.id')
          .where('answer.state', 'in', LET_OUT)
          .select([
            sql<Date | null>`min(coalesce(answer.reviewed_at, answer.created_at))`.as('first_out'),
            sql<Date | null>`min(coalesce(answer.reviewed_at, answer.created_at)) filter (where answer.kind = 'final')`.as(
              'final_out',
            ),
          ])
          .as('a'),
      (join) => join.onTrue(),
    )
    .leftJoin('poll', 'poll.case_id', 'p.id')
    .leftJoin('external_appeal', 'external_appeal.case_id', 'p.id')
    .selectAll('p')
    .select(['a.first_out', 'a.final_out', 'poll.rating as poll_rating', 'external_appeal.rating as appeal_rating'])
    .orderBy('p.created_at', 'desc')
    .orderBy('p.id', 'desc')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    number: r.number,
    createdAt: r.created_at,
    channel: r.channel,
    sourceKind: r.source_kind,
    sourceTitle: r.source_title,
    category: r.category,
    district: r.district,
    department: r.department,
    status: r.status,
    priority: r.priority,
    deadlineAt: r.deadline_at,
    firstResponseAt: r.first_out,
    finalAnswerAt: r.final_out,
    answeredOnTime: onTime(r.deadline_at, r.final_out, r.status, r.paused_at, paging.now),
    rating: r.poll_rating ?? r.appeal_rating,
    text: r.text,
  }));
}

/** As /stats counts it (models/stats-query.ts): answered by the deadline, or overdue now. */
function onTime(deadline: Date | null, finalOut: Date | null, status: string, pausedAt: Date | null, now: Date): boolean | null {
  if (!deadline) return null;
  if (finalOut) return finalOut.getTime() <= deadline.getTime();
  if (status !== 'answered' && status !== 'closed' && !pausedAt && deadline.getTime() < now.getTime()) return false;
  return null;
}
