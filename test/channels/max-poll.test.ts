import { describe, expect, it } from 'vitest';
import { makeApp, waitFor } from '../helpers/app.js';
import { createTestDatabase } from '../helpers/database.js';
import { MaxApiFake, maxUpdates } from '../helpers/max-fake.js';

const CITIZEN = { userId: 5_550_301, firstName: 'Игорь' };
const DIALOG = 8_000_301;

describe('MAX long polling (GET /updates) against the MAX Bot API fake', () => {
  it('when updates arrive, they are stored; after a restart, what came meanwhile is read from the saved marker, none twice', async () => {
    const testDb = await createTestDatabase('max_poll');
    const max = new MaxApiFake();
    await max.start();
    const env = {
      DATABASE_URL: testDb.url,
      MAX_BOT_TOKEN: max.token,
      MAX_API_BASE_URL: max.baseUrl,
      MAX_MODE: 'polling',
      APP_ROLES: 'max,worker',
    };
    const write = (text: string) => maxUpdates.messageCreated({ from: CITIZEN, chatId: DIALOG, text, botId: max.bot.userId });
    const texts = async () =>
      (await testDb.handle.db.selectFrom('message').select('text').orderBy('id').execute()).map((m) => m.text);
    const cursor = async () =>
      (
        await testDb.handle.db
          .selectFrom('channel_cursor')
          .select('value')
          .where('name', '=', `max-poll:${max.bot.userId}`)
          .executeTakeFirst()
      )?.value;
    try {
      const { app } = makeApp(env);
      await app.start();
      await waitFor(() => (max.polls.length > 0 ? true : undefined));
      const second = write('Не горит фонарь у дома 7');
      const afterBatch = String(max.nextMarker + 3);
      max.push(
        maxUpdates.callback({ from: CITIZEN, chatId: DIALOG, payload: 'consent:yes' }),
        write('Яма на дороге у остановки Малахова'),
        second,
      );
      await waitFor(async () => ((await texts()).length === 2 ? true : undefined));
      // The marker is saved only after the batch was committed to the inbox.
      const saved = await waitFor(async () => ((await cursor()) === afterBatch ? afterBatch : undefined));
      await app.stop();

      // While we are down: two new updates, and one MAX delivers again.
      max.push(write('Пока бот спал: нет отопления'), write('И ещё: сломана лавочка'), second);
      const pollsBefore = max.polls.length;
      const { app: again } = makeApp(env);
      await again.start();
      try {
        await waitFor(async () => ((await texts()).length === 4 ? true : undefined));
        await new Promise((r) => setTimeout(r, 300));
        expect(await texts()).toEqual([
          'Яма на дороге у остановки Малахова',
          'Не горит фонарь у дома 7',
          'Пока бот спал: нет отопления',
          'И ещё: сломана лавочка',
        ]);
        // The restart resumed from the saved marker, not from MAX's latest.
        expect(max.polls[pollsBefore]?.marker).toBe(saved);
        expect(max.polls[pollsBefore]?.types?.split(',')).toEqual(
          expect.arrayContaining(['message_created', 'message_callback']),
        );
      } finally {
        await again.stop();
      }
    } finally {
      await max.stop();
      await testDb.drop();
    }
  });

  it('when MAX answers a poll with 429 or 5xx, then the poller waits (Retry-After) and the same updates are read again', async () => {
    const testDb = await createTestDatabase('max_poll_faults');
    const max = new MaxApiFake();
    await max.start();
    try {
      const { app } = makeApp({
        DATABASE_URL: testDb.url,
        MAX_BOT_TOKEN: max.token,
        MAX_API_BASE_URL: max.baseUrl,
        MAX_MODE: 'polling',
        APP_ROLES: 'max,worker',
      });
      max.fail({ method: 'GET', path: '/updates', status: 429, retryAfter: 1 });
      max.fail({ method: 'GET', path: '/updates', status: 502 });
      await app.start();
      try {
        max.push(maxUpdates.botStarted({ from: CITIZEN, chatId: DIALOG }));
        const greeting = await waitFor(() => max.sentTo(DIALOG).find((m) => /согласие/.test(m.text)), 20_000);
        expect(greeting.keyboard?.flat().map((b) => b.payload)).toEqual(['consent:yes', 'consent:no']);
        expect(max.faults).toHaveLength(0);
      } finally {
        await app.stop();
      }
    } finally {
      await max.stop();
      await testDb.drop();
    }
  });
});
