import { describe, expect, it } from 'vitest';
import { encodeCallback } from '../../bots/telegram/callback-data.js';
import { SIMULATED_CITIZENS } from '../../src/sandbox/citizen-texts.js';
import { makeApp, waitFor } from '../helpers/app.js';
import { createTestDatabase } from '../helpers/database.js';

/**
 * Citizens about every second, the operator's first look half a second after start and a notice every couple of
 * seconds. (Not faster: the bot's replies would keep each citizen's chat busy, and a broadcast waits Telegram's
 * one second per chat after the last of them — bots/telegram/pacing.ts.)
 */
const FAST = {
  sandboxIntervalMs: 1_000,
  sandboxBroadcastPace: { firstMs: [300, 500], everyMs: [1_500, 2_000], waitMs: [200, 300], watchMs: 200 },
} as const;

/** What the emulator keeps of each message the bot sent. */
interface BotRecord {
  messageId: number;
  message: { chat_id?: number | string; text?: string; reply_markup?: { inline_keyboard?: { callback_data?: string }[][] } };
}

describe('sandbox: simulated citizens subscribe, the simulated operator broadcasts to a district', () => {
  it('when the sandbox runs with a short broadcast interval, then a citizen subscribes through the bot and a district broadcast reaches them in the emulator', async () => {
    const testDb = await createTestDatabase('sandbox_broadcasts');
    const { app } = makeApp({ SANDBOX: 'true', DATABASE_URL: testDb.url }, FAST);
    await app.start();
    try {
      const db = testDb.handle.db;
      const emulator = app.emulator;
      if (!emulator) throw new Error('the sandbox runs the Telegram emulator');
      const citizenIds = SIMULATED_CITIZENS.map((c) => String(c.id));

      // A simulated citizen sent /subscribe and pressed the buttons: an active subscription, its consent logged.
      const subscribed = await waitFor(
        () =>
          db
            .selectFrom('subscription')
            .innerJoin('citizen', 'citizen.id', 'subscription.citizen_id')
            .innerJoin('subscription_event', 'subscription_event.citizen_id', 'subscription.citizen_id')
            .select(['citizen.external_id as externalId', 'subscription.chat_id as chatId', 'subscription.channel'])
            .select(['subscription_event.action', 'subscription_event.via', 'subscription_event.districts'])
            .where('subscription.active', '=', true)
            .where('subscription_event.action', '=', 'subscribe')
            .executeTakeFirst(),
        30_000,
        100,
      );
      expect(citizenIds).toContain(subscribed.externalId);
      expect(subscribed).toMatchObject({ channel: 'telegram', chatId: subscribed.externalId, via: 'button' });
      // The district pressed (or none: the whole city) is one of the domain file's.
      const districts = app.domain.districts.map((d) => d.id);
      for (const d of subscribed.districts) expect(districts).toContain(d);

      // The operator's notice went out through the real sender: a recipient stamped sent, the broadcast done.
      const sent = await waitFor(
        () =>
          db
            .selectFrom('broadcast_recipient')
            .innerJoin('broadcast', 'broadcast.id', 'broadcast_recipient.broadcast_id')
            .select([
              'broadcast.id',
              'broadcast.title',
              'broadcast.author',
              'broadcast.segment',
              'broadcast_recipient.chat_id as chatId',
            ])
            .where('broadcast_recipient.status', '=', 'sent')
            .where('broadcast.status', '=', 'done')
            .executeTakeFirst(),
        30_000,
        100,
      );
      expect(citizenIds).toContain(sent.chatId);
      expect(sent.segment).toMatchObject({ kind: 'subscribers', districts: [expect.any(String)] });
      // By the sandbox's operator, a person bound like the others (not the service token).
      const operator = await db.selectFrom('official').select('id').where('role', '=', 'operator').executeTakeFirstOrThrow();
      expect(sent.author).toBe(`official:${operator.id}`);
      // Its recipient had subscribed through the bot.
      const consent = await db
        .selectFrom('subscription_event')
        .innerJoin('citizen', 'citizen.id', 'subscription_event.citizen_id')
        .select('subscription_event.action')
        .where('citizen.external_id', '=', sent.chatId)
        .where('subscription_event.action', '=', 'subscribe')
        .execute();
      expect(consent.length).toBeGreaterThanOrEqual(1);

      // The citizen's chat in the emulator holds the notice, with «Отписаться» naming this broadcast under it.
      const records = (emulator.server as unknown as { storage: { botMessages: BotRecord[] } }).storage.botMessages;
      const notice = records.find(
        (r) => String(r.message.chat_id) === sent.chatId && (r.message.text ?? '').includes(sent.title),
      );
      expect(notice?.message.text).toMatch(/ в [А-ЯЁ][а-яё]+ом районе/);
      const buttons = (notice?.message.reply_markup?.inline_keyboard ?? []).flat().map((b) => b.callback_data);
      expect(buttons).toContain(encodeCallback({ type: 'unsubscribe', broadcastId: sent.id }));
      expect(app.citizens?.stats.received).toBeGreaterThanOrEqual(1);

      // The start is audited as the operator's act.
      const started = await db
        .selectFrom('audit_log')
        .select(['actor'])
        .where('action', '=', 'broadcast.started')
        .where('entity_id', '=', String(sent.id))
        .executeTakeFirst();
      expect(started?.actor).toBe(`official:${operator.id}`);
    } finally {
      await app.stop();
      await testDb.drop();
    }
  }, 75_000);
});
