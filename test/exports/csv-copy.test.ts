import { get as httpGet } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { CamelCasePlugin, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshCaseFacts } from '../../handlers/analytics/index.js';
import { ManualClock } from '../../lib/clock.js';
import { WorkingCalendar } from '../../lib/deadlines/index.js';
import type { CaseFilters } from '../../models/case-query.js';
import { copyCsvOut, inlineParameters } from '../../models/copy-out.js';
import { type Db, poolOf } from '../../models/database.js';
import { caseExportCsv } from '../../models/export-csv-query.js';
import { caseExportPages } from '../../models/export-query.js';
import {
  caseColumns,
  caseCsvNames,
  crlfRecordEnds,
  csvChunks,
  csvFromCopy,
  type DomainNames,
  domainNames,
  primed,
} from '../../src/http/export/index.js';
import { createMetrics } from '../../src/http/metrics.js';
import { exportRoutes } from '../../src/http/routes/exports.js';
import { createHttpServer } from '../../src/http/server.js';
import { createLogger } from '../../src/logger.js';
import { testDomain, waitFor } from '../helpers/app.js';
import { HOURS, PRODUCTION } from '../helpers/barnaul-calendar.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { seedAnswer, seedCase, seedMessage, seedPoll, seedSource } from '../helpers/rows.js';

/**
 * The case CSV that PostgreSQL formats (COPY, models/export-csv-query.ts) against the one Node formats
 * from keyset pages (csv-stream.ts, the path before it and still the XLSX's rows): the same bytes, on
 * cases made to hit every rule — quotes, separators and line breaks in texts and names, formula-like
 * starts, empty texts, NULLs, unknown codes, Russian and emoji, instants around midnight in the city's
 * zone (Barnaul, UTC+6 in 2015, UTC+7 since 2016) and around a DST change (Berlin), microseconds, facts
 * fresh and stale, polled and imported ratings, paused and overdue cases.
 */

const TOKEN = 'test-service-token-0123456789';
const domain = testDomain();
const clock = new ManualClock('2026-11-20T05:00:00Z');
const now = clock.now();
const calendar = new WorkingCalendar({ productionCalendar: PRODUCTION, workingHours: HOURS, timeZone: 'Asia/Barnaul' });
const must = <T>(value: T | undefined): T => {
  if (value === undefined) throw new Error('the test domain has too few categories or districts');
  return value;
};
const [catA, catB] = [must(domain.categories[0]), must(domain.categories[1])];
const [distA, distB] = [must(domain.districts[0]), must(domain.districts[1])];
const deptA = catA.department;

const TEXTS = [
  'Нет горячей воды; уже третий день',
  'Он сказал: "приедем завтра", и не приехал',
  'Строка первая\nстрока вторая\r\nи третья',
  'одинокий \r возврат каретки',
  '=1+1 формула в тексте',
  '+7 913 000-00-00',
  '-минус в начале',
  '@упоминание',
  '\tтабуляция в начале',
  '\rвозврат каретки в начале',
  '\nперевод строки в начале',
  '',
  ' ',
  '"',
  ';',
  '""',
  "апостроф ' внутри и '= в начале",
  'обратный слэш \\ и \\n, не перевод строки',
  'Яма на дороге у дома 5 🚗, семья 👩‍👩‍👧, ё и Ё',
  `длинный текст ${'ж'.repeat(20_000)} конец`,
];

/** Instants around midnight in Barnaul, with microseconds, and old ones from its UTC+6 years. */
const INSTANTS = [
  '2026-11-01 16:59:59.999999+00',
  '2026-11-01 17:00:00+00',
  '2026-11-01 17:00:00.000001+00',
  '2026-11-01 16:59:00+00',
  '2026-12-31 16:59:59.5+00',
  '2026-12-31 17:00:00+00',
  '2015-06-01 17:59:59+00',
  '2015-06-01 18:00:00+00',
  '2016-03-26 19:59:59+00',
  '2016-03-26 20:00:00+00',
  // Berlin's DST changes in 2026 (for the run in that zone): 29 March 01:00 UTC, 25 October 01:00 UTC.
  '2026-03-29 00:59:59+00',
  '2026-03-29 01:00:00+00',
  '2026-10-25 00:59:59+00',
  '2026-10-25 01:00:00+00',
];

