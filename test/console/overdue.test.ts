import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCase, seedReminder } from '../helpers/rows.js';
import { addPerson, type ConsoleApp, signIn, startConsoleApp, textOf } from './harness.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The case numbers of the «Сроки» table, in the order shown. */
function listed(html: string): string[] {
  const table = /<table class="responsive" id="overdue">[\s\S]*?<\/table>/.exec(html)?.[0] ?? '';
  return [...table.matchAll(/<a href="\/console\/cases\/([^"]+)">/g)].map((m) => m[1] as string);
}

/** The first column (the case number) of each CSV record after the header. */
function csvNumbers(csv: string): string[] {
  const lines = csv
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .filter(Boolean);
  return lines.slice(1).map((l) => l.split(';')[0] as string);
}

/** «Сроки»: overdue and at-risk open cases, by role, with escalation steps and an export of the same rows. */
describe('console: overdue and at risk', () => {
  let c: ConsoleApp;
  const n: Record<string, string> = {};

  beforeAll(async () => {
    c = await startConsoleApp('console_overdue');
    const now = Date.now();
    const make = async (key: string, over: Parameters<typeof seedCase>[1]) => {
      const row = await seedCase(c.db, { number: `МЦУ-2026-9${String(Object.keys(n).length).padStart(5, '0')}`, ...over });
      n[key] = row.number;
      return row;
    };
    const late = await make('housingLate', {
      department: 'housing-utilities',
      category: 'heating',
      deadline_at: new Date(now - 2 * DAY),
      text: 'Холодные батареи третью неделю',
    });
    await make('housingRisk', { department: 'housing-utilities', deadline_at: new Date(now + HOUR), status: 'in_progress' });
    await make('roadsLate', { department: 'roads-transport', deadline_at: new Date(now - DAY), priority: 'urgent' });
    await make('roadsLater', { department: 'roads-transport', deadline_at: new Date(now + 20 * DAY) });
    await make('closedLate', { department: 'housing-utilities', deadline_at: new Date(now - 3 * DAY), status: 'closed' });
    await make('pausedLate', {
      department: 'housing-utilities',
      deadline_at: new Date(now - 3 * DAY),
      paused_at: new Date(now - 4 * DAY),
    });
    await seedReminder(c.db, {
      case_id: late.id,
      kind: 'escalate:department_head',
      at: new Date(now - 2 * DAY),
      sent_at: new Date(now - 2 * DAY),
      outcome: 'sent',
    });
    await seedReminder(c.db, { case_id: late.id, kind: 'escalate:block_owner', at: new Date(now + HOUR) });
  });
  afterAll(async () => {
    await c?.stop();
  });

  it('when an operator opens the page, then every department’s overdue and at-risk cases show, most overdue first, with counts and the escalation step', async () => {
    const client = await signIn(c, await addPerson(c.db, { role: 'operator', department: 'mcu' }));
    const page = await client.get('/console/overdue');
    expect(page.status).toBe(200);
    expect(listed(page.html)).toEqual([n.housingLate, n.roadsLate, n.housingRisk]);
    const text = textOf(page.html);
    expect(text).toContain('Комитет жилищно-коммунального хозяйства города Барнаула');
    expect(text).toContain('Комитет по дорожному хозяйству и транспорту города Барнаула');
    expect(text).toContain('до конца следующего рабочего дня');
    // The escalation: the department head was told; the block owner comes next.
    const row =
      /<tr>\s*<td data-label="Номер"><a href="\/console\/cases\/МЦУ-2026-900000">[\s\S]*?<\/tr>/.exec(page.html)?.[0] ?? '';
    expect(textOf(row)).toContain('Руководитель органа администрации');
    expect(textOf(row)).toContain('далее: Ответственный за отраслевой тематический блок');
    expect(textOf(row)).toContain('Просрочено');
    // Counts per department: housing 1 overdue + 1 at risk, roads 1 overdue.
    const counts = textOf(
      /<table class="responsive" aria-labelledby="by-department">[\s\S]*?<\/table>/.exec(page.html)?.[0] ?? '',
    );
    expect(counts).toMatch(/Всего 2 1/);
  });

  it('when the list is filtered, then the URL says how and only those cases show', async () => {
    const client = await signIn(c, await addPerson(c.db, { role: 'head', department: 'mcu' }));
    expect(listed((await client.get('/console/overdue?state=risk')).html)).toEqual([n.housingRisk]);
    expect(listed((await client.get('/console/overdue?state=overdue&department=roads-transport')).html)).toEqual([n.roadsLate]);
    expect(listed((await client.get('/console/overdue?priority=urgent')).html)).toEqual([n.roadsLate]);
    const bad = await client.get('/console/overdue?state=never');
    expect(bad.html).toContain('aria-invalid="true"');
  });

  it('when an official opens the page, then only their department shows and another department is 403', async () => {
    const client = await signIn(c, await addPerson(c.db, { role: 'official', department: 'housing-utilities' }));
    const page = await client.get('/console/overdue');
    expect(page.status).toBe(200);
    expect(listed(page.html)).toEqual([n.housingLate, n.housingRisk]);
    expect(page.html).not.toContain('id="f-department"');
    expect((await client.get('/console/overdue?department=roads-transport')).status).toBe(403);
    expect((await client.get('/console/overdue.csv?department=roads-transport')).status).toBe(403);
  });

  it('when the list is exported as CSV, then the file has exactly the rows shown, in the same order', async () => {
    const client = await signIn(c, await addPerson(c.db, { role: 'operator', department: 'mcu' }));
    for (const query of ['', '?state=overdue', '?department=housing-utilities']) {
      const shown = listed((await client.get(`/console/overdue${query}`)).html);
      const csv = await client.get(`/console/overdue.csv${query}`);
      expect(csv.status).toBe(200);
      expect(csv.headers.get('content-type')).toContain('text/csv');
      expect(csvNumbers(csv.html)).toEqual(shown);
    }
    const csv = (await client.get('/console/overdue.csv')).html;
    expect(csv).toContain('Эскалация: достигнутый шаг');
    expect(csv).toContain('Холодные батареи третью неделю');
    const xlsx = await client.get('/console/overdue.xlsx');
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get('content-disposition')).toMatch(/overdue-\d{4}-\d{2}-\d{2}\.xlsx/);
  });

  it('when there are more cases than a page, then «Дальше» continues after the last one without repeats', async () => {
    const now = Date.now();
    for (let i = 0; i < 55; i++)
      await seedCase(c.db, { department: 'landscaping', deadline_at: new Date(now - (100 - i) * HOUR) });
    const client = await signIn(c, await addPerson(c.db, { role: 'operator', department: 'mcu' }));
    const first = await client.get('/console/overdue?department=landscaping');
    const one = listed(first.html);
    expect(one).toHaveLength(50);
    const next = /href="(\/console\/overdue\?[^"]*after=[^"]+)" rel="next"/.exec(first.html)?.[1]?.replaceAll('&amp;', '&');
    expect(next).toBeDefined();
    const two = listed((await client.get(next as string)).html);
    expect(two).toHaveLength(5);
    expect(new Set([...one, ...two]).size).toBe(55);
    const csv = await client.get('/console/overdue.csv?department=landscaping');
    expect(csvNumbers(csv.html)).toEqual([...one, ...two]);
  });
});
