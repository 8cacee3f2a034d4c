import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addPerson, type ConsoleApp, type ConsoleClient, signIn, startConsoleApp } from './harness.js';

/**
 * Input that can never succeed is a 4xx, never a 500: ids that name nothing, days not in the calendar,
 * text PostgreSQL refuses (NUL), a path parameter longer than the router takes.
 */
describe('console: bad input', () => {
  let c: ConsoleApp;
  let operator: ConsoleClient;

  beforeAll(async () => {
    c = await startConsoleApp('console_bad_input');
    operator = await signIn(c, await addPerson(c.db, { role: 'operator', department: 'mcu' }));
    await operator.get('/console/cases');
  });
  afterAll(async () => {
    await c?.stop();
  });

  it.each([
    ['POST', '/console/decisions/answers/abc'],
    ['POST', '/console/decisions/answers/0'],
    ['POST', '/console/decisions/extensions/1e0'],
    ['GET', '/console/pages/abc'],
    ['POST', '/console/pages/0'],
    ['POST', '/console/people/abc/invite'],
    ['POST', '/console/people/0/deactivate'],
    ['POST', '/console/sources/abc/approve'],
    ['POST', '/console/sources/1/explode'],
  ])('when %s %s names no record, then 404', async (method, path) => {
    const page = method === 'GET' ? await operator.get(path) : await operator.post(path, { decision: 'approve' });
    expect(page.status).toBe(404);
    expect(page.html).toContain('Не найдено');
  });

  it.each(['to=2026-99-99', 'from=2026-02-30', 'from=2026-2-3'])(
    'when the cases list gets the impossible day %s, then 400 with the field marked',
    async (query) => {
      const page = await operator.get(`/console/cases?${query}`);
      expect(page.status).toBe(400);
      const field = query.split('=')[0] as string;
      expect(page.html).toMatch(new RegExp(`name="${field}"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*name="${field}"`));
    },
  );

  it('when the cases export gets an impossible day, then 400', async () => {
    expect((await operator.get('/console/cases.csv?to=2026-99-99')).status).toBe(400);
  });

  it.each([
    '/console/cases?q=%00',
    '/console/cases?district=%00',
    '/console/cases.csv?q=%00',
    '/console/cases.xlsx?district=a%00b',
    '/console/triage?district=%00',
    '/console/triage/rows?district=%00',
    '/console/triage.csv?district=%00',
    '/console/overdue?department=%00',
    '/console/overdue.csv?department=%00',
    '/console/decisions?department=%00',
    '/console/pages?owner=%00',
    '/console/pages.csv?owner=%00',
    '/console/people?department=%00',
    '/console/broadcasts?status=%00',
  ])('when %s carries a NUL, then 400', async (path) => {
    const page = await operator.get(path);
    expect(page.status).toBe(400);
  });

  it('when an invite names a person with a NUL, then 400 with the name marked and nobody is invited', async () => {
    await operator.get('/console/people');
    const page = await operator.post('/console/people/invite', {
      name: 'Иван\u0000Петров',
      role: 'official',
      department: 'roads-transport',
    });
    expect(page.status).toBe(400);
    expect(page.html).toContain('В тексте недопустимые символы.');
    const rows = await c.db.selectFrom('official').select('id').where('name', 'like', 'Иван%').execute();
    expect(rows).toHaveLength(0);
  });

  it('when a decision comment carries a NUL, then 400 and not 500', async () => {
    await operator.get('/console/decisions');
    const page = await operator.post('/console/decisions/answers/1', { decision: 'approve', comment: 'a\u0000b' });
    expect(page.status).toBe(400);
  });

  it.each(['/console/login/', '/console/cases/', '/console/pages/'])(
    'when %s gets a path parameter over 100 characters, then 404',
    async (prefix) => {
      const page = await operator.get(`${prefix}${'a'.repeat(101)}`);
      expect(page.status).toBe(404);
    },
  );
});
