/**
 * bench/analytics: the analytics on a realistic year (issue 13's acceptance measure). A fresh embedded
 * database is filled by the demo seeder's generator (`seedDemoHistory`, what `npx mcu demo seed` runs),
 * then the ratings' facts are computed (the backfill the refresh-case-facts job does after migration
 * 0028, timed), and it times the ratings for a month and for a year, the heat map for a year, the
 * problem list and a full case export as CSV — as the route makes it, formatted by PostgreSQL
 * (`caseExportCsv` → `csvFromCopy`, COPY … TO STDOUT) into a sink that drops the bytes; and, for
 * comparison, the CSV formatted in Node from keyset pages (`caseExportPages` → `csvChunks`, the path
 * before COPY and still the XLSX's rows) and that page query alone —, each against a baseline measured
 * in the same run over the same rows:
 *   - the analytics against a plain `select count(*)` of the year's cases, and the year's ratings
 *     against the same figures computed directly from cases, answers, polls and audit trail (the way
 *     before the facts, once; the run fails if the two disagree);
 *   - the export against a plain keyset-paged select of the same cases (same order and page size, the
 *     case's own columns only: no answers, polls or ratings looked up, no formatting).
 * Goals (issue 13): ratings and heat map under 1 s each; export ≥ 100,000 rows/s under 300 MB peak RSS.
 * Each query runs once to warm up, then `--runs` times; the median is printed.
 *
 *   npx tsx bench/analytics.ts [--cases 1000000] [--runs 3] [--page 2000] [--seed 1]
 *   node --expose-gc --import tsx bench/analytics.ts …   (the RSS figures after a collection)
 *   npm run bench -- analytics
 */
import { resolve } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { listedCalendarFiles, loadProductionCalendar } from '../config/calendar.js';
import { loadDomainConfig } from '../config/domain.js';
import { bindAnalytics, calendarDays, refreshCaseFacts } from '../handlers/analytics/index.js';
import type { Clock } from '../lib/clock.js';
import { WorkingCalendar } from '../lib/deadlines/index.js';
import { departmentFigures } from '../models/analytics-query.js';
import { factFigures } from '../models/case-facts-query.js';
import type { Db } from '../models/database.js';
import { openDatabase } from '../models/database.js';
import { caseExportCsv } from '../models/export-csv-query.js';
import { caseExportPages } from '../models/export-query.js';
import { migrateToLatest } from '../models/migrate.js';
import { seedDemoHistory } from '../scripts/demo/seed.js';
import {
  CSV_SEPARATOR,
  caseColumns,
  caseCsvNames,
  csvChunks,
  csvFromCopy,
  domainNames,
  primed,
} from '../src/http/export/index.js';
import { benchDatabase, printTable, withPeakRss } from './lib.js';

const MB = 1024 * 1024;
const DOMAIN_FILE = 'config/barnaul.yaml';
/** The end of the seeded year: 1 December 2026, midnight in Barnaul (UTC+7); the clock stands there. */
const UNTIL = new Date('2026-11-30T17:00:00Z');
const MONTH_FROM = new Date('2026-10-31T17:00:00Z');
const YEAR_FROM = new Date('2025-11-30T17:00:00Z');

/** `work` once to warm up, then `runs` times; the median time in ms and the last result. */
async function timed<T>(runs: number, work: () => Promise<T>): Promise<{ ms: number; result: T }> {
  let result = await work();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    result = await work();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)] ?? Number.NaN, result };
}

/** A writable that only counts what it is given. */
function nullSink(): Writable & { bytes: number } {
  const sink = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      sink.bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
      done();
    },
  }) as Writable & { bytes: number };
  sink.bytes = 0;
  return sink;
}

