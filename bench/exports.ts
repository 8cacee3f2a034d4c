/**
 * bench/exports: N cases exported through the real route (HTTP) as CSV — formatted by PostgreSQL,
 * COPY … TO STDOUT — and as XLSX — keyset pages formatted in Node —, against a baseline in the same
 * run: the same keyset pages read with no formatting and no HTTP. Prints rows/s, the ratio to the baseline and the process's peak RSS during each run (the
 * client reading the response is in the same process). The goal (issue 13): CSV ≥ 100,000 rows/s
 * under 300 MB RSS.
 *
 *   npx tsx bench/exports.ts [--cases 1000000] [--page 2000]
 */
import { get } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { listedCalendarFiles, loadProductionCalendar } from '../config/calendar.js';
import { loadDomainConfig } from '../config/domain.js';
import { refreshCaseFacts } from '../handlers/analytics/index.js';
import { systemClock } from '../lib/clock.js';
import { WorkingCalendar } from '../lib/deadlines/index.js';
import { openDatabase } from '../models/database.js';
import { caseExportPages } from '../models/export-query.js';
import { migrateToLatest } from '../models/migrate.js';
import { createMetrics } from '../src/http/metrics.js';
import { exportRoutes } from '../src/http/routes/exports.js';
import { createHttpServer } from '../src/http/server.js';
import { createLogger } from '../src/logger.js';
import { benchDatabase, printTable, withPeakRss } from './lib.js';

const TOKEN = 'bench-export-token-0123456789';
const DOMAIN_FILE = 'config/barnaul.yaml';
const MB = 1024 * 1024;

/** Runs `work` while sampling RSS every 20 ms; gives its rows/s and the peak RSS seen. */
async function measure(rows: number, work: () => Promise<number>): Promise<{ rate: number; peakMb: number; bytes: number }> {
  const { ms, peakMb, result: bytes } = await withPeakRss(work);
  return { rate: rows / (ms / 1000), peakMb, bytes };
}

/** Downloads a URL with a plain socket, counting bytes (nothing is kept). */
function download(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    get(url, { headers: { authorization: `Bearer ${TOKEN}` } }, (res) => {
      if (res.statusCode !== 200) reject(new Error(`HTTP ${res.statusCode}`));
      let bytes = 0;
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
      });
      res.on('end', () => resolve(bytes));
      res.on('error', reject);
    }).on('error', reject);
  });
}

export async function main(argv = process.argv.slice(2)): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { cases: { type: 'string', default: '1000000' }, page: { type: 'string', default: '2000' } },
  });
  const total = Number(values.cases);
  const pageSize = Number(values.page);
  const database = await benchDatabase('exports');
  const handle = openDatabase({ connectionString: database.url, max: 4 });
  const domain = loadDomainConfig(DOMAIN_FILE);
  try {
    await migrateToLatest(handle.db);
    const seeded = performance.now();
    await seed(handle.db, total, domain);
    console.log(`seeded ${total.toLocaleString('en')} cases in ${((performance.now() - seeded) / 1000).toFixed(1)} s`);
    // The ratings' facts the export reads answer times from, as the refresh-case-facts job leaves them.
    const refreshed = performance.now();
    await refreshCaseFacts({ db: handle.db, clock: systemClock, calendar: cityCalendar(domain) });
    await sql`vacuum analyze case_fact`.execute(handle.db);
    console.log(`facts computed in ${((performance.now() - refreshed) / 1000).toFixed(1)} s`);

    const server = await createHttpServer(
      {
        log: createLogger({ level: 'silent' }),
        metrics: createMetrics(async () => ({})),
        apiToken: TOKEN,
        health: async () => ({ db: 'ok', queue: 'ok' }),
        status: () => ({ version: 'bench', roles: ['http'], uptimeSeconds: 0, sandbox: false }),
      },
      [exportRoutes({ db: handle.db, clock: systemClock, domain }, { pageSize })],
    );
    await server.listen({ host: '127.0.0.1', port: 0 });
    const url = `http://127.0.0.1:${(server.server.address() as AddressInfo).port}/api/v1/exports`;

    global.gc?.();
    const restMb = process.memoryUsage.rss() / MB;
    const baseline = await measure(total, async () => {
      let n = 0;
      for await (const page of caseExportPages(handle.db, {}, { pageSize, now: new Date() })) n += page.length;
      if (n !== total) throw new Error(`baseline read ${n} rows, expected ${total}`);
      return 0;
    });
    const csv = await measure(total, () => download(`${url}/cases.csv`));
    const xlsx = await measure(total, () => download(`${url}/cases.xlsx`));
    await server.close();

    const line = (r: { rate: number; peakMb: number; bytes: number }) =>
      `${Math.round(r.rate).toLocaleString('en')} rows/s, ${(r.rate / baseline.rate).toFixed(2)}× baseline, peak RSS ${r.peakMb.toFixed(0)} MB` +
      (r.bytes ? `, ${(r.bytes / MB).toFixed(0)} MB file` : '');
    printTable(`exports of ${total.toLocaleString('en')} cases (pages of ${pageSize})`, [
      ['RSS at rest (server, seeded, before the runs)', `${restMb.toFixed(0)} MB`],
      ['baseline (keyset SELECT, no formatting)', line(baseline)],
      ['CSV through HTTP', line(csv)],
      ['XLSX through HTTP', line(xlsx)],
      ['goal (CSV)', `≥ 100,000 rows/s under 300 MB: ${csv.rate >= 100_000 && csv.peakMb < 300 ? 'met' : 'NOT met'}`],
    ]);
  } finally {
    await handle.close();
    await database.stop();
  }
}