const STATUSES = ['new', 'triage', 'assigned', 'in_progress', 'interim_replied', 'answered', 'closed', 'reopened'];

/** Names that need every rule themselves: a separator, quotes, a line break, a formula-like start. */
function trickyNames(base: DomainNames): DomainNames {
  const categories = new Map(base.categories);
  categories.set(catA.id, '=Формула; "категория"');
  const districts = new Map(base.districts);
  districts.set(distA.id, 'Район\nс переносом');
  const departments = new Map(base.departments);
  departments.set(deptA, '-Исполнитель «кавычки» "двойные"');
  return { categories, districts, departments };
}

describe('the case CSV by COPY against the CSV formatted in Node', () => {
  let testDb: TestDatabase;
  let db: Db;
  let server: FastifyInstance;
  let url = '';
  let problemId = 0;

  /** The file the paged path writes (pages of 7, so ties fall across pages). */
  async function nodeBytes(filters: CaseFilters, names: DomainNames, timeZone: string): Promise<Buffer> {
    const parts: Buffer[] = [];
    const pages = await primed(caseExportPages(db, filters, { pageSize: 7, now }));
    for await (const chunk of csvChunks(pages, caseColumns(names), { timeZone })) parts.push(Buffer.from(chunk));
    return Buffer.concat(parts);
  }

  /** The file the COPY path writes. */
  async function copyBytes(filters: CaseFilters, names: DomainNames, timeZone: string): Promise<Buffer> {
    const records = await caseExportCsv(db, filters, { names: caseCsvNames(names), timeZone, now, delimiter: ';' });
    const parts: Buffer[] = [];
    for await (const chunk of await csvFromCopy(
      records,
      caseColumns(names).map((c) => c.header),
    ))
      parts.push(chunk);
    return Buffer.concat(parts);
  }

  async function expectSameBytes(filters: CaseFilters, names = domainNames(domain), timeZone = 'Asia/Barnaul') {
    const [expected, actual] = [await nodeBytes(filters, names, timeZone), await copyBytes(filters, names, timeZone)];
    // A readable diff first (the first differing line), then the bytes themselves.
    const lines = (b: Buffer) => b.toString('utf8').split('\r\n');
    const [e, a] = [lines(expected), lines(actual)];
    const at = e.findIndex((line, i) => line !== a[i]);
    if (at >= 0) expect({ line: at, copy: a[at] }).toEqual({ line: at, copy: e[at] });
    expect(actual.equals(expected)).toBe(true);
    return actual;
  }

  beforeAll(async () => {
    testDb = await createTestDatabase('csv_copy', { migrate: true });
    db = testDb.handle.db;
    server = await createHttpServer(
      {
        log: createLogger({ level: (process.env.TEST_LOG_LEVEL ?? 'silent') as 'silent' }),
        metrics: createMetrics(async () => ({})),
        apiToken: TOKEN,
        health: async () => ({ db: 'ok', queue: 'ok' }),
        status: () => ({ version: 'test', roles: ['http'], uptimeSeconds: 0, sandbox: false }),
      },
      [exportRoutes({ db, clock, domain })],
    );
    const sources = [
      await seedSource(db, { channel: 'vk', kind: 'official_community', title: '=Чат; "Барнаул"\nофициально' }),
      await seedSource(db, { channel: 'telegram', kind: 'city_chat', title: null }),
      await seedSource(db, { channel: 'max', kind: 'public_community', title: '' }),
      await seedSource(db, { channel: 'api', kind: 'external_system', title: null }),
      await seedSource(db, { channel: 'telegram', kind: 'private', title: 'Личный чат 🙂' }),
    ];
    const problem = await db
      .insertInto('problem')
      .values({ title: 'Проблема', category: catA.id, district: distA.id, first_at: now, last_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    problemId = problem.id;
    const categories = [catA.id, catB.id, null, '-неизвестная', 'unknown-category'];
    const districts = [distA.id, distB.id, null, '@неизвестный'];
    const departments = [deptA, catB.department, null, 'gone-department'];
    for (let i = 0; i < 60; i++) {
      const source = sources[i % sources.length];
      const text = TEXTS[i % TEXTS.length] ?? '';
      const created = INSTANTS[i % INSTANTS.length] ?? INSTANTS[0];
      const row = await seedCase(db, {
        at: new Date(Date.parse(created?.replace(' ', 'T').replace(/\+00$/, 'Z') ?? '')),
        channel: (['telegram', 'vk', 'max', 'import', 'api'] as const)[i % 5],
        source_id: source?.id,
        text,
        category: categories[i % categories.length] ?? null,
        district: districts[i % districts.length] ?? null,
        department: departments[i % departments.length] ?? null,
        status: STATUSES[i % STATUSES.length],
        priority: i % 3 === 0 ? 'urgent' : 'normal',
        ...(i % 7 === 0 ? { problem_id: problemId } : {}),
      });
      // The created instant to the microsecond, a deadline (none, passed, ahead) and a pause.
      await sql`update "case" set created_at = ${created}::timestamptz,
          deadline_at = case ${i % 4}::int when 0 then null when 1 then ${created}::timestamptz + interval '1 day'
            else ${created}::timestamptz + interval '2 years' end,
          paused_at = case when ${i % 9}::int = 0 then ${created}::timestamptz + interval '1 hour' end
        where id = ${row.id}`.execute(db);
      const base = Date.parse(created?.replace(' ', 'T').replace(/\+00$/, 'Z') ?? '');
      if (i % 2 === 0) await seedAnswer(db, { case_id: row.id, kind: 'interim', at: new Date(base + 3_600_000) });
      if (i % 3 === 0) {
        const written = new Date(base + (i % 6 === 0 ? 3 : 0.5) * 86_400_000);
        await seedAnswer(db, { case_id: row.id, at: written, state: 'sent', reviewed_at: new Date(written.getTime() + 600_000) });
        await seedAnswer(db, { case_id: row.id, at: new Date(base), state: 'rejected' });
      }
      if (i % 5 === 0) await seedPoll(db, { case_id: row.id, state: 'answered', rating: 1 + (i % 5) });
      if (i % 5 === 0 || i % 5 === 1) {
        const message = await seedMessage(db, { case_id: row.id });
        await db
          .insertInto('external_appeal')
          .values({
            source: 'pos',
            external_id: `ext-${i}`,
            case_id: row.id,
            message_id: message.id,
            received_at: new Date(base),
            rating: 1 + ((i + 2) % 5),
            created_at: new Date(base),
            updated_at: new Date(base),
          })
          .execute();
      }
    }
    // Ties: three cases at the same instant, ids out of time order.
    for (let i = 0; i < 3; i++) await seedCase(db, { at: new Date('2026-11-02T03:00:00Z'), text: `Одновременно ${i}` });
    await server.listen({ host: '127.0.0.1', port: 0 });
    url = `http://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await server?.close();
    await testDb?.drop();
  });

  async function staleCount(): Promise<number> {
    const r = await sql<{ n: number }>`select count(*)::int as n from case_fact_stale`.execute(db);
    return r.rows[0]?.n ?? 0;
  }

  it('when every case waits for its facts, then both files are the same bytes, unfiltered and by every filter', async () => {
    expect(await staleCount()).toBeGreaterThan(60);
    const body = await expectSameBytes({});
    expect(body.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const text = body.toString('utf8');
    expect(text).toContain('"Строка первая\nстрока вторая\r\nи третья"');
    expect(text).toContain(`;'=1+1 формула в тексте\r\n`);
    expect(text).toContain('2026-11-01 23:59;');
    expect(text).toContain('2026-11-02 00:00;');
    expect(text).toContain('2015-06-01 23:59;');
    expect(text).toContain('2015-06-02 00:00;');
    for (const filters of [
      { department: deptA },
      { status: 'answered' },
      { channel: 'vk' },
      { category: catB.id, district: distA.id },
      { priority: 'urgent' },
      { q: 'вода' },
      { q: '"' },
      { q: "it's \\ 50%_ \\' '" },
      { from: new Date('2026-11-01T16:59:59Z'), to: new Date('2026-11-01T17:00:00.5Z') },
      { status: 'gone' },
      { problem: problemId },
    ] satisfies CaseFilters[])
      await expectSameBytes(filters);
  });

  it('when names hold separators, quotes, line breaks and formula starts, then both files are the same bytes', async () => {
    const body = await expectSameBytes({}, trickyNames(domainNames(domain)));
    expect(body.toString('utf8')).toContain(`;"'=Формула; ""категория""";`);
  });

  it('when shown in a zone with DST (Berlin), then both files are the same bytes', async () => {
    const body = await expectSameBytes({}, domainNames(domain), 'Europe/Berlin');
    const text = body.toString('utf8');
    expect(text).toContain('2026-03-29 01:59;');
    expect(text).toContain('2026-03-29 03:00;');
    expect(text).toContain('2026-10-25 02:59;');
  });

  it('when the facts are fresh, a few stale or many stale, then both files stay the same bytes', async () => {
    await refreshCaseFacts({ db, clock, calendar });
    expect(await staleCount()).toBe(0);
    await expectSameBytes({});
    // A few cases changed since (the facts of those wait): a list the COPY looks up by hash.
    await sql`update "case" set status = 'closed' where id in (select id from "case" order by id limit 9)`.execute(db);
    await sql`insert into poll (case_id, state, rating, created_at)
      select id, 'answered', 4, now() from "case" where id not in (select case_id from poll) order by id limit 3`.execute(db);
    const few = await staleCount();
    expect(few).toBeGreaterThan(0);
    await expectSameBytes({});
    // A long backlog (a backfill): each row probes the stale list.
    await sql`insert into case_fact_stale (case_id) select g from generate_series(1000000, 1025000) g`.execute(db);
    await expectSameBytes({});
    await expectSameBytes({ department: deptA });
    await sql`delete from case_fact_stale where case_id >= 1000000`.execute(db);
  });

  it('when the route is asked, then it sends the COPY file: the same bytes as the Node-formatted one', async () => {
    const r = await server.inject({
      method: 'GET',
      url: '/api/v1/exports/cases.csv',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(r.statusCode).toBe(200);
    expect(r.rawPayload.equals(await nodeBytes({}, domainNames(domain), domain.city.timezone))).toBe(true);
  });

  it('when the COPY fails before its first row, then the answer is a JSON error, not a cut file', async () => {
    const broken = { ...domain, city: { ...domain.city, timezone: 'Mars/Olympus_Mons' } };
    const app = await createHttpServer(
      {
        log: createLogger({ level: 'silent' }),
        metrics: createMetrics(async () => ({})),
        apiToken: TOKEN,
        health: async () => ({ db: 'ok', queue: 'ok' }),
        status: () => ({ version: 'test', roles: ['http'], uptimeSeconds: 0, sandbox: false }),
      },
      [exportRoutes({ db, clock, domain: broken })],
    );
    try {
      const r = await app.inject({
        method: 'GET',
        url: '/api/v1/exports/cases.csv',
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      expect(r.statusCode).toBe(500);
      expect(r.headers['content-type']).toMatch(/^application\/json/);
      expect(r.json()).toMatchObject({ error: { code: 'INTERNAL' } });
    } finally {
      await app.close();
    }
    // A statement that fails at its first row: the error comes before the file's first byte.
    const failing = await copyCsvOut(db, sql`select 1 / (random() * 0)::int`, { delimiter: ';' });
    await expect(csvFromCopy(failing, ['a'])).rejects.toThrow(/division by zero/);
    // The failed COPYs' connections are not left in a transaction: the pool still answers.
    await expectSameBytes({ department: deptA });
  });

  it('when the database is a derived Kysely or a transaction, then COPY finds the pool or says it cannot', async () => {
    expect(poolOf(db.withPlugin(new CamelCasePlugin()))).toBeDefined();
    await db.transaction().execute(async (tx) => {
      expect(poolOf(tx)).toBeUndefined();
    });
  });

  describe('a client that goes away', () => {
    beforeAll(async () => {
      const source = await seedSource(db, { channel: 'telegram' });
      // ~60 MB of CSV: far more than the socket buffers hold, so the COPY is still running at the hang-up.
      await sql`
        insert into "case" (number, status, channel, source_id, text, department, last_message_at, created_at, updated_at)
        select 'МЦУ-2001-' || lpad(g::text, 6, '0'), 'assigned', 'telegram', ${source.id},
          'Массовое обращение; ' || repeat('строка ', 150) || g, 'bulk-export', t, t, t
        from generate_series(1, 60000) g, lateral (select ${new Date('2026-10-01T00:00:00Z')}::timestamptz
          + g * interval '1 minute' as t) x`.execute(db);
    });

    const copies = async () => {
      const r = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity
        where datname = current_database() and query ilike 'copy (%' and state <> 'idle'`.execute(db);
      return r.rows[0]?.n ?? 0;
    };

    it('when it hangs up after the first bytes, then the COPY stops and its connection is let go', async () => {
      await new Promise<void>((resolve, reject) => {
        const req = httpGet(`${url}/api/v1/exports/cases.csv?department=bulk-export`, {
          headers: { authorization: `Bearer ${TOKEN}` },
        });
        req.on('response', (res) =>
          res.once('data', async () => {
            try {
              // The COPY is running now, held back by the client that does not read.
              expect(await copies()).toBe(1);
              req.destroy();
              resolve();
            } catch (error) {
              reject(error);
            }
          }),
        );
        req.on('error', reject);
      });
      await waitFor(async () => ((await copies()) === 0 ? true : undefined), 10_000);
      // The pool is whole: another export runs to its end.
      const r = await fetch(`${url}/api/v1/exports/cases.csv?department=bulk-export`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      const body = await r.text();
      expect(body.split('\r\n')).toHaveLength(60_002);
    });
  });
});

describe('COPY statement literals and the CRLF record ends', () => {
  it('when parameters are inlined, then only checked values are written, each as its own literal', () => {
    const text = inlineParameters({
      sql: 'select $1, $2, $3, $4, $5, $6',
      parameters: ["it's \\ a 'test'", 42, -7, new Date('2026-01-02T03:04:05.678Z'), true, 'ок'],
    });
    expect(text).toBe("select  E'it''s \\\\ a ''test''', 42, (-7), '2026-01-02T03:04:05.678Z'::timestamptz, true, 'ок'");
    for (const bad of [{}, [1], null, undefined, Number.NaN, 1.5, 2 ** 60, new Date(Number.NaN), 'nul\u0000', 10n])
      expect(() => inlineParameters({ sql: 'select $1', parameters: [bad] })).toThrow();
    expect(() => inlineParameters({ sql: "select '$1', $1", parameters: ['x'] })).toThrow();
    expect(() => inlineParameters({ sql: 'select $2, $1', parameters: ['a', 'b'] })).toThrow();
    expect(() => inlineParameters({ sql: 'select $1', parameters: ['a', 'b'] })).toThrow();
  });

  it('when COPY output is split at any byte, then only the record ends become CRLF', () => {
    const copy = Buffer.from('a;"x\ny";c\n"""";"\r\n";\n;;"q""\n"\n');
    const expected = Buffer.from('a;"x\ny";c\r\n"""";"\r\n";\r\n;;"q""\n"\r\n');
    for (let cut = 0; cut <= copy.length; cut++) {
      const crlf = crlfRecordEnds();
      const out = Buffer.concat([crlf(copy.subarray(0, cut)), crlf(copy.subarray(cut))]);
      expect(out.toString()).toBe(expected.toString());
    }
    const crlf = crlfRecordEnds();
    expect(Buffer.concat([...copy].map((byte) => crlf(Buffer.from([byte])))).equals(expected)).toBe(true);
  });
});
