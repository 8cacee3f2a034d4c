import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PUBLISHED_LIMITS } from '../../../bots/outbound/broadcast-port.js';
import { createVkApi, createVkBulkApi, createVkPacer, type VkApiPort } from '../../../bots/vk/api.js';
import { broadcastRandomId, callRandomId, VkBroadcaster } from '../../../bots/vk/broadcast.js';
import { VkRateFake } from '../../helpers/rate-fakes.js';
import { content, recipients, runBroadcast, until } from './run.js';

const TOKEN = 'vk-community-token';

describe('VK broadcasts against a VK API that enforces 20 requests/s and deduplicates random_id', () => {
  let fake: VkRateFake;
  let broadcaster: VkBroadcaster;
  /** The channel port's and the conversation's client: the priority lane of the same pacer. */
  let api: VkApiPort;
  let downloads: string[];

  beforeEach(async () => {
    fake = new VkRateFake(20);
    await fake.start();
    const pacer = createVkPacer(20);
    const options = { token: TOKEN, apiBaseUrl: fake.baseUrl, requestsPerSecond: 20, pacer };
    downloads = [];
    const download = async (url: string) => {
      downloads.push(url);
      return Buffer.from('jpeg');
    };
    broadcaster = new VkBroadcaster(createVkBulkApi(options), PUBLISHED_LIMITS, download);
    api = createVkApi(options);
  });
  afterEach(() => fake.stop());

  it('when 1,000 subscribers get a broadcast while the bot answers 20 citizens, then calls of 100, never error 6, each peer once', async () => {
    const [results] = await Promise.all([
      runBroadcast(broadcaster, content(), recipients(1_000, 10_000)),
      Promise.all(
        Array.from({ length: 20 }, (_, i) => api.sendMessage(90_000 + i, 'Обращение зарегистрировано', { randomId: i + 1 })),
      ),
    ]);
    expect(results.filter((r) => r.status === 'sent')).toHaveLength(1_000);
    const calls = fake.calls.filter((c) => c.method === 'messages.send');
    expect(calls).toHaveLength(10 + 20);
    expect(fake.tooMany).toBe(0);
    expect(fake.duplicates()).toBe(0);
    const broadcast = fake.deliveries.filter((d) => d.peerId >= 10_000 && d.peerId < 11_000);
    expect(broadcast).toHaveLength(1_000);
    expect(broadcast[0]).toMatchObject({
      text: 'Отключение воды\nВ Индустриальном районе 12 мая с 9:00 до 18:00 не будет холодной воды.',
      intent: 'non_promo_newsletter',
      randomId: broadcastRandomId(41, 0),
    });
    expect(JSON.parse(broadcast[0]?.keyboard ?? '{}').buttons[0][0].action.payload).toBe('{"cmd":"unsub","b":41}');
    // One budget of 20 requests/s, paced to 18 (at most 19 a second when sent): the fake's own count of
    // arrivals, jitter included, never over the limit.
    const times = fake.calls.map((c) => c.at);
    for (const t of times) expect(times.filter((u) => u >= t && u < t + 1000).length).toBeLessThanOrEqual(20);
  });

  it('when VK answers some recipients with errors, then each is read on its own: 900–902 blocked, 944 and 6/9 retry, 10 failed on VK’s side (transient), others failed as the recipient’s', async () => {
    const codes: Record<number, number> = { 2: 900, 3: 901, 4: 902, 5: 944, 6: 6, 7: 9, 8: 10, 9: 913 };
    for (const [i, code] of Object.entries(codes)) fake.peerErrors.set(20_000 + Number(i) - 1, { code });
    const results = await broadcaster.send(content(), recipients(10, 20_000));
    expect(results.map((r) => r.status)).toEqual([
      'sent',
      'blocked',
      'blocked',
      'blocked',
      'retry',
      'retry',
      'retry',
      'failed',
      'failed',
      'sent',
    ]);
    expect(results[7]).toMatchObject({ transient: true, reason: expect.stringMatching(/^VK error 10/) });
    expect(results[8]).not.toHaveProperty('transient');
    expect(results[4]).toMatchObject({
      afterSeconds: PUBLISHED_LIMITS.vk.intentLimitBackoffSeconds,
      reason: expect.stringMatching(/^VK error 944/),
    });
    expect(results[5]).toMatchObject({ afterSeconds: 1 });
    expect(results[0]).toMatchObject({ messageId: expect.stringMatching(/^\d+$/) });
    expect(fake.deliveries.map((d) => d.peerId)).toEqual([20_000, 20_009]);
  });

  it('when the domain file sets the intent limit’s back-off, then error 944 waits that long', async () => {
    const limits = { ...PUBLISHED_LIMITS, vk: { ...PUBLISHED_LIMITS.vk, intentLimitBackoffSeconds: 1_800 } };
    const pacer = createVkPacer(20);
    const custom = new VkBroadcaster(
      createVkBulkApi({ token: TOKEN, apiBaseUrl: fake.baseUrl, requestsPerSecond: 20, pacer }),
      limits,
    );
    fake.peerErrors.set(25_000, { code: 944 });
    const [limited] = await custom.send(content(), recipients(1, 25_000));
    expect(limited).toMatchObject({ status: 'retry', afterSeconds: 1_800 });
  });

  it('when the picture cannot be read, then every recipient failed with the reason, the recipient’s (not an outage)', async () => {
    const pacer = createVkPacer(20);
    const broken = new VkBroadcaster(
      createVkBulkApi({ token: TOKEN, apiBaseUrl: fake.baseUrl, requestsPerSecond: 20, pacer }),
      PUBLISHED_LIMITS,
      async () => {
        throw new Error('the broadcast picture could not be read: HTTP 404');
      },
    );
    const results = await broken.send(
      content({ broadcastId: 51, photoUrl: 'https://mcu.example/missing.jpg' }),
      recipients(3, 26_000),
    );
    for (const r of results)
      expect(r).toEqual({
        seq: r.seq,
        status: 'failed',
        reason: 'the picture could not be uploaded: the broadcast picture could not be read: HTTP 404',
      });
    expect(fake.deliveries).toHaveLength(0);
  });

  it('when a call is retried, or its rows come back in other batches after a crash, then VK delivers nobody twice (random_id)', async () => {
    const batch = recipients(100, 30_000);
    const first = await broadcaster.send(content(), batch);
    const again = await broadcaster.send(content(), batch);
    // After a crash the rows are claimed anew: other batches, another order, some new recipients.
    const reformed = await runBroadcast(broadcaster, content(), [...batch.slice(50), ...recipients(50, 30_100)].reverse());
    for (const results of [first, again, reformed]) expect(results.every((r) => r.status === 'sent')).toBe(true);
    expect(fake.deliveries).toHaveLength(150);
    expect(fake.duplicates()).toBe(0);
    // Another broadcast to the same citizens is a new message.
    await broadcaster.send(content({ broadcastId: 99, title: 'Другое' }), batch.slice(0, 1));
    expect(fake.to(30_000)).toHaveLength(2);
  });

  it('when randomIdScope is call, then every call has its own random_id and the same call retried keeps it', async () => {
    const limits = { ...PUBLISHED_LIMITS, vk: { ...PUBLISHED_LIMITS.vk, randomIdScope: 'call' as const } };
    const pacer = createVkPacer(20);
    const perCall = new VkBroadcaster(
      createVkBulkApi({ token: TOKEN, apiBaseUrl: fake.baseUrl, requestsPerSecond: 20, pacer }),
      limits,
    );
    const a = recipients(100, 40_000);
    const b = recipients(100, 40_100);
    await perCall.send(content(), a);
    await perCall.send(content(), b);
    await perCall.send(content(), a);
    expect(fake.calls.filter((c) => c.method === 'messages.send')).toHaveLength(3);
    const idOf = (peer: number) => fake.to(peer)[0]?.randomId;
    expect(idOf(40_000)).toBe(
      callRandomId(
        41,
        0,
        a.map((r) => Number(r.chatId)),
      ),
    );
    expect(idOf(40_100)).toBe(
      callRandomId(
        41,
        0,
        b.map((r) => Number(r.chatId)),
      ),
    );
    expect(idOf(40_000)).not.toBe(idOf(40_100));
    expect(callRandomId(41, 0, [3, 1, 2])).toBe(callRandomId(41, 0, [1, 2, 3]));
    // The third call is the first one again: the same random_id, so VK drops it — 200 deliveries, nobody twice.
    expect(fake.deliveries).toHaveLength(200);
    expect(fake.duplicates()).toBe(0);
  });

  it('when a broadcast has a picture, then it is read and uploaded once and attached in every call', async () => {
    const withPhoto = content({ broadcastId: 50, photoUrl: 'https://mcu.example/snow.jpg' });
    const results = await runBroadcast(broadcaster, withPhoto, recipients(300, 40_000));
    expect(results.every((r) => r.status === 'sent')).toBe(true);
    expect(downloads).toEqual(['https://mcu.example/snow.jpg']);
    expect(fake.uploads).toBe(1);
    expect(new Set(fake.deliveries.map((d) => d.attachment))).toEqual(new Set(['photo-1_457239001']));
  });

  it('when the text is longer than one message, then parts go to those the previous part reached, the button under the last', async () => {
    fake.peerErrors.set(50_001, { code: 901 });
    const long = 'Плановые работы на сетях. '.repeat(200);
    const results = await broadcaster.send(content({ text: long }), recipients(3, 50_000));
    expect(results.map((r) => r.status)).toEqual(['sent', 'blocked', 'sent']);
    const parts = fake.to(50_000);
    expect(parts).toHaveLength(2);
    expect(parts.map((p) => p.randomId)).toEqual([broadcastRandomId(41, 0), broadcastRandomId(41, 1)]);
    expect(parts[0]?.keyboard).toBeNull();
    expect(parts[1]?.keyboard).not.toBeNull();
    expect(fake.to(50_001)).toHaveLength(0);
  });

  it('when a broadcast is an emergency or about citizens’ own cases, then it goes with that intent (vkIntents)', async () => {
    await broadcaster.send(content({ broadcastId: 60, priority: 'emergency' }), recipients(1, 60_000));
    await broadcaster.send(content({ broadcastId: 61, audience: 'cases' }), recipients(1, 60_001));
    expect(fake.deliveries.map((d) => [d.peerId, d.intent])).toEqual([
      [60_000, 'non_promo_newsletter'],
      [60_001, 'account_update'],
    ]);
    expect(fake.deliveries[0]?.text).toMatch(/^‼️ Экстренное сообщение\nОтключение воды\n/);
  });

  it('when a reply to a citizen is sent during a 3,000-recipient broadcast, then it overtakes the calls waiting (at most one token)', async () => {
    const bulk = runBroadcast(broadcaster, content(), recipients(3_000, 100_000));
    await until(() => fake.calls.filter((c) => c.method === 'messages.send').length >= 3);
    const issuedAt = fake.calls.length;
    await api.sendMessage(99_999, 'Ответ по вашему обращению', { randomId: 7 });
    const position = fake.calls.findIndex((c) => c.peers.includes(99_999));
    // Without the lane it would come after the ten broadcast calls waiting for their tokens.
    // At most one token, plus what was already on the wire when it was asked for.
    expect(position - issuedAt).toBeLessThanOrEqual(3);
    await bulk;
    expect(fake.tooMany).toBe(0);
    expect(fake.deliveries.filter((d) => d.peerId >= 100_000)).toHaveLength(3_000);
  });
});
