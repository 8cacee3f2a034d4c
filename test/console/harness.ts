import type { DomainConfig } from '../../config/domain.js';
import { issueLoginLink } from '../../handlers/people/index.js';
import type { Db } from '../../models/database.js';
import { insertOfficial } from '../../models/people-repository.js';
import { bindAccount } from '../../models/staff-account-repository.js';
import type { App } from '../../src/app.js';
import { makeApp, testDomain } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

/**
 * The console's tests: the app (roles http and worker: pages read and act through the same use cases as
 * the API) on a fresh database, and a browser-like client — a cookie jar, the CSRF token read off the last
 * page, forms posted as a browser posts them. Real HTTP on a random port, no browser.
 */
export interface ConsoleApp {
  app: App;
  db: Db;
  testDb: TestDatabase;
  url: string;
  stop(): Promise<void>;
}

export async function startConsoleApp(
  prefix: string,
  env: Record<string, string> = {},
  domain: DomainConfig = testDomain(),
): Promise<ConsoleApp> {
  const testDb = await createTestDatabase(prefix, { migrate: true });
  const { app } = makeApp({ DATABASE_URL: testDb.url, APP_ROLES: 'http,worker', ...env }, {}, domain);
  await app.start();
  const url = app.info.httpUrl;
  if (!url) throw new Error('the app has no HTTP address');
  return {
    app,
    db: testDb.handle.db,
    testDb,
    url,
    stop: async () => {
      await app.stop();
      await testDb.drop();
    },
  };
}

let nextUserId = 910_000;

/** A person with a Telegram account bound (as an accepted invite leaves them); their id and account. */
export async function addPerson(
  db: Db,
  person: { name?: string; role: string; department: string },
): Promise<{ id: number; account: { channel: 'telegram'; userId: string } }> {
  const id = await insertOfficial(
    db,
    { name: person.name ?? `Сотрудник ${person.role}`, role: person.role, department: person.department },
    new Date(),
  );
  const userId = String(nextUserId++);
  await bindAccount(db, id, { channel: 'telegram', userId, chatId: userId }, new Date());
  return { id, account: { channel: 'telegram', userId } };
}

export interface Page {
  status: number;
  html: string;
  headers: Headers;
}

/** A client that keeps cookies and the page's CSRF token, like a browser tab. */
export class ConsoleClient {
  readonly cookies = new Map<string, string>();
  csrf = '';

  constructor(readonly base: string) {}

  async get(path: string, headers: Record<string, string> = {}): Promise<Page> {
    return this.#send('GET', path, undefined, headers);
  }

  /** Posts a form; `_csrf` is added from the last page unless the fields set it (or `csrf: false`). */
  async post(
    path: string,
    fields: Record<string, string | string[]> = {},
    options: { csrf?: boolean; headers?: Record<string, string> } = {},
  ): Promise<Page> {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
    if (options.csrf !== false && !('_csrf' in fields) && this.csrf) body.set('_csrf', this.csrf);
    return this.#send('POST', path, body.toString(), { 'content-type': 'application/x-www-form-urlencoded', ...options.headers });
  }

  async #send(method: string, path: string, body: string | undefined, headers: Record<string, string>): Promise<Page> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(`${this.base}${path}`, {
      method,
      redirect: 'manual',
      headers: { ...(cookie ? { cookie } : {}), ...headers },
      ...(body !== undefined ? { body } : {}),
    });
    for (const set of res.headers.getSetCookie()) {
      const [pair] = set.split(';');
      const [name, ...value] = (pair ?? '').split('=');
      if (!name) continue;
      if (/max-age=0|expires=thu, 01 jan 1970/i.test(set)) this.cookies.delete(name.trim());
      else this.cookies.set(name.trim(), value.join('='));
    }
    const html = await res.text();
    const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? /"X-CSRF-Token": "([^"]+)"/.exec(html)?.[1];
    if (token) this.csrf = token;
    return { status: res.status, html, headers: res.headers };
  }
}

/** Signs `person` in the way staff do: a /login link issued for their account, its page, «Войти». */
export async function signIn(
  console: ConsoleApp,
  person: { account: { channel: 'telegram'; userId: string } },
): Promise<ConsoleClient> {
  const issued = await issueLoginLink({ db: console.db, clock: { now: () => new Date() } }, person.account);
  if (issued.status !== 'issued') throw new Error('no login link: the person is not active');
  const client = new ConsoleClient(console.url);
  const confirm = await client.get(`/console/login/${issued.token}`);
  if (confirm.status !== 200) throw new Error(`login page answered ${confirm.status}`);
  const done = await client.post(`/console/login/${issued.token}`, {}, { csrf: false });
  if (done.status !== 303) throw new Error(`login answered ${done.status}`);
  return client;
}

/** The visible text of an HTML fragment (tags dropped, entities of escaping undone, spaces collapsed). */
export function textOf(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}