/** The city's working calendar (domain file and production calendar), for the ratings' facts. */
function cityCalendar(domain: ReturnType<typeof loadDomainConfig>): WorkingCalendar {
  const files = listedCalendarFiles(resolve(DOMAIN_FILE), domain);
  return WorkingCalendar.forCity(domain.city, loadProductionCalendar(files));
}

/** N cases made by the server (generate_series), a third with answers and a fifth with a rating. */
async function seed(
  db: ReturnType<typeof openDatabase>['db'],
  total: number,
  domain: ReturnType<typeof loadDomainConfig>,
): Promise<void> {
  const source = await db
    .insertInto('source')
    .values({ channel: 'telegram', external_id: 'bench', kind: 'private', official: false, status: 'active' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const categories = domain.categories.map((c) => c.id);
  const departments = domain.categories.map((c) => c.department);
  const districts = domain.districts.map((d) => d.id);
  const start = new Date('2026-01-01T00:00:00Z');
  for (let from = 1; from <= total; from += 100_000) {
    const to = Math.min(total, from + 99_999);
    await sql`
      insert into "case" (number, status, channel, source_id, text, category, department, district, priority,
        deadline_at, last_message_at, created_at, updated_at)
      select 'МЦУ-2026-' || lpad(g::text, 7, '0'), (array['assigned','in_progress','answered','closed'])[1 + g % 4],
        (array['telegram','vk','max'])[1 + g % 3], ${source.id},
        'Нет горячей воды по адресу ул. Попова, ' || (g % 250) || '; жильцы говорят: "третий день", просят срочно разобраться (#' || g || ')',
        (${categories}::text[])[1 + g % ${categories.length}], (${departments}::text[])[1 + g % ${departments.length}],
        (${districts}::text[])[1 + g % ${districts.length}], case when g % 9 = 0 then 'urgent' else 'normal' end,
        t + interval '8 days', t, t, t
      from generate_series(${from}::int, ${to}::int) g,
        lateral (select ${start}::timestamptz + g * interval '20 seconds' as t) x`.execute(db);
  }
  await sql`
    insert into answer (case_id, kind, text, author, quality, state, created_at)
    select id, case when id % 2 = 0 then 'final' else 'interim' end, 'Ответ', 'system', '{}', 'sent', created_at + interval '2 days'
    from "case" where id % 3 = 0`.execute(db);
  await sql`
    insert into poll (case_id, state, rating, created_at)
    select id, 'answered', 1 + id % 5, created_at + interval '3 days' from "case" where id % 5 = 0`.execute(db);
  await sql`analyze`.execute(db);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
