import { type Expression, sql } from 'kysely';
import { type CaseFilters, caseFiltersMatch } from './case-query.js';
import type { Executor } from './database.js';

/**
 * The rows of the case exports (`GET /api/v1/exports/cases.csv|xlsx`): the same filters and the same
 * order as the listing (`listCases`: newest first, by created_at then id). The XLSX reads them here in
 * keyset pages, so an export of a million cases never holds more than one page; the CSV has
 * PostgreSQL format them (export-csv-query.ts) from the same SQL pieces (`exportedCases`,
 * `withAnswers`, `onTime`, `rating`), so both files show the same values.
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
 * The matching cases page by page (each page an array, newest first). The next page is asked for as
 * soon as a page arrives, so the database reads it while the caller formats this one (at most one
 * page ahead). Stopping the iteration (a client that went away) stops the reading: nothing is asked
 * for after the page already in flight.
 */
export async function* caseExportPages(
  db: Executor,
  filters: CaseFilters,
  paging: ExportPaging,
): AsyncGenerator<CaseExportRow[], void, undefined> {
  let next: Promise<CaseExportRow[]> | null = caseExportPage(db, filters, paging, undefined);
  try {
    while (next) {
      const rows: CaseExportRow[] = await next;
      const last = rows.at(-1);
      next = last && rows.length === paging.pageSize ? caseExportPage(db, filters, paging, last) : null;
      if (rows.length > 0) yield rows;
    }
  } finally {
    // Abandoned with a page in flight: let it finish quietly (its rows are dropped).
    await next?.catch(() => {});
  }
}

/** An instant as epoch milliseconds (float8): a number is parsed far faster than a timestamp's text. */
const ms = (column: string) => sql.raw(`(extract(epoch from ${column}) * 1000)::float8`);

// ---------------------------------------------------------------------------------------------------
// What both paths (the pages here, the CSV by COPY in export-csv-query.ts) add to a case: the same SQL, so the same file.

/** The matching cases' own columns the export reads (unordered). */
export function exportedCases(db: Executor, filters: CaseFilters) {
  return db
    .selectFrom('case')
    .where((eb) => caseFiltersMatch(eb, filters))
    .select([
      'case.id',
      'case.number',
      'case.created_at',
      'case.source_id',
      'case.channel',
      'case.category',
      'case.district',
      'case.department',
      'case.status',
      'case.priority',
      'case.deadline_at',
      'case.paused_at',
      'case.text',
    ]);
}

/** Whether the case `p` waits for its facts' refresh: a lookup in case_fact_stale (a probe a row). */
const waitsForFacts = sql<boolean>`exists (select from case_fact_stale st where st.case_id = p.id)`;

/**
 * `cases` (a select of case columns incl. id, source_id, status, deadline_at and paused_at) with when
 * the answers went out and the poll's rating: from the ratings' facts (one primary-key lookup a case;
 * models/case-facts.ts) or, for a case whose facts wait for their refresh, from its answers and poll
 * directly (the same definitions, so the file is the same either way); `stale` tells which (of
 * `p.id`), a probe of case_fact_stale unless the caller knows better. Newest first, as the
 * exports are: with `cases` in that order, the planner sees every level already sorted (lookups per
 * row only, no hash join) and adds no sort, so the whole export by COPY streams off the index.
 */
