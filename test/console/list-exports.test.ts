import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedAnswer, seedCase, seedSource } from '../helpers/rows.js';
import { addPerson, type ConsoleApp, type ConsoleClient, signIn, startConsoleApp } from './harness.js';

const DAY = 86_400_000;

/** The first `column` (0-based) of each CSV record after the header. */
function csvColumn(csv: string, column = 0): string[] {
  const lines = csv
    .replace(/^\uFEFF/, '')
    .split(/\r\n/)
    .filter(Boolean);
  return lines.slice(1).map((l) => l.split(';')[column]?.replace(/^"|"$/g, '') as string);
}

const ids = (html: string, re: RegExp) => [...html.matchAll(re)].map((m) => m[1] as string);

/** «Решения», «Рассылки», «Источники», «Сотрудники»: «Выгрузить CSV / XLSX» gives the rows the list shows, for the same filters. */
describe('console: the lists’ exports', () => {
  let c: ConsoleApp;
  let operator: ConsoleClient;

  beforeAll(async () => {
    c = await startConsoleApp('console_list_exports');
    operator = await signIn(c, await addPerson(c.db, { role: 'operator', department: 'mcu' }));
  });
  afterAll(async () => {
    await c?.stop();
  });

  it('when the decisions list is filtered by department, then its CSV has the same cases in the same order, and the XLSX downloads', async () => {
    const author = await addPerson(c.db, { name: 'Автор Ответов', role: 'official', department: 'housing-utilities' });
    for (const department of ['housing-utilities', 'roads-transport', 'housing-utilities']) {
      const kase = await seedCase(c.db, { department, deadline_at: new Date(Date.now() + DAY) });
      await seedAnswer(c.db, {
        case_id: kase.id,
        state: 'held',
        text: 'Принято к сведению.',
        author: `official:${author.id}`,
        quality: JSON.stringify({ ok: false, problems: ['too_short'] }),
      });
      const ext = await seedCase(c.db, { department, status: 'in_progress', deadline_at: new Date(Date.now() + DAY) });
      await c.db
        .insertInto('extension_request')
        .values({
          case_id: ext.id,
          requested_by: `official:${author.id}`,
          reason: 'Нужен подрядчик',
          previous_deadline_at: new Date(Date.now() + DAY),
          requested_until: new Date(Date.now() + 5 * DAY),
          created_at: new Date(),
        })
        .execute();
    }
    const page = await operator.get('/console/decisions?department=housing-utilities');
    expect(page.html).toContain('href="/console/decisions.csv?department=housing-utilities"');
    const shown = ids(page.html, /<h3 id="(?:answer|extension)-\d+-h"><a href="\/console\/cases\/([^"]+)">/g);
    expect(shown).toHaveLength(4);
    const csv = await operator.get('/console/decisions.csv?department=housing-utilities');
    expect(csv.status).toBe(200);
    expect(csvColumn(csv.html, 1)).toEqual(shown);
    expect(csvColumn(csv.html, 0)).toEqual([
      'Удержанный ответ',
      'Удержанный ответ',
      'Запрос на продление',
      'Запрос на продление',
    ]);
    const only = await operator.get('/console/decisions.csv?department=housing-utilities&kind=extensions');
    expect(csvColumn(only.html, 1)).toEqual(shown.slice(2));
    const xlsx = await operator.get('/console/decisions.xlsx?department=housing-utilities');
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get('content-type')).toContain('spreadsheetml');
  });

  it('when the broadcasts list is filtered by status, then its CSV lists the same broadcasts', async () => {
    for (const [title, status] of [
      ['Вода', 'draft'],
      ['Снег', 'done'],
      ['Свет', 'draft'],
    ] as const)
      await c.db
        .insertInto('broadcast')
        .values({
          title,
          text: title,
          segment: JSON.stringify({ kind: 'subscribers' }),
          priority: 'normal',
          author: 'test',
          status,
        })
        .execute();
    const page = await operator.get('/console/broadcasts?status=draft');
    expect(page.html).toContain('href="/console/broadcasts.csv?status=draft"');
    const shown = ids(page.html, /<td data-label="Рассылка"><a href="\/console\/broadcasts\/(\d+)">/g);
    expect(shown).toHaveLength(2);
    const csv = await operator.get('/console/broadcasts.csv?status=draft');
    expect(csvColumn(csv.html)).toEqual(shown);
    expect(csvColumn(csv.html, 1)).toEqual(['Свет', 'Вода']);
  });

  it('when the sources list is filtered, then its CSV lists the same sources', async () => {
    await seedSource(c.db, { channel: 'vk', kind: 'public_community', title: 'Паблик', status: 'pending' });
    await seedSource(c.db, { channel: 'telegram', kind: 'city_chat', title: 'Чат', status: 'active' });
    await seedSource(c.db, { channel: 'telegram', kind: 'city_chat', title: 'Ещё чат', status: 'pending' });
    const page = await operator.get('/console/sources?status=pending');
    expect(page.html).toContain('href="/console/sources.csv?status=pending"');
    const shown = ids(page.html, /<tr id="source-(\d+)">/g);
    expect(shown.length).toBeGreaterThanOrEqual(2);
    const csv = await operator.get('/console/sources.csv?status=pending');
    expect(csvColumn(csv.html)).toEqual(shown);
  });

  it('when the people list is filtered by role, then its CSV lists the same people; an official may not export it', async () => {
    await addPerson(c.db, { name: 'Исполнитель Один', role: 'official', department: 'roads-transport' });
    const page = await operator.get('/console/people?role=official');
    expect(page.html).toContain('href="/console/people.csv?role=official"');
    const shown = ids(page.html, /<tr id="person-(\d+)">/g);
    expect(shown.length).toBeGreaterThanOrEqual(2);
    const csv = await operator.get('/console/people.csv?role=official');
    expect(csvColumn(csv.html)).toEqual(shown);
    const official = await signIn(c, await addPerson(c.db, { role: 'official', department: 'roads-transport' }));
    expect((await official.get('/console/people.csv')).status).toBe(403);
    expect((await official.get('/console/sources.csv')).status).toBe(403);
    expect((await official.get('/console/decisions.csv')).status).toBe(403);
  });
});
