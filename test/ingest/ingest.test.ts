import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadProductionCalendar } from '../../config/calendar.js';
import { loadDomainConfig } from '../../config/domain.js';
import { type IngestDeps, importAppeals, ingestAppeal, lifecyclePath } from '../../handlers/ingest/index.js';
import { createStructurer } from '../../handlers/structuring/index.js';
import { ManualClock } from '../../lib/clock.js';
import { WorkingCalendar } from '../../lib/deadlines/index.js';
import { readCsv, readExportFile } from '../../scripts/commands/import-file.js';
import { createLogger } from '../../src/logger.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { recordingQueue } from '../helpers/jobs.js';

/** Appeals from other systems (invented data, no real people): the API's use case and the import of export files. */
describe('ingest: appeals from ПОС and ИМ become cases (real PostgreSQL, fake clock)', () => {
  let testDb: TestDatabase;
  let deps: IngestDeps;
  const clock = new ManualClock('2026-12-01T03:00:00Z');
  const domain = loadDomainConfig('config/barnaul.yaml');
  const count = async (table: 'case' | 'message' | 'citizen' | 'answer' | 'poll' | 'external_appeal' | 'audit_log') =>
    Number((await sql<{ n: string }>`select count(*) as n from ${sql.table(table)}`.execute(testDb.handle.db)).rows[0]?.n);
  const caseRow = (id: number) => testDb.handle.db.selectFrom('case').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const appeal = (over: Record<string, unknown> = {}) => ({
    source: 'pos',
    externalId: 'ПОС-1',
    receivedAt: '2026-11-30T02:00:00Z',
    text: 'Яма на дороге у остановки, колёса пробивают',
    author: { name: 'Иван Тестовый', phone: '+7 900 000-00-00', email: 'ivan@example.invalid' },
    address: 'ул. Попова, 70',
    category: 'Ямы на дорогах',
    department: 'Комитет по дорожному хозяйству и транспорту',
    status: 'В работе',
    ...over,
  });

  beforeAll(async () => {
    testDb = await createTestDatabase('ingest', { migrate: true });
    deps = {
      db: testDb.handle.db,
      jobs: recordingQueue(),
      clock,
      log: createLogger({ level: 'silent' }),
      domain,
      structuring: {
        domain,
        structurer: createStructurer(domain, null),
        calendar: WorkingCalendar.forCity(domain.city, loadProductionCalendar(['config/production-calendar.json'])),
      },
    };
  });
  afterAll(async () => testDb.drop());

  describe('one appeal (the API)', () => {
    it('when a new appeal arrives, then a case opens with the source category, executor, regime and deadlines, and its author on citizen', async () => {
      const r = await ingestAppeal(deps, appeal());
      expect(r).toMatchObject({ status: 'created', number: expect.stringMatching(/^МЦУ-2026-\d{6}$/) });
      const c = await caseRow(r.status === 'created' ? r.caseId : 0);
      expect(c).toMatchObject({
        channel: 'import',
        category: 'roads',
        category_rule: 'source: Ямы на дорогах',
        department: 'roads-transport',
        routing_rule: 'source: Комитет по дорожному хозяйству и транспорту',
        regime: 'pos',
        status: 'in_progress',
        created_at: new Date('2026-11-30T02:00:00Z'),
      });
      // The pos policy: first response in 1 working day, the final one in 8, from registration in the source.
      expect(c.first_response_due_at).toEqual(new Date('2026-12-01T10:00:00Z'));
      expect(c.deadline_at).not.toBeNull();
      const citizen = await testDb.handle.db
        .selectFrom('citizen')
        .select(['channel', 'display_name', 'phone', 'email'])
        .where('id', '=', c.citizen_id)
        .executeTakeFirstOrThrow();
      expect(citizen).toEqual({
        channel: 'import',
        display_name: 'Иван Тестовый',
        phone: '+7 900 000-00-00',
        email: 'ivan@example.invalid',
      });
      expect(c.text).toContain('📍 ул. Попова, 70');
    });

    it('when the same appeal arrives again, then the same case answers and nothing is duplicated', async () => {
      const before = { cases: await count('case'), messages: await count('message'), citizens: await count('citizen') };
      const again = await ingestAppeal(deps, appeal());
      expect(again).toMatchObject({ status: 'unchanged', changes: [] });
      expect({ cases: await count('case'), messages: await count('message'), citizens: await count('citizen') }).toEqual(before);
    });

    it('when the source then answers, closes and gets a rating, then the answer is recorded at its time, the case closed and the rating kept', async () => {
      const first = await ingestAppeal(deps, appeal());
      const caseId = first.status === 'invalid' ? 0 : first.caseId;
      const answered = await ingestAppeal(
        deps,
        appeal({
          status: 'Решено',
          answeredAt: '2026-11-30T08:00:00Z',
          answerText: 'Яма заделана 30.11.2026 бригадой МБУ «Автодорстрой», ответственный — мастер участка.',
          rating: 5,
        }),
      );
      expect(answered).toMatchObject({ status: 'updated', caseId, changes: ['answer', 'status', 'rating'] });
      expect((await caseRow(caseId)).status).toBe('closed');
      const answers = await testDb.handle.db.selectFrom('answer').selectAll().where('case_id', '=', caseId).execute();
      expect(answers).toMatchObject([
        { kind: 'final', state: 'recorded', author: 'platform:pos', created_at: new Date('2026-11-30T08:00:00Z') },
      ]);
      const poll = await testDb.handle.db.selectFrom('poll').selectAll().where('case_id', '=', caseId).executeTakeFirstOrThrow();
      expect(poll).toMatchObject({ state: 'answered', rating: 5 });
      // Every step of the lifecycle is audited, in_progress → answered → closed.
      const moves = await testDb.handle.db
        .selectFrom('audit_log')
        .select('details')
        .where('entity_id', '=', String(caseId))
        .where('action', '=', 'status_changed')
        .execute();
      expect(moves.map((m) => `${m.details.from}→${m.details.to}`)).toEqual([
        'new→assigned',
        'assigned→in_progress',
        'in_progress→answered',
        'answered→closed',
      ]);

      // The rating changes later: only the rating moves.
      expect(
        await ingestAppeal(
          deps,
          appeal({ status: 'Решено', answeredAt: '2026-11-30T08:00:00Z', answerText: answers[0]?.text, rating: 3 }),
        ),
      ).toMatchObject({
        status: 'updated',
        changes: ['rating'],
      });
      expect(await count('answer')).toBe(1);
    });

    it('when the appeal is broken, then it is refused naming each field and nothing is stored', async () => {
      const before = await count('case');
      const refuse = async (raw: unknown) => {
        const r = await ingestAppeal(deps, raw);
        if (r.status !== 'invalid') throw new Error(`accepted: ${JSON.stringify(raw)}`);
        return r;
      };
      expect((await refuse({})).issues.join('\n')).toMatch(/source: [\s\S]*externalId: [\s\S]*receivedAt: [\s\S]*text: /);
      expect((await refuse(appeal({ rating: 6, lat: 'north' }))).issues).toEqual([
        expect.stringMatching(/^lat: /),
        expect.stringMatching(/^rating: /),
      ]);
      expect((await refuse(appeal({ receivedAt: '2026-12-02T00:00:00Z' }))).issues).toEqual([
        'receivedAt: must not be in the future',
      ]);
      expect((await refuse(appeal({ receivedAt: '1999-12-31T00:00:00Z' }))).issues).toEqual([
        'receivedAt: must not be before 2000',
      ]);
      expect((await refuse(appeal({ text: 'я'.repeat(10_001) }))).issues).toEqual([
        expect.stringMatching(/^text: must be at most 10000/),
      ]);
      expect(await refuse(appeal({ source: 'facebook' }))).toMatchObject({ code: 'UNKNOWN_SOURCE' });
      expect(await count('case')).toBe(before);
    });
  });

  describe('export files (mcu import)', () => {
    const pos = () => readExportFile('test/fixtures/import/pos-export.csv');

    it('when a ПОС CSV is imported, then good rows become cases and broken rows are reported by line', async () => {
      const file = await pos();
      const r = await importAppeals(deps, { source: 'pos', header: file.header, rows: file.rows });
      expect(r.status).toBe('done');
      if (r.status !== 'done') return;
      expect(r.summary).toMatchObject({ created: 4, updated: 0, unchanged: 0 });
      expect(r.summary.rejected).toEqual([
        { line: 6, reasons: [expect.stringMatching(/^Дата создания: not a date/)] },
        { line: 7, reasons: ['Текст сообщения: is required'] },
      ]);
      // A quoted field with «;» and a line break is one field; a mapped status moves the case.
      const row = await testDb.handle.db
        .selectFrom('external_appeal')
        .innerJoin('case', 'case.id', 'external_appeal.case_id')
        .select(['case.status', 'case.text', 'case.category'])
        .where('external_appeal.external_id', '=', 'ПОС-1003')
        .executeTakeFirstOrThrow();
      expect(row).toMatchObject({ status: 'closed', category: 'waste', text: expect.stringContaining('неделю,\nмусор') });
    });

    it('when the same file is imported twice, then everything is unchanged', async () => {
      const cases = await count('case');
      const file = await pos();
      const r = await importAppeals(deps, { source: 'pos', header: file.header, rows: file.rows });
      expect(r).toMatchObject({ status: 'done', summary: { created: 0, updated: 0, unchanged: 4 } });
      expect(await count('case')).toBe(cases);
    });

    it('when a windows-1251 CSV is read, then it is detected and decoded', async () => {
      const file = await readCsv(readFileSync('test/fixtures/import/pos-export-cp1251.csv'));
      expect(file.encoding).toBe('windows-1251');
      expect(file.header[0]).toBe('Номер сообщения');
      const r = await importAppeals(deps, { source: 'pos', header: file.header, rows: file.rows });
      expect(r).toMatchObject({ status: 'done', summary: { created: 2, rejected: [] } });
    });

    it('when an ИМ XLSX is imported, then dates are city time, rich text is read, and the regime is social', async () => {
      const file = await readExportFile('test/fixtures/import/im-export.xlsx');
      const r = await importAppeals(deps, { source: 'im', header: file.header, rows: file.rows });
      expect(r).toMatchObject({ status: 'done', summary: { created: 2, rejected: [{ line: 4 }] } });
      const c = await testDb.handle.db
        .selectFrom('external_appeal')
        .innerJoin('case', 'case.id', 'external_appeal.case_id')
        .select(['case.created_at', 'case.regime', 'case.status', 'case.text'])
        .where('external_appeal.source', '=', 'im')
        .where('external_appeal.external_id', '=', '502')
        .executeTakeFirstOrThrow();
      expect(c).toMatchObject({
        created_at: new Date('2026-11-13T04:00:00Z'), // 11:00 in Barnaul
        regime: 'social',
        status: 'closed',
        text: expect.stringContaining('Не убран снег на тротуаре у школы'),
      });
    });

    it('when a file of another system is given, then it says which columns are missing and imports nothing', async () => {
      const cases = await count('case');
      const file = await readExportFile('test/fixtures/import/other-system.csv');
      const r = await importAppeals(deps, { source: 'pos', header: file.header, rows: file.rows });
      expect(r).toMatchObject({
        status: 'wrong_format',
        missing: ['Номер сообщения (externalId)', 'Дата создания (receivedAt)', 'Текст сообщения (text)'],
      });
      expect(await count('case')).toBe(cases);
    });

    it('when an import crashes after some rows, then a re-run completes it without duplicates', async () => {
      const rows = Array.from({ length: 6 }, (_, i) => ({
        line: i + 2,
        cells: {
          'Номер сообщения': `ПОС-90${i}`,
          'Дата создания': '20.11.2026 10:00',
          'Текст сообщения': `Не работает светофор на перекрёстке №${i}`,
        },
      }));
      const header = ['Номер сообщения', 'Дата создания', 'Текст сообщения'];
      const cases = await count('case');
      const crash = importAppeals(deps, {
        source: 'pos',
        header,
        rows,
        onProgress: (done) => {
          if (done === 3) throw new Error('killed');
        },
      });
      await expect(crash).rejects.toThrow('killed');
      expect(await count('case')).toBe(cases + 3);
      const rerun = await importAppeals(deps, { source: 'pos', header, rows });
      expect(rerun).toMatchObject({ status: 'done', summary: { created: 3, unchanged: 3, rejected: [] } });
      expect(await count('case')).toBe(cases + 6);
      expect(await count('external_appeal')).toBe(await count('case'));
    });
  });

  it('the lifecycle path goes only through allowed moves', () => {
    expect(lifecyclePath('triage', 'closed')).toEqual(['assigned', 'answered', 'closed']);
    expect(lifecyclePath('closed', 'in_progress')).toEqual(['reopened', 'in_progress']);
    expect(lifecyclePath('assigned', 'assigned')).toEqual([]);
  });
});
