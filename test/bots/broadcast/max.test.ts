import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMaxApi, createMaxBulkApi, createMaxPacer, maxChatGap } from '../../../bots/max/api.js';
import { MaxBroadcaster } from '../../../bots/max/broadcast.js';
import { MaxAdapter } from '../../../bots/max/outbound.js';
import type { Pacer } from '../../../lib/pacer.js';
import { MaxApiFake } from '../../helpers/max-fake.js';
import { content, recipients, runBroadcast, until } from './run.js';

describe('MAX broadcasts against the local MAX Bot API', () => {
  let fake: MaxApiFake;
  let pacer: Pacer;
  let broadcaster: MaxBroadcaster;
  /** The channel port's adapter on the bot's client: the priority lane of the same pacer. */
  let adapter: MaxAdapter;
  let downloads: string[];

  beforeEach(async () => {
    fake = new MaxApiFake();
    await fake.start();
    pacer = createMaxPacer(30);
    const options = { token: fake.token, baseUrl: fake.baseUrl, pacer };
    const api = createMaxApi(options);
    downloads = [];
    const download = async (url: string) => {
      downloads.push(url);
      return Buffer.from('jpeg');
    };
    broadcaster = new MaxBroadcaster(createMaxBulkApi(options), api, 30, download);
    adapter = new MaxAdapter(api);
  });
  afterEach(() => fake.stop());

  it('when 40 citizens get a broadcast, then each gets one message with «Отписаться»; a blocked one is blocked', async () => {
    fake.block(7_000_003);
    const results = await runBroadcast(broadcaster, content(), recipients(40, 7_000_000));
    expect(results.filter((r) => r.status === 'sent')).toHaveLength(39);
    expect(results[3]).toMatchObject({ status: 'blocked', reason: 'MAX Bot API 403 chat.denied' });
    expect(results[0]).toMatchObject({ status: 'sent', messageId: expect.stringMatching(/^mid\./) });
    expect(fake.sent).toHaveLength(39);
    const [first] = fake.sentTo(7_000_000);
    expect(first?.text).toBe('Отключение воды\nВ Индустриальном районе 12 мая с 9:00 до 18:00 не будет холодной воды.');
    expect(first?.keyboard?.flat().map((b) => b.payload)).toEqual(['unsub:41']);
  });

  it('when MAX answers 429, then that recipient is to retry after its Retry-After and every lane of the bot is paused', async () => {
    fake.fail({ method: 'POST', path: '/messages', status: 429, code: 'too.many.requests', retryAfter: 2, chatId: 7_100_000 });
    const [limited] = await broadcaster.send(content(), [{ seq: 1, chatId: '7100000' }]);
    expect(limited).toMatchObject({ seq: 1, status: 'retry', afterSeconds: 2 });
    expect(pacer.stats().pauses).toBe(1);
    expect(pacer.pausedUntil).toBeGreaterThan(Date.now() + 1_000);
  });

  it('when MAX fails on its side (5xx), then the recipient failed, transient (an outage’s sign); a 4xx is the recipient’s own', async () => {
    fake.fail({ method: 'POST', path: '/messages', status: 503, code: 'service.unavailable', chatId: 7_150_000 });
    fake.fail({ method: 'POST', path: '/messages', status: 400, code: 'proto.payload', chatId: 7_150_001 });
    const [down, refused, sent] = await broadcaster.send(content(), recipients(3, 7_150_000));
    expect(down).toMatchObject({ status: 'failed', transient: true, reason: 'MAX Bot API 503 service.unavailable' });
    expect(refused).toMatchObject({ status: 'failed', reason: 'MAX Bot API 400 proto.payload' });
    expect(refused).not.toHaveProperty('transient');
    expect(sent).toMatchObject({ status: 'sent' });
  });

  it('when the picture cannot be read, then every recipient failed with the reason — the broadcast’s, not an outage — and it is read once a while, not per recipient', async () => {
    let reads = 0;
    const broken = new MaxBroadcaster(
      createMaxBulkApi({ token: fake.token, baseUrl: fake.baseUrl, pacer }),
      createMaxApi({ token: fake.token, baseUrl: fake.baseUrl, pacer }),
      30,
      async () => {
        reads++;
        throw new Error('the broadcast picture could not be read: HTTP 404');
      },
    );
    const withPhoto = content({ broadcastId: 71, photoUrl: 'https://mcu.example/missing.jpg' });
    const results = await runBroadcast(broken, withPhoto, recipients(10, 7_250_000));
    for (const r of results)
      expect(r).toEqual({
        seq: r.seq,
        status: 'failed',
        reason: 'the picture could not be uploaded: the broadcast picture could not be read: HTTP 404',
      });
    expect(reads).toBe(1);
    expect(fake.sent).toHaveLength(0);
  });

  it('when the domain file sets messages a second into one chat, then the chat gap follows it (two a second by default)', () => {
    expect(maxChatGap({ chatId: 5 })).toEqual({ key: 'c5', gapMs: 500 });
    expect(maxChatGap({ chatId: 5 }, 1)).toEqual({ key: 'c5', gapMs: 1000 });
  });

  it('when a broadcast has a picture and a long text, then the picture is uploaded once, on the first part; the button under the last', async () => {
    const withPhoto = content({ broadcastId: 70, photoUrl: 'https://mcu.example/ice.jpg', text: 'Гололёд. '.repeat(600) });
    const results = await runBroadcast(broadcaster, withPhoto, recipients(3, 7_200_000));
    expect(results.every((r) => r.status === 'sent')).toBe(true);
    expect(downloads).toEqual(['https://mcu.example/ice.jpg']);
    expect(fake.uploads).toHaveLength(1);
    for (const chat of [7_200_000, 7_200_001, 7_200_002]) {
      const parts = fake.sentTo(chat);
      expect(parts).toHaveLength(2);
      expect(parts[0]?.attachments.map((a) => a.type)).toEqual(['image']);
      expect(parts[0]?.keyboard).toBeNull();
      expect(parts[1]?.keyboard?.flat().map((b) => b.payload)).toEqual(['unsub:70']);
    }
  });

  it('when an acknowledgement is sent behind 60 queued broadcast messages, then it overtakes them (at most one token)', async () => {
    const bulk = runBroadcast(broadcaster, content(), recipients(60, 7_300_000));
    await until(() => fake.sent.length >= 5);
    const issuedAt = fake.sent.length;
    const ack = await adapter.send(
      { text: 'Обращение зарегистрировано', buttons: [], photos: [] },
      { channel: 'max', chatId: '7399999' },
      'notify:1',
    );
    expect(ack.status).toBe('sent');
    await bulk;
    const position = fake.sent.findIndex((m) => m.chatId === 7_399_999);
    // At most one token, plus what was already on the wire when it was asked for.
    expect(position - issuedAt).toBeLessThanOrEqual(3);
  });
});
