import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueLoginLink } from '../../handlers/people/index.js';
import { addPerson, type ConsoleApp, ConsoleClient, signIn, startConsoleApp, textOf } from './harness.js';

/** The login link's POST is public: another site must not sign a browser in; a new sign-in ends the old session. */
describe('console sign-in: origin and sessions', () => {
  let c: ConsoleApp;
  beforeAll(async () => {
    c = await startConsoleApp('console_login_origin');
  });
  afterAll(async () => {
    await c?.stop();
  });

  async function link(role = 'operator'): Promise<string> {
    const person = await addPerson(c.db, { role, department: 'mcu' });
    const issued = await issueLoginLink({ db: c.db, clock: { now: () => new Date() } }, person.account);
    if (issued.status !== 'issued') throw new Error('not issued');
    return issued.token;
  }

  it.each([
    [{ origin: 'https://evil.example' }],
    [{ origin: 'null' }],
    [{ 'sec-fetch-site': 'cross-site' }],
    [{ 'sec-fetch-site': 'same-site', origin: 'http://localhost' }],
  ])('when the login POST comes from another site (%o), then 403 and the link still works from the console', async (headers) => {
    const token = await link();
    const client = new ConsoleClient(c.url);
    const forged = await client.post(`/console/login/${token}`, {}, { csrf: false, headers });
    expect(forged.status).toBe(403);
    expect(textOf(forged.html)).toContain('Вход возможен только со страницы консоли');
    expect(client.cookies.size).toBe(0);
    const own = await client.post(`/console/login/${token}`, {}, { csrf: false });
    expect(own.status).toBe(303);
  });

  it('when the login POST carries the console’s own origin and same-origin, then it signs in', async () => {
    const token = await link();
    const client = new ConsoleClient(c.url);
    const page = await client.post(
      `/console/login/${token}`,
      {},
      { csrf: false, headers: { origin: new URL(c.url).origin, 'sec-fetch-site': 'same-origin' } },
    );
    expect(page.status).toBe(303);
    expect((await client.get('/console/cases')).status).toBe(200);
  });

  it('when someone signs in while another session is in the browser, then that session ends', async () => {
    const first = await signIn(c, await addPerson(c.db, { name: 'Первый Вошедший', role: 'operator', department: 'mcu' }));
    const oldCookie = first.cookies.get('mcu_console') ?? '';
    expect(oldCookie).not.toBe('');
    const token = await link();
    expect((await first.post(`/console/login/${token}`, {}, { csrf: false })).status).toBe(303);
    const stale = new ConsoleClient(c.url);
    stale.cookies.set('mcu_console', oldCookie);
    const page = await stale.get('/console/cases');
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/console/login?reason=expired');
    expect((await first.get('/console/cases')).status).toBe(200);
  });

  it('when a session is set, then its cookie has no Max-Age or Expires: it lasts until the browser closes', async () => {
    const token = await link();
    const signed = await new ConsoleClient(c.url).post(`/console/login/${token}`, {}, { csrf: false });
    const cookie = signed.headers.getSetCookie().find((s) => s.startsWith('mcu_console=')) ?? '';
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).not.toMatch(/max-age|expires/i);
  });
});
