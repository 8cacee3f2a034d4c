import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deactivate, issueLoginLink } from '../../handlers/people/index.js';
import { addPerson, type ConsoleApp, ConsoleClient, signIn, startConsoleApp, textOf } from './harness.js';

/** Signing in to the console by the bot's one-time link, sessions, CSRF, signing out (invented people). */
describe('console sign-in', () => {
  let c: ConsoleApp;
  beforeAll(async () => {
    c = await startConsoleApp('console_login');
  });
  afterAll(async () => {
    await c?.stop();
  });

  it('when nobody is signed in, then a page redirects to the login page, which explains /login', async () => {
    const client = new ConsoleClient(c.url);
    const page = await client.get('/console/cases');
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/console/login');
    const login = await client.get('/console/login');
    expect(login.status).toBe(200);
    expect(textOf(login.html)).toContain('отправьте команду /login');
  });

  it('when a link is opened, then its page names the person and only «Войти» spends it; a second use is refused', async () => {
    const person = await addPerson(c.db, { name: 'Анна Операторова', role: 'operator', department: 'mcu' });
    const issued = await issueLoginLink({ db: c.db, clock: { now: () => new Date() } }, person.account);
    if (issued.status !== 'issued') throw new Error('not issued');
    const client = new ConsoleClient(c.url);
    // A messenger's link preview opens the link: that must not spend it.
    expect((await client.get(`/console/login/${issued.token}`)).status).toBe(200);
    const confirm = await client.get(`/console/login/${issued.token}`);
    expect(textOf(confirm.html)).toContain('Анна Операторова');
    const signedIn = await client.post(`/console/login/${issued.token}`, {}, { csrf: false });
    expect(signedIn.status).toBe(303);
    const cookie = signedIn.headers.getSetCookie().join(';');
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    const cases = await client.get('/console/cases');
    expect(cases.status).toBe(200);
    expect(textOf(cases.html)).toContain('Анна Операторова');

    const again = await new ConsoleClient(c.url).post(`/console/login/${issued.token}`, {}, { csrf: false });
    expect(again.status).toBe(401);
    expect(textOf(again.html)).toContain('Ссылка для входа устарела или уже использована');
  });

  it('when a link is older than 5 minutes, then it opens nothing and says so', async () => {
    const person = await addPerson(c.db, { role: 'official', department: 'housing-utilities' });
    const past = { now: () => new Date(Date.now() - 6 * 60_000) };
    const issued = await issueLoginLink({ db: c.db, clock: past }, person.account);
    if (issued.status !== 'issued') throw new Error('not issued');
    const page = await new ConsoleClient(c.url).get(`/console/login/${issued.token}`);
    expect(page.status).toBe(401);
    expect(textOf(page.html)).toContain('устарела');
    expect((await new ConsoleClient(c.url).get('/console/login/not-a-token')).status).toBe(401);
  });

  it('when a form comes without the CSRF token or with a wrong one, then 403 and nothing happens', async () => {
    const person = await addPerson(c.db, { role: 'operator', department: 'mcu' });
    const client = await signIn(c, person);
    await client.get('/console/cases');
    expect((await client.post('/console/logout', {}, { csrf: false })).status).toBe(403);
    expect((await client.post('/console/logout', { _csrf: 'x'.repeat(43) })).status).toBe(403);
    expect((await client.get('/console/cases')).status).toBe(200);
    const out = await client.post('/console/logout');
    expect(out.status).toBe(303);
    expect(out.headers.get('location')).toBe('/console/login?reason=signed_out');
  });

  it('when a person signs out everywhere or is deactivated, then every session of theirs ends at once', async () => {
    const person = await addPerson(c.db, { role: 'official', department: 'housing-utilities' });
    const tab1 = await signIn(c, person);
    const tab2 = await signIn(c, person);
    await tab1.get('/console/cases');
    expect((await tab1.post('/console/logout/everywhere')).status).toBe(303);
    const expired = await tab2.get('/console/cases');
    expect(expired.status).toBe(303);
    expect(expired.headers.get('location')).toBe('/console/login?reason=expired');
    expect(textOf((await tab2.get('/console/login?reason=expired')).html)).toContain('Сессия истекла');

    const tab3 = await signIn(c, person);
    expect((await tab3.get('/console/cases')).status).toBe(200);
    await deactivate(
      { db: c.db, clock: { now: () => new Date() } },
      { officialId: person.id, actor: { type: 'api', author: 'test' } },
    );
    expect((await tab3.get('/console/cases')).status).toBe(303);
  });

  it('when an official signs in, then the menu has no operator sections and their pages are 403', async () => {
    const person = await addPerson(c.db, { role: 'official', department: 'housing-utilities' });
    const client = await signIn(c, person);
    const home = await client.get('/console/');
    expect(home.headers.get('location')).toBe('/console/cases');
    const cases = await client.get('/console/cases');
    const menu = textOf(/<nav aria-label="Разделы">[\s\S]*?<\/nav>/.exec(cases.html)?.[0] ?? '');
    expect(menu).toContain('Обращения');
    expect(menu).not.toContain('Разбор');
    expect(menu).not.toContain('Сотрудники');
    expect((await client.get('/console/cases?department=roads-transport')).status).toBe(403);
  });
});
