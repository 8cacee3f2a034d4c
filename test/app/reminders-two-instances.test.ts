import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import type { TelegramEmulator } from '../../src/sandbox/telegram-emulator.js';
import { makeApp, startTelegramApp, TEST_API_TOKEN, waitFor } from '../helpers/app.js';
import type { TestDatabase } from '../helpers/database.js';
import { seedCase, seedReminder, seedSource } from '../helpers/rows.js';
import { botMessagesTo, waitForBotMessage } from '../helpers/telegram.js';

const OFFICIAL = 9301;
const CASES = 12;

describe('reminders: two app instances on one database, one restarted in between — each card once', () => {
  let testDb: TestDatabase;
  let emulator: TelegramEmulator;
  let a: App;
  let b: App;
  let stop: () => Promise<void>;

  const workerEnv = () => ({
    DATABASE_URL: testDb.url,
    TELEGRAM_BOT_TOKEN: emulator.token,
    TELEGRAM_API_ROOT: emulator.apiRoot,
    APP_ROLES: 'worker',
  });

  beforeAll(async () => {
    ({ testDb, emulator, app: a, stop } = await startTelegramApp({ database: 'reminders_two' }));
    ({ app: b } = makeApp(workerEnv()));
    await b.start();
    const res = await fetch(`${a.info.httpUrl}/api/v1/officials/invites`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_API_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Дежурный', department: 'roads-transport', role: 'official' }),
    });
    const invite = (await res.json()) as { token: string };
    const c = emulator.server.getClient(emulator.token, { userId: OFFICIAL, chatId: OFFICIAL, firstName: 'Д' });
    await c.sendCommand(c.makeCommand(`/start ${invite.token}`));
    await waitForBotMessage(emulator.server, OFFICIAL, /Вы подключены/);
  });
  afterAll(async () => {
    await b?.stop();
    await stop?.();
  });

  it('when reminders fall due while one instance restarts, then every card arrives exactly once and none early', async () => {
    const db = testDb.handle.db;
    const source = await seedSource(db);
    const start = Date.now();
    const due: { caseId: number; number: string; dueAt: Date }[] = [];
    for (let i = 0; i < CASES; i++) {
      const number = `МЦУ-2026-8${String(i).padStart(5, '0')}`;
      const c = await seedCase(db, {
        number,
        source_id: source.id,
        text: `Напоминание ${i}`,
        department: 'roads-transport',
        deadline_at: new Date(start + 60_000),
      });
      const dueAt = new Date(start + 1_500 + (i % 4) * 1_000);
      await seedReminder(db, { case_id: c.id, kind: 'before:50', at: dueAt });
      // Both instances were told (as if both planned it): the reminder row keeps it to one send.
      await a.queue?.send('remind', { caseId: c.id, kind: 'before:50' }, { startAfter: dueAt });
      await b.queue?.send('remind', { caseId: c.id, kind: 'before:50' }, { startAfter: dueAt });
      due.push({ caseId: c.id, number, dueAt });
    }
    // Instance B goes down as the first reminders fall due and comes back a moment later.
    await new Promise((r) => setTimeout(r, 1_700));
    await b.stop();
    ({ app: b } = makeApp(workerEnv()));
    await b.start();

    await waitFor(async () => {
      const sent = await db.selectFrom('reminder').select('sent_at').where('sent_at', 'is not', null).execute();
      return sent.length === CASES ? true : undefined;
    }, 30_000);
    await waitFor(
      () =>
        due.every((d) => botMessagesTo(emulator.server, OFFICIAL).some((m) => m.text.includes(d.number))) ? true : undefined,
      30_000,
    );
    // Give a duplicate every chance to show up.
    await new Promise((r) => setTimeout(r, 1_500));
    const cards = botMessagesTo(emulator.server, OFFICIAL).filter((m) => m.text.includes('Напоминание'));
    for (const d of due) expect(cards.filter((m) => m.text.includes(d.number))).toHaveLength(1);

    // None went out before its time (timing itself is measured by bench/reminders, not asserted here).
    const rows = await db.selectFrom('reminder').select(['due_at', 'sent_at']).execute();
    for (const r of rows) expect(r.sent_at?.getTime()).toBeGreaterThanOrEqual(r.due_at.getTime() - 5_000);
  });
});
