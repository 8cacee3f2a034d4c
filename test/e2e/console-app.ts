import { readFile } from 'node:fs/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Role } from '../../config/domain.js';
import { freeLoopbackPort } from '../../models/embedded-postgres.js';
import type { TelegramEmulator } from '../../src/sandbox/telegram-emulator.js';
import { apiCall, startTelegramApp, type TestApp } from '../helpers/app.js';
import { botMessagesTo, waitForBotMessage } from '../helpers/telegram.js';
import { launchBrowser } from './browser.js';

/**
 * One app per browser test file: its Telegram bot on the Bot API emulator, the console on a port fixed
 * before the start (the bot's /login links must point at the app's real address), and Chromium. Staff
 * are invited through the API and bound by /start in the emulator, then sign in as people do: /login in
 * the bot, the link opened in the browser, «Войти».
 */
export interface ConsoleE2E {
  t: TestApp & { emulator: TelegramEmulator };
  /** The console's root, e.g. http://127.0.0.1:41234/console (no trailing slash). */
  consoleUrl: string;
  /** A Telegram user of the emulator writing to the bot in their private chat. */
  client(userId: number, firstName?: string): ReturnType<TelegramEmulator['server']['getClient']>;
  /** Sends a command and waits for the bot's reply matching `expected` (only replies after the command count). */
  say(userId: number, command: string, expected: RegExp): Promise<string>;
  /** Sends a text message and waits for the bot's reply matching `expected`. */
  write(userId: number, text: string, expected: RegExp): Promise<string>;
  /** Invites a person through the API and binds them by /start with the invite in the emulator. */
  bindStaff(userId: number, person: { name: string; department: string; role: Role }): Promise<void>;
  /** /login in the bot; the link of its reply, as the person would tap it. */
  loginLink(userId: number): Promise<string>;
  /** A page in a fresh browser context (its own cookies; 10 s for any step), closed by stop(). */
  newPage(): Promise<Page>;
  /** Opens a /login link in `page` and presses «Войти», as the person does. */
  signInWith(page: Page, link: string): Promise<void>;
  /** A fresh page signed in by `userId`'s own /login link. */
  signedIn(userId: number): Promise<Page>;
  stop(): Promise<void>;
}

export async function startConsoleE2E(database: string): Promise<ConsoleE2E> {
  const port = await freeLoopbackPort();
  const consoleUrl = `http://127.0.0.1:${port}/console`;
  const t = await startTelegramApp({ database, env: { HTTP_PORT: String(port), CONSOLE_URL: consoleUrl } });
  let browser: Browser;
  try {
    browser = await launchBrowser();
  } catch (error) {
    await t.stop();
    throw error;
  }
  const contexts: BrowserContext[] = [];

  const client: ConsoleE2E['client'] = (userId, firstName = 'Сотрудник') =>
    t.emulator.server.getClient(t.emulator.token, { userId, chatId: userId, firstName, userName: `u${userId}` });

  const say: ConsoleE2E['say'] = async (userId, command, expected) => {
    const seen = botMessagesTo(t.emulator.server, userId).length;
    const c = client(userId);
    await c.sendCommand(c.makeCommand(command));
    return waitForBotMessage(t.emulator.server, userId, expected, seen);
  };

  const write: ConsoleE2E['write'] = async (userId, text, expected) => {
    const seen = botMessagesTo(t.emulator.server, userId).length;
    const c = client(userId);
    await c.sendMessage(c.makeMessage(text));
    return waitForBotMessage(t.emulator.server, userId, expected, seen);
  };

  const loginLink: ConsoleE2E['loginLink'] = async (userId) => {
    const reply = await say(userId, '/login', /Вход в консоль МЦУ/);
    const link = /https?:\/\/\S+\/console\/login\/\S+/.exec(reply)?.[0];
    if (!link) throw new Error(`no link in the bot's reply: ${reply}`);
    return link;
  };

  const newPage: ConsoleE2E['newPage'] = async () => {
    const context = await browser.newContext({ acceptDownloads: true, locale: 'ru-RU' });
    // Under the test's own timeout, so a step that never happens fails with its locator, not a bare timeout.
    context.setDefaultTimeout(10_000);
    contexts.push(context);
    return context.newPage();
  };

  const signInWith: ConsoleE2E['signInWith'] = async (page, link) => {
    await page.goto(link);
    await page.getByRole('button', { name: 'Войти' }).click();
    await page.waitForURL(/\/console\/(cases|triage)/);
  };

  return {
    t,
    consoleUrl,
    client,
    say,
    write,
    loginLink,
    newPage,
    signInWith,
    async bindStaff(userId, person) {
      const invite = await apiCall(t.app, 'POST', '/api/v1/officials/invites', person);
      if (invite.status !== 201) throw new Error(`invite refused: ${invite.status} ${JSON.stringify(invite.body)}`);
      await say(userId, `/start ${String(invite.body.token)}`, /Вы подключены/);
    },
    async signedIn(userId) {
      const page = await newPage();
      await signInWith(page, await loginLink(userId));
      return page;
    },
    async stop() {
      for (const context of contexts.splice(0)) await context.close();
      await browser.close();
      await t.stop();
    },
  };
}

/** Clicks the page's link named `name` and returns the downloaded file's name and its CSV records (header first). */
export async function downloadCsv(page: Page, name = 'Выгрузить CSV'): Promise<{ filename: string; records: string[][] }> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name }).click()]);
  return { filename: download.suggestedFilename(), records: parseCsv(await readFile(await download.path(), 'utf8')) };
}

/** The values of the column headed `title` in CSV records (header first); throws when there is no such column. */
export function csvColumn(records: string[][], title: string): string[] {
  const [header, ...rows] = records;
  const column = header?.indexOf(title) ?? -1;
  if (column < 0) throw new Error(`no column «${title}» in ${JSON.stringify(header)}`);
  return rows.map((r) => r[column] ?? '');
}

/** RFC 4180 records as the export writes them (`;` between fields, quotes doubled, CRLF), the BOM dropped. */
export function parseCsv(text: string): string[][] {
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
