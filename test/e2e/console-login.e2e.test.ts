import { readFile } from 'node:fs/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueLoginLink } from '../../handlers/people/index.js';
import { freeLoopbackPort } from '../../models/embedded-postgres.js';
import type { TelegramEmulator } from '../../src/sandbox/telegram-emulator.js';
import { apiCall, startTelegramApp, type TestApp } from '../helpers/app.js';
import { seedCase } from '../helpers/rows.js';
import { botMessagesTo, waitForBotMessage } from '../helpers/telegram.js';
import { browserAvailable, launchBrowser } from './browser.js';

/**
 * The console in a real browser, signed in the way staff sign in: an operator bound to the staff bot
 * through an invite, /login in Telegram (the Bot API emulator), the link from the bot's reply opened in
 * Chromium, «Войти», the cases list filtered, its CSV downloaded; a wrong or old link; «Выйти везде».
 */
describe.skipIf(!browserAvailable())('console in Chromium: /login in the bot → the link → the cases → CSV', () => {
  let t: TestApp & { emulator: TelegramEmulator };
  let browser: Browser;
  let consoleUrl: string;
  const operator = 7501;
  const contexts: BrowserContext[] = [];

  const say = async (userId: number, command: string, expected: RegExp): Promise<string> => {
    const seen = botMessagesTo(t.emulator.server, userId).length;
    const client = t.emulator.server.getClient(t.emulator.token, { userId, chatId: userId, firstName: 'Оператор' });
    await client.sendCommand(client.makeCommand(command));
    return waitForBotMessage(t.emulator.server, userId, expected, seen);
  };

  /** /login in the bot; the link of its reply, as the person would tap it. */
  const loginLink = async (userId: number): Promise<string> => {
    const reply = await say(userId, '/login', /Вход в консоль МЦУ/);
    const link = /https?:\/\/\S+\/console\/login\/\S+/.exec(reply)?.[0];
    if (!link) throw new Error(`no link in the bot's reply: ${reply}`);
    return link;
  };

  const newPage = async (): Promise<Page> => {
    const context = await browser.newContext({ acceptDownloads: true, locale: 'ru-RU' });
    contexts.push(context);
    return context.newPage();
  };

  /** Opens a /login link in `page` and presses «Войти», as the person does. */
  const signInWith = async (page: Page, link: string): Promise<void> => {
    await page.goto(link);
    await page.getByRole('button', { name: 'Войти' }).click();
    await page.waitForURL(/\/console\/(cases|triage)/);
  };

  beforeAll(async () => {
    // The link must point at the app's real address: the port is chosen before the app starts.
    const port = await freeLoopbackPort();
    consoleUrl = `http://127.0.0.1:${port}/console`;
    t = await startTelegramApp({ database: 'e2e_console', env: { HTTP_PORT: String(port), CONSOLE_URL: consoleUrl } });
    const invite = await apiCall(t.app, 'POST', '/api/v1/officials/invites', {
      name: 'Ольга Браузерова',
      department: 'mcu',
      role: 'operator',
    });
    expect(invite.status).toBe(201);
    await say(operator, `/start ${String(invite.body.token)}`, /Вы подключены/);
    const db = t.testDb.handle.db;
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
    browser = await launchBrowser();
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await t?.stop();
  });

  it("when an operator opens the bot's link and presses «Войти», then the cases filtered in the browser are exactly the CSV it downloads", async () => {
    const link = await loginLink(operator);
    expect(link.startsWith(`${consoleUrl}/login/`)).toBe(true);
    const page = await newPage();
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

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Выгрузить CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.csv$/);
    const [header, ...rows] = parseCsv(await readFile(await download.path(), 'utf8'));
    const column = header?.indexOf('Номер') ?? -1;
    expect(column).toBeGreaterThanOrEqual(0);
    expect(rows.map((r) => r[column]).sort()).toEqual(shown.sort());
  });

  it('when a link is wrong, spent or older than 5 minutes, then the page says so in Russian and signs nobody in', async () => {
    const page = await newPage();
    const refused = 'Ссылка для входа устарела или уже использована';
    const wrong = await page.goto(`${consoleUrl}/login/not-a-real-token`);
    expect(wrong?.status()).toBe(401);
    expect(await page.locator('main').textContent()).toContain(refused);
    expect(await page.getByRole('button', { name: 'Войти' }).count()).toBe(0);

    const spent = await loginLink(operator);
    await signInWith(await newPage(), spent);
    await page.goto(spent);
    expect(await page.locator('main').textContent()).toContain(refused);

    const account = { channel: 'telegram' as const, userId: String(operator) };
    const old = await issueLoginLink(
      { db: t.testDb.handle.db, clock: { now: () => new Date(Date.now() - 6 * 60_000) } },
      account,
    );
    if (old.status !== 'issued') throw new Error('no link issued');
    await page.goto(`${consoleUrl}/login/${old.token}`);
    expect(await page.locator('main').textContent()).toContain(refused);
    await page.goto(`${consoleUrl}/cases`);
    expect(new URL(page.url()).pathname).toBe('/console/login');
  });

  it('when the operator presses «Выйти везде», then this and every other browser of theirs lands on the login page', async () => {
    const here = await newPage();
    const elsewhere = await newPage();
    await signInWith(here, await loginLink(operator));
    await signInWith(elsewhere, await loginLink(operator));

    await here.getByRole('button', { name: 'Выйти везде' }).click();
    await here.waitForURL(/\/console\/login\?reason=everywhere/);
    expect(await here.getByRole('status').textContent()).toContain('Вы вышли из консоли на всех устройствах');
    await here.goto(`${consoleUrl}/cases`);
    expect(new URL(here.url()).pathname).toBe('/console/login');

    await elsewhere.goto(`${consoleUrl}/cases`);
    expect(new URL(elsewhere.url()).pathname).toBe('/console/login');
    expect(await elsewhere.getByRole('status').textContent()).toContain('Сессия истекла');
  });
});

/** RFC 4180 records as the export writes them (`;` between fields, quotes doubled, CRLF), the BOM dropped. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  const body = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (quoted) {
      if (ch === '"' && body[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
      continue;
    }
    if (ch === '"') quoted = true;
    else if (ch === ';' || ch === '\n') {
      record.push(field.replace(/\r$/, ''));
      field = '';
      if (ch === '\n') {
        records.push(record);
        record = [];
      }
    } else field += ch;
  }
  if (field !== '' || record.length > 0) records.push([...record, field]);
  return records;
}