export function withAnswers(cases: Expression<unknown>, stale: Expression<boolean> = waitsForFacts) {
  const letOut = sql.join(LET_OUT.map((state) => sql.lit(state)));
  return sql`
    select a.*,
      case when not a.stale then a.fact_first_out else (
        select min(coalesce(r.reviewed_at, r.created_at)) from answer r where r.case_id = a.id and r.state in (${letOut})
      ) end as first_out,
      case when not a.stale then a.fact_final_out else (
        select min(coalesce(r.reviewed_at, r.created_at)) from answer r
        where r.case_id = a.id and r.state in (${letOut}) and r.kind = 'final'
      ) end as final_out,
      case when not a.stale then a.fact_rating else (select pl.rating from poll pl where pl.case_id = a.id) end
        as poll_rating
    from (
      select p.*, ${stale} as stale,
        f.first_out as fact_first_out, f.final_out as fact_final_out, f.rating as fact_rating
      from (${cases}) p
      -- OFFSET 0 keeps these lookups per row (a join the planner may not turn into a scan of every
      -- fact), and the columns computed once, not once per use outside.
      left join lateral (
        select f.first_out, f.final_out, f.rating from case_fact f where f.case_id = p.id offset 0
      ) f on true
      order by p.created_at desc, p.id desc
      offset 0
    ) a
    order by a.created_at desc, a.id desc
    offset 0`;
}

/** As /stats counts it (models/stats-query.ts): answered by the deadline, or overdue at `now`; of `q`. */
export const onTime = (now: Date) => sql<boolean | null>`case
    when q.deadline_at is null then null
    when q.final_out is not null then q.final_out <= q.deadline_at
    when q.status not in ('answered', 'closed') and q.paused_at is null and q.deadline_at < ${now} then false
  end`;

/** The poll's rating, else the imported one (external_appeal's unique case_id index); of `q`. */
export const rating = sql<
  number | null
>`coalesce(q.poll_rating, (select e.rating from external_appeal e where e.case_id = q.id))`;

/** One row as the page query returns it. */
interface PageRow {
  id: number;
  number: string;
  created_ms: number;
  channel: string;
  source_kind: string;
  source_title: string | null;
  category: string | null;
  district: string | null;
  department: string | null;
  status: string;
  priority: string;
  deadline_ms: number | null;
  first_ms: number | null;
  final_ms: number | null;
  on_time: boolean | null;
  rating: number | null;
  text: string;
}

/**
 * One page, one statement: the page of cases by keyset on (created_at, id) — the index
 * case_created_id_idx walked backwards —, then for those rows only their answers (`withAnswers`) and
 * rating.
 */
async function caseExportPage(
  db: Executor,
  filters: CaseFilters,
  paging: ExportPaging,
  after: CaseExportRow | undefined,
): Promise<CaseExportRow[]> {
  let page = exportedCases(db, filters);
  if (after) {
    // After the previous page's last case: a row comparison the (created_at, id) index answers
    // directly, with that case's created_at read in the database, to the microsecond as stored (the
    // row's Date has milliseconds only; it stands in if the case was deleted meanwhile).
    page = page.where(
      sql<boolean>`("case".created_at, "case".id) <
        (coalesce((select c.created_at from "case" c where c.id = ${after.id}), ${after.createdAt}), ${after.id}::bigint)`,
    );
  }
  const { rows } = await sql<PageRow>`
    select q.id, q.number, ${ms('q.created_at')} as created_ms, q.channel, s.kind as source_kind, s.title as source_title,
      q.category, q.district, q.department, q.status, q.priority, ${ms('q.deadline_at')} as deadline_ms,
      ${ms('q.first_out')} as first_ms, ${ms('q.final_out')} as final_ms, ${onTime(paging.now)} as on_time,
      ${rating} as rating, q.text
    from (${withAnswers(page.orderBy('case.created_at', 'desc').orderBy('case.id', 'desc').limit(paging.pageSize))}) q
    join source s on s.id = q.source_id
    order by q.created_at desc, q.id desc`.execute(db);
  const date = (v: number | null) => (v === null ? null : new Date(v));
  return rows.map((r) => ({
    id: r.id,
    number: r.number,
    createdAt: new Date(r.created_ms),
    channel: r.channel,
    sourceKind: r.source_kind,
    sourceTitle: r.source_title,
    category: r.category,
    district: r.district,
    department: r.department,
    status: r.status,
    priority: r.priority,
    deadlineAt: date(r.deadline_ms),
    firstResponseAt: date(r.first_ms),
    finalAnswerAt: date(r.final_ms),
    answeredOnTime: r.on_time,
    rating: r.rating,
    text: r.text,
  }));
}
