import type { Readable } from 'node:stream';
import { type Expression, type RawBuilder, sql } from 'kysely';
import type { CaseFilters } from './case-query.js';
import { copyCsvOut, type SnapshotReader } from './copy-out.js';
import type { Db } from './database.js';
import { exportedCases, onTime, rating, withAnswers } from './export-query.js';

/**
 * The case export as CSV formatted by PostgreSQL (`GET /api/v1/exports/cases.csv`): one
 * `COPY (SELECT …) TO STDOUT` over every matching case, newest first, each cell already as the file
 * shows it — names for codes, instants as `YYYY-MM-DD HH:mm` in the city's time, «да»/«нет», a
 * formula-like text defused. Node then only adds the BOM and the header and turns COPY's LF record
 * ends into CRLF (src/http/export/csv-copy.ts): no row is parsed or formatted in the process, which
 * at 15 µs a row was the limit of the paged path (docs/development/benchmarks.md#analytics). The rows
 * and their values are those of `caseExportPages` (the same filters, `withAnswers`, `onTime`,
 * `rating`), and the cells those of the CSV writer; test/exports/csv-copy.test.ts compares the bytes.
 */

/** What the file shows for the codes a case carries (src/http/export/case-columns.ts `caseCsvNames`). */
export interface CaseCsvNames {
  channels: ReadonlyMap<string, string>;
  sourceKinds: ReadonlyMap<string, string>;
  categories: ReadonlyMap<string, string>;
  districts: ReadonlyMap<string, string>;
  departments: ReadonlyMap<string, string>;
  statuses: ReadonlyMap<string, string>;
  priorities: ReadonlyMap<string, string>;
  yes: string;
  no: string;
}

export interface CaseCsvOptions {
  names: CaseCsvNames;
  /** The IANA zone instants are shown in (the domain file's `city.timezone`). */
  timeZone: string;
  /** "Now" for an unanswered case past its deadline. */
  now: Date;
  /** The field separator (`;`). */
  delimiter: string;
}

/**
 * The matching cases as CSV records (no BOM, no header, LF after each record), streamed from the
 * database; see copyCsvOut for the connection and the errors. Every value — the filters, the names,
 * now — reaches the statement as a Kysely parameter, written in as a literal by copy-out.ts's
 * `inlineParameters` (strings quoted by pg's escapeLiteral, dates and integers checked); the time
 * zone is a setting of the COPY's transaction, set with a bind parameter.
 */
export function caseExportCsv(db: Db, filters: CaseFilters, options: CaseCsvOptions): Promise<Readable> {
  const { names } = options;
  const cases = exportedCases(db, filters).orderBy('case.created_at', 'desc').orderBy('case.id', 'desc');
  // Per row only what must be: lookups by the case's id (withAnswers, the imported rating), jsonb
  // lookups for names (a binary search in an object the statement builds once), timestamps as text.
  const sources = sql`(select jsonb_object_agg(s.id, ${defuse(sql`coalesce(s.title, ${nameMap(names.sourceKinds)} ->> s.kind, s.kind)`)})
    from source s)`;
  const query = (stale?: Expression<boolean>) => sql`
    select ${cell(sql`q.number`)}, ${local('q.created_at')}, ${named(names.channels, 'q.channel')},
      nullif(${sources} ->> q.source_id::text, ''), ${named(names.categories, 'q.category')},
      ${named(names.districts, 'q.district')}, ${named(names.departments, 'q.department')},
      ${named(names.statuses, 'q.status')}, ${named(names.priorities, 'q.priority')}, ${local('q.deadline_at')},
      ${local('q.first_out')}, ${local('q.final_out')},
      case ${onTime(options.now)} when true then ${cell(sql`${names.yes}`)} when false then ${cell(sql`${names.no}`)} end,
      ${rating}, ${cell(sql`q.text`)}
    from (${withAnswers(cases, stale)}) q
    order by q.created_at desc, q.id desc`;
  return copyCsvOut(db, async (read) => query(await staleCases(read)), {
    delimiter: options.delimiter,
    // `local` writes a timestamptz as text, `2026-03-01 09:05:00+07` in the session's zone and ISO style.
    settings: { TimeZone: options.timeZone, DateStyle: 'ISO, YMD', ...PLAN },
  });
}

/** Above this many cases waiting for their facts, each row probes case_fact_stale instead. */
const STALE_LIST_MAX = 20_000;

/**
 * Which cases wait for their facts' refresh, as the COPY's snapshot sees them (a test of `p.id` for
 * withAnswers): usually none or a few (the refresher runs every minute), so a constant — `false`, or
 * a list PostgreSQL looks up by hash — saves each row a probe of case_fact_stale (≈ 0.7 µs of the
 * ≈ 7 a row costs); a long backlog (a backfill) keeps the probe (undefined: withAnswers' own).
 */
async function staleCases(read: SnapshotReader): Promise<Expression<boolean> | undefined> {
  const [count] = await read(sql<{ n: number }>`select count(*)::int as n from case_fact_stale`);
  const n = count?.n ?? 0;
  if (n === 0) return sql<boolean>`false`;
  if (n > STALE_LIST_MAX) return undefined;
  const ids = await read(sql<{ id: number }>`select case_id as id from case_fact_stale`);
  return sql<boolean>`p.id = any(${`{${ids.map((r) => r.id).join(',')}}`}::bigint[])`;
}

/**
 * The plan that streams: the cases read off the (created_at, id) index newest first, each joined by
 * lookups, with no sort of the whole result before its first row (which the planner prefers for a
 * whole table: a parallel scan and an on-disk sort of every row, slower and holding the first byte).
 */
const PLAN = { enable_sort: 'off' } as const;

/** An instant as the file shows it, `YYYY-MM-DD HH:mm` in the COPY's zone (see the settings above). */
const local = (column: string) => sql`left(${sql.ref(column)}::text, 16)`;

/**
 * A text as csv-stream.ts's `csvField` writes it, less the quoting, which COPY does by the same rule
 * (a field with the delimiter, `"`, CR or LF; quotes doubled): a text starting like a formula (`=`,
 * `+`, `-`, `@`, tab, CR) gets a leading apostrophe.
 */
function defuse(text: RawBuilder<unknown>) {
  return sql`case when left(${text}, 1) in ('=', '+', '-', '@', chr(9), chr(13)) then '''' || ${text} else ${text} end`;
}

/** A cell of text: defused, and an empty text as a NULL, so as an empty field (COPY quotes an empty string). */
const cell = (text: RawBuilder<unknown>) => sql`nullif(${defuse(text)}, '')`;

/** The cell of a code: its name from `names`, else the code itself (an id the domain file no longer has). */
function named(names: ReadonlyMap<string, string>, column: string) {
  const code = sql.ref(column);
  return sql`nullif(coalesce(${nameMap(names)} ->> ${code}, ${defuse(sql`${code}`)}), '')`;
}

/** The names as a jsonb object of defused texts, built once by the statement (an init plan). */
function nameMap(names: ReadonlyMap<string, string>) {
  if (names.size === 0) return sql`null::jsonb`;
  const rows = sql.join([...names].map(([id, name]) => sql`(${id}, ${name})`));
  return sql`(select jsonb_object_agg(v.id, ${defuse(sql`v.name`)}) from (values ${rows}) v (id, name))`;
}
