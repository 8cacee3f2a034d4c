import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Channel } from '../../models/intake.js';
import {
  endSubscription,
  findCitizenSubscription,
  optOutOfBroadcasts,
  saveSubscription,
  saveSubscriptionDraft,
  subscriptionEvents,
} from '../../models/subscription-repository.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

const T0 = new Date('2026-03-02T09:00:00Z');
const later = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

describe('subscriptions on PostgreSQL (models/subscription-repository.ts)', () => {
  let testDb: TestDatabase;
  const db = () => testDb.handle.db;
  let seq = 0;
  /** A citizen who consented on `channel`. */
  const citizen = async (channel: Channel = 'telegram') => {
    const externalId = String(70_000 + ++seq);
    const row = await db()
      .insertInto('citizen')
      .values({ channel, external_id: externalId, consent: 'given', consent_at: T0 })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { citizenId: row.id, channel, externalId, chatId: externalId };
  };
  const row = (citizenId: number) =>
    db().selectFrom('subscription').selectAll().where('citizen_id', '=', citizenId).executeTakeFirst();
  const optedOutAt = async (citizenId: number) =>
    (await db().selectFrom('citizen').select('broadcasts_opted_out_at').where('id', '=', citizenId).executeTakeFirstOrThrow())
      .broadcasts_opted_out_at;

  beforeAll(async () => {
    testDb = await createTestDatabase('subscriptions', { migrate: true });
  });
  afterAll(async () => testDb?.drop());

  it('when a citizen never subscribed, then they are found with their consent and no subscription; a stranger is not found', async () => {
    const c = await citizen('vk');
    expect(await findCitizenSubscription(db(), 'vk', c.externalId)).toEqual({
      citizenId: c.citizenId,
      consent: 'given',
      optedOutAt: null,
      subscription: null,
    });
    expect(await findCitizenSubscription(db(), 'telegram', c.externalId)).toBeUndefined();
  });

  it('when a draft is kept and then saved, then the draft is inactive and unlogged, and saving logs one subscribe with the choice', async () => {
    const c = await citizen();
    expect(await saveSubscriptionDraft(db(), c, { districts: ['central', 'leninsky'], topics: ['outages'] }, T0)).toBe(true);
    expect(await row(c.citizenId)).toMatchObject({ active: false, districts: ['central', 'leninsky'], topics: ['outages'] });
    expect(await subscriptionEvents(db(), c.citizenId)).toEqual([]);

    expect(await saveSubscription(db(), c, { districts: ['central', 'leninsky'], topics: ['outages'] }, 'button', later(1))).toBe(
      'subscribe',
    );
    expect((await findCitizenSubscription(db(), 'telegram', c.externalId))?.subscription).toEqual({
      channel: 'telegram',
      chatId: c.chatId,
      districts: ['central', 'leninsky'],
      topics: ['outages'],
      active: true,
    });
    expect(await subscriptionEvents(db(), c.citizenId)).toEqual([
      {
        channel: 'telegram',
        action: 'subscribe',
        districts: ['central', 'leninsky'],
        topics: ['outages'],
        via: 'button',
        broadcast_id: null,
        at: later(1),
      },
    ]);
  });

  it('when the subscription is active, then a draft writes nothing and a save is a logged change', async () => {
    const c = await citizen('max');
    await saveSubscription(db(), c, { districts: [], topics: [] }, 'button', T0);
    expect(await saveSubscriptionDraft(db(), c, { districts: ['industrial'], topics: [] }, later(1))).toBe(false);
    expect((await row(c.citizenId))?.districts).toEqual([]);
    expect(await saveSubscription(db(), c, { districts: ['industrial'], topics: ['snow'] }, 'button', later(2))).toBe('change');
    expect((await subscriptionEvents(db(), c.citizenId)).map((e) => [e.channel, e.action, e.districts, e.topics])).toEqual([
      ['max', 'subscribe', [], []],
      ['max', 'change', ['industrial'], ['snow']],
    ]);
    expect((await row(c.citizenId))?.updated_at).toEqual(later(2));
  });

  it('when a subscriber unsubscribes, then the row is inactive and the event keeps what ended; again, nothing is written', async () => {
    const c = await citizen();
    await saveSubscription(db(), c, { districts: ['oktyabrsky'], topics: [] }, 'button', T0);
    expect(await endSubscription(db(), c, 'command', later(5))).toBe(true);
    expect(await endSubscription(db(), c, 'command', later(6))).toBe(false);
    expect((await row(c.citizenId))?.active).toBe(false);
    expect((await subscriptionEvents(db(), c.citizenId)).map((e) => [e.action, e.via, e.districts, e.at])).toEqual([
      ['subscribe', 'button', ['oktyabrsky'], T0],
      ['unsubscribe', 'command', ['oktyabrsky'], later(5)],
    ]);
  });

  it('when «Отписаться» under a broadcast is pressed, then the subscription ends, the opt-out is stamped and logged with the broadcast, once', async () => {
    const c = await citizen();
    await saveSubscription(db(), c, { districts: ['central'], topics: [] }, 'button', T0);
    const broadcast = await db()
      .insertInto('broadcast')
      .values({
        title: 'Вода',
        text: 'Воды не будет',
        segment: JSON.stringify({ kind: 'subscribers' }),
        priority: 'normal',
        author: 'test',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    expect(await optOutOfBroadcasts(db(), c, broadcast.id, later(1))).toBe(true);
    expect(await optOutOfBroadcasts(db(), c, broadcast.id, later(2))).toBe(false);
    expect((await row(c.citizenId))?.active).toBe(false);
    expect(await optedOutAt(c.citizenId)).toEqual(later(1));
    expect((await subscriptionEvents(db(), c.citizenId)).map((e) => [e.action, e.via, e.broadcast_id, e.districts])).toEqual([
      ['subscribe', 'button', null, ['central']],
      ['opt_out', 'broadcast', broadcast.id, ['central']],
    ]);
  });

  it('when a citizen with no subscription opts out under a broadcast that does not exist, then it is still stamped and logged, without a broadcast', async () => {
    const c = await citizen('vk');
    expect(await optOutOfBroadcasts(db(), c, 999_999, T0)).toBe(true);
    expect(await optedOutAt(c.citizenId)).toEqual(T0);
    expect(await row(c.citizenId)).toBeUndefined();
    expect((await subscriptionEvents(db(), c.citizenId)).map((e) => [e.channel, e.action, e.broadcast_id])).toEqual([
      ['vk', 'opt_out', null],
    ]);
  });

  it('when an opted-out citizen subscribes again, then the opt-out is lifted in the same transaction as the subscribe', async () => {
    const c = await citizen();
    await optOutOfBroadcasts(db(), c, null, T0);
    expect(await saveSubscription(db(), c, { districts: [], topics: ['events'] }, 'button', later(1))).toBe('subscribe');
    expect(await optedOutAt(c.citizenId)).toBeNull();
    expect((await findCitizenSubscription(db(), 'telegram', c.externalId))?.optedOutAt).toBeNull();
  });
});