/** The baseline of the export: the same cases in the same keyset pages, their own columns only. */
async function plainPages(db: Db, pageSize: number): Promise<number> {
  let rows = 0;
  let after: { at: Date; id: number } | undefined;
  for (;;) {
    let q = db
      .selectFrom('case')
      .select(['id', 'number', 'created_at', 'channel', 'category', 'district', 'department', 'status', 'priority'])
      .select(['deadline_at', 'text']);
    if (after) {
      const { at, id } = after;
      q = q.where('created_at', '<=', at).where((eb) => eb.or([eb('created_at', '<', at), eb('id', '<', id)]));
    }
    const page = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(pageSize).execute();
    rows += page.length;
    const last = page.at(-1);
    if (!last || page.length < pageSize) return rows;
    after = { at: last.created_at, id: last.id };
  }
}

export async function main(argv = process.argv.slice(2)): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      cases: { type: 'string', default: '1000000' },
      runs: { type: 'string', default: '3' },
      page: { type: 'string', default: '2000' },
      seed: { type: 'string', default: '1' },
    },
  });
  const count = Number(values.cases);
  const runs = Math.max(1, Number(values.runs));
  const pageSize = Number(values.page);
  const domainPath = resolve(DOMAIN_FILE);
  const domain = loadDomainConfig(domainPath);
  const calendar = WorkingCalendar.forCity(domain.city, loadProductionCalendar(listedCalendarFiles(domainPath, domain)));
  const clock: Clock = { now: () => UNTIL };
  const database = await benchDatabase('analytics');
  const handle = openDatabase({ connectionString: database.url, max: 4 });
  try {
    await migrateToLatest(handle.db);
    const seedStarted = performance.now();
    const summary = await seedDemoHistory(handle.db, domain, calendar, {
      count,
      months: 12,
      until: UNTIL,
      seed: Number(values.seed),
      onProgress: (done, total) => {
        if (done === total || done % 100_000 === 0) process.stderr.write(`seeded ${done}/${total} cases\n`);
      },
    });
    await sql`analyze`.execute(handle.db);
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    // The facts the seeder's writes marked (migration 0028's triggers), computed the way the
    // refresh-case-facts job works off a backfill; then the statistics autovacuum would gather.
    const backfill = await withPeakRss(() => refreshCaseFacts({ db: handle.db, clock, calendar }));
    await sql`vacuum analyze case_fact`.execute(handle.db);
    await sql`analyze case_fact_day`.execute(handle.db);
    await sql`analyze case_fact_hist`.execute(handle.db);
    const facts = await sql<{ cases: string; answers: string; polls: string; problems: string }>`
      select (select count(*) from "case") as cases, (select count(*) from answer) as answers,
        (select count(*) from poll) as polls, (select count(*) from problem) as problems`.execute(handle.db);
    const f = facts.rows[0];

    const api = bindAnalytics(() => ({ db: handle.db, clock, calendar, domain, boundaries: [] }));
    const ok = <T extends { status: string }>(outcome: T): Extract<T, { status: 'ok' }> => {
      if (outcome.status !== 'ok') throw new Error(`analytics refused: ${JSON.stringify(outcome)}`);
      return outcome as Extract<T, { status: 'ok' }>;
    };

    // Baselines first: a count over the year's cases, and the plain paged read of every case.
    const countBaseline = await timed(runs, async () => {
      const r = await sql<{ n: string }>`select count(*) as n from "case"
        where created_at >= ${YEAR_FROM} and created_at < ${UNTIL}`.execute(handle.db);
      return Number(r.rows[0]?.n ?? 0);
    });
    const ratingsMonth = await timed(runs, async () => ok(await api.ratings({ from: MONTH_FROM, to: UNTIL })));
    const ratingsYear = await timed(runs, async () => ok(await api.ratings({ from: YEAR_FROM, to: UNTIL })));
    // Before: the same year's figures (both periods) computed directly from the cases, answers, polls
    // and audit trail, as every read did before the facts; once (it takes a while), and compared.
    const periods = [
      { from: YEAR_FROM, to: UNTIL },
      { from: new Date(2 * YEAR_FROM.getTime() - UNTIL.getTime()), to: YEAR_FROM },
    ];
    const directStarted = performance.now();
    const days = calendarDays(calendar, periods[1]?.from ?? YEAR_FROM, UNTIL);
    const directFigures = [];
    for (const p of periods)
      directFigures.push(await departmentFigures(handle.db, { ...p, now: UNTIL, repeatWindowDays: 30, calendar: days }));
    const directYear = { ms: performance.now() - directStarted, result: directFigures };
    const factsYear = await factFigures(handle.db, { periods, now: UNTIL, repeatWindowDays: 30 });
    const sameFigures = JSON.stringify(factsYear) === JSON.stringify(directYear.result);
    if (!sameFigures) throw new Error('the facts and the direct computation disagree on the year: a bug to look into');
    const heatYear = await timed(runs, async () => ok(await api.heatmap({ from: YEAR_FROM, to: UNTIL, metric: 'count' })));
    const problemList = await timed(runs, async () => ok(await api.problems({ sort: 'volume', windowDays: 30, limit: 100 })));

    const total = Number(f?.cases ?? 0);
    global.gc?.();
    const restMb = process.memoryUsage.rss() / MB;
    const names = domainNames(domain);
    const columns = caseColumns(names);
    // The export as the route makes it: COPY, the BOM, the header and CRLF record ends (first, so its
    // peak RSS is not what the reads below leave behind: V8 keeps the heap it grew).
    const exported = await withPeakRss(async () => {
      const sink = nullSink();
      const records = await caseExportCsv(
        handle.db,
        {},
        { names: caseCsvNames(names), timeZone: domain.city.timezone, now: UNTIL, delimiter: CSV_SEPARATOR },
      );
      const chunks = await csvFromCopy(
        records,
        columns.map((c) => c.header),
      );
      await pipeline(Readable.from(chunks, { objectMode: false }), sink);
      return { rows: total, bytes: sink.bytes };
    });
    const plain = await withPeakRss(() => plainPages(handle.db, pageSize));
    if (plain.result !== total) throw new Error(`the plain read saw ${plain.result} rows, expected ${total}`);
    // The export's own page query alone (answers, poll and external rating looked up, no formatting).
    const pagesOnly = await withPeakRss(async () => {
      let rows = 0;
      for await (const page of caseExportPages(handle.db, {}, { pageSize, now: UNTIL })) rows += page.length;
      return rows;
    });
    // Before: the pages formatted in Node.
    const paged = await withPeakRss(async () => {
      const sink = nullSink();
      let rows = 0;
      const pages = await primed(caseExportPages(handle.db, {}, { pageSize, now: UNTIL }));
      const counted = {
        async *[Symbol.asyncIterator]() {
          for await (const page of pages) {
            rows += page.length;
            yield page;
          }
        },
      };
      await pipeline(Readable.from(csvChunks(counted, columns, { timeZone: domain.city.timezone })), sink);
      return { rows, bytes: sink.bytes };
    });
    if (paged.result.rows !== total) throw new Error(`the paged export wrote ${paged.result.rows} rows, expected ${total}`);
    // The same rows written the same way make a file of the same size (test/exports/csv-copy.test.ts
    // compares the bytes themselves).
    if (exported.result.bytes !== paged.result.bytes)
      throw new Error(`the COPY export wrote ${exported.result.bytes} bytes, the paged one ${paged.result.bytes}`);

    const ms = (v: number) => `${v < 10 ? v.toFixed(1) : Math.round(v).toLocaleString('en')} ms`;
    const vsCount = (v: number) => `${(v / countBaseline.ms).toFixed(1)}× the count`;
    const under1s = (v: number) => `goal < 1 s: ${v < 1000 ? 'met' : 'NOT met'}`;
    const plainRate = plain.result / (plain.ms / 1000);
    const rate = (r: { ms: number; result: { rows: number } }) => r.result.rows / (r.ms / 1000);
    const exportRate = rate(exported);
    const perRow = (r: { cpuMs: number; result: { rows: number } }) => ((r.cpuMs * 1000) / r.result.rows).toFixed(1);
    const departments = (r: { report: { ranked: unknown[]; unranked: unknown[] } }) =>
      r.report.ranked.length + r.report.unranked.length;
    printTable(
      `analytics on ${total.toLocaleString('en')} demo cases (${Number(f?.answers).toLocaleString('en')} answers, ` +
        `${Number(f?.polls).toLocaleString('en')} polls, ${Number(f?.problems).toLocaleString('en')} problems; ` +
        `seeded in ${seedSeconds.toFixed(1)} s, ${summary.cases.toLocaleString('en')} cases), median of ${runs}`,
      [
        [
          'facts backfill (the seeded cases)',
          `${(backfill.ms / 1000).toFixed(1)} s, ${Math.round(backfill.result.refreshed / (backfill.ms / 1000)).toLocaleString('en')} cases/s`,
        ],
        ['baseline: select count(*) of the year', `${ms(countBaseline.ms)} (${countBaseline.result.toLocaleString('en')} cases)`],
        [
          'before: a year computed directly (both periods)',
          `${ms(directYear.ms)}, ${vsCount(directYear.ms)}; the facts give the same figures: ${sameFigures ? 'yes' : 'NO'}`,
        ],
        [
          'ratings, a month',
          `${ms(ratingsMonth.ms)}, ${vsCount(ratingsMonth.ms)}, ${departments(ratingsMonth.result)} departments; ${under1s(ratingsMonth.ms)}`,
        ],
        [
          'ratings, a year',
          `${ms(ratingsYear.ms)}, ${vsCount(ratingsYear.ms)}, ${departments(ratingsYear.result)} departments; ${under1s(ratingsYear.ms)}`,
        ],
        [
          'heat map, a year',
          `${ms(heatYear.ms)}, ${vsCount(heatYear.ms)}, ${heatYear.result.report.cells.length} cells; ${under1s(heatYear.ms)}`,
        ],
        [
          'problem list (by volume, 100)',
          `${ms(problemList.ms)}, ${vsCount(problemList.ms)}, ${problemList.result.items.length} problems`,
        ],
        ['RSS before the export runs (after seeding)', `${restMb.toFixed(0)} MB`],
        [
          'baseline: plain keyset select, all cases',
          `${Math.round(plainRate).toLocaleString('en')} rows/s (${(plain.ms / 1000).toFixed(1)} s), peak RSS ${plain.peakMb.toFixed(0)} MB`,
        ],
        [
          'the export page query alone',
          `${Math.round(pagesOnly.result / (pagesOnly.ms / 1000)).toLocaleString('en')} rows/s (${(pagesOnly.ms / 1000).toFixed(1)} s), ` +
            `${(pagesOnly.result / (pagesOnly.ms / 1000) / plainRate).toFixed(2)}× the plain select`,
        ],
        [
          'before: CSV from the pages, formatted in Node',
          `${Math.round(rate(paged)).toLocaleString('en')} rows/s (${(paged.ms / 1000).toFixed(1)} s), ` +
            `${(rate(paged) / plainRate).toFixed(2)}× the plain select, ${perRow(paged)} µs of this process's CPU a row, ` +
            `peak RSS ${paged.peakMb.toFixed(0)} MB`,
        ],
        [
          'export: cases CSV by COPY into a null sink',
          `${Math.round(exportRate).toLocaleString('en')} rows/s (${(exported.ms / 1000).toFixed(1)} s, ` +
            `${(exported.result.bytes / MB).toFixed(0)} MB, the same size as before), ${(exportRate / plainRate).toFixed(2)}× the plain select, ` +
            `${perRow(exported)} µs of this process's CPU a row, ` +
            `peak RSS ${exported.peakMb.toFixed(0)} MB; goal ≥ 100,000 rows/s under 300 MB: ` +
            `${exportRate >= 100_000 && exported.peakMb < 300 ? 'met' : 'NOT met'}`,
        ],
      ],
    );
  } finally {
    await handle.close();
    await database.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
