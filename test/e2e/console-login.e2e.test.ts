import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueLoginLink } from '../../handlers/people/index.js';
import { seedCase } from '../helpers/rows.js';
import { browserAvailable } from './browser.js';
import { type ConsoleE2E, csvColumn, downloadCsv, startConsoleE2E } from './console-app.js';

/**
 * The console in a real browser, signed in the way staff sign in: an operator bound to the staff bot
 * through an invite, /login in Telegram (the Bot API emulator), the link from the bot's reply opened in
 * Chromium, «Войти», the cases list filtered, its CSV downloaded; a wrong or old link; «Выйти везде».
 */
describe.skipIf(!browserAvailable())('console in Chromium: /login in the bot → the link → the cases → CSV', () => {
  let e: ConsoleE2E;
  const operator = 7501;

  beforeAll(async () => {
    e = await startConsoleE2E('e2e_console');
    await e.bindStaff(operator, { name: 'Ольга Браузерова', department: 'mcu', role: 'operator' });
    const db = e.t.testDb.handle.db;
    const base = Date.now() - 3 * 86_400_000;
    for (let i = 0; i < 9; i++) {
      await seedCase(db, {
        number: `МЦУ-2026-7100${String(i).padStart(2, '0')}`,
        text: `Яма на дороге, дом ${i + 1}`,
        district: i % 3 === 0 ? 'leninsky' : 'central',
        department: 'roads-transport',
        category: 'roads',
        at: new Date(base + i * 3_600_000),
      });
    }
  });

  afterAll(() => e?.stop());

  it("when an operator opens the bot's link and presses «Войти», then the cases filtered in the browser are exactly the CSV it downloads", async () => {
    const link = await e.loginLink(operator);
    expect(link.startsWith(`${e.consoleUrl}/login/`)).toBe(true);
    const page = await e.newPage();
    await page.goto(link);
    expect(await page.locator('main').textContent()).toContain('Ольга Браузерова');
    await page.getByRole('button', { name: 'Войти' }).click();
    await page.waitForURL(/\/console\/(cases|triage)/);
    // The session's secret is HTTP-only: no script on the page can read it.
    expect(await page.context().cookies()).toEqual([
      expect.objectContaining({ httpOnly: true, sameSite: 'Lax', path: '/console' }),
    ]);
    expect(await page.evaluate<string>('document.cookie')).toBe('');

    await page.getByRole('navigation', { name: 'Разделы' }).getByRole('link', { name: 'Обращения' }).click();
    await page.waitForURL(/\/console\/cases/);
    expect(await page.getByRole('link', { name: 'Обращения' }).getAttribute('aria-current')).toBe('page');
    await page.getByLabel('Район', { exact: true }).selectOption('leninsky');
    await page.getByRole('button', { name: 'Показать' }).click();
    await page.waitForURL(/district=leninsky/);
    const shown = await page.locator('#cases tbody td[data-label="Номер"] a').allTextContents();
    expect(shown.sort()).toEqual(['МЦУ-2026-710000', 'МЦУ-2026-710003', 'МЦУ-2026-710006']);

    const { filename, records } = await downloadCsv(page);
    expect(filename).toMatch(/\.csv$/);
    expect(csvColumn(records, 'Номер').sort()).toEqual(shown.sort());
  });

  it('when a link is wrong, spent or older than 5 minutes, then the page says so in Russian and signs nobody in', async () => {
    const page = await e.newPage();
    const refused = 'Ссылка для входа устарела или уже использована';
    const wrong = await page.goto(`${e.consoleUrl}/login/not-a-real-token`);
    expect(wrong?.status()).toBe(401);
    expect(await page.locator('main').textContent()).toContain(refused);
    expect(await page.getByRole('button', { name: 'Войти' }).count()).toBe(0);

    const spent = await e.loginLink(operator);
    await e.signInWith(await e.newPage(), spent);
    await page.goto(spent);
    expect(await page.locator('main').textContent()).toContain(refused);

    const account = { channel: 'telegram' as const, userId: String(operator) };
    const old = await issueLoginLink(
      { db: e.t.testDb.handle.db, clock: { now: () => new Date(Date.now() - 6 * 60_000) } },
      account,
    );
    if (old.status !== 'issued') throw new Error('no link issued');
    await page.goto(`${e.consoleUrl}/login/${old.token}`);
    expect(await page.locator('main').textContent()).toContain(refused);
    await page.goto(`${e.consoleUrl}/cases`);
    expect(new URL(page.url()).pathname).toBe('/console/login');
  });

  it('when the operator presses «Выйти везде», then this and every other browser of theirs lands on the login page', async () => {
    const here = await e.signedIn(operator);
    const elsewhere = await e.signedIn(operator);

    await here.getByRole('button', { name: 'Выйти везде' }).click();
    await here.waitForURL(/\/console\/login\?reason=everywhere/);
    expect(await here.getByRole('status').textContent()).toContain('Вы вышли из консоли на всех устройствах');
    await here.goto(`${e.consoleUrl}/cases`);
    expect(new URL(here.url()).pathname).toBe('/console/login');

    await elsewhere.goto(`${e.consoleUrl}/cases`);
    expect(new URL(elsewhere.url()).pathname).toBe('/console/login');
    expect(await elsewhere.getByRole('status').textContent()).toContain('Сессия истекла');
  });
});
