import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PUBLISHED_LIMITS } from '../../../bots/outbound/broadcast-port.js';
import { createTelegramBulkApi, TelegramBroadcaster } from '../../../bots/telegram/broadcast.js';
import { createTelegramApi } from '../../../bots/telegram/create-bot.js';
import { TelegramAdapter } from '../../../bots/telegram/outbound.js';
import { createTelegramPacer } from '../../../bots/telegram/pacing.js';
import type { Pacer } from '../../../lib/pacer.js';
import { TelegramRateFake } from '../../helpers/rate-fakes.js';
import { content, recipients, runBroadcast, until } from './run.js';

const limits = PUBLISHED_LIMITS.telegram;

describe('Telegram broadcasts against a Bot API that enforces 30/s, 1/s per chat, 20/min per group', () => {
  let fake: TelegramRateFake;
  let pacer: Pacer;
  let broadcaster: TelegramBroadcaster;
  /** The channel port's adapter on the bot's other Api: the priority lane of the same pacer. */
  let adapter: TelegramAdapter;
  /** 429s the fake answered for a limit broken (not the ones a test injects). */
  const limited = () => fake.refused.filter((r) => r.limit !== null).length;

  // A fresh Bot API and bot (pacer) per test: one test's last second or pause does not reach the next.
  beforeEach(async () => {
    fake = new TelegramRateFake();
    await fake.start();
    pacer = createTelegramPacer(limits);
    broadcaster = new TelegramBroadcaster(createTelegramBulkApi({ token: fake.token, apiRoot: fake.apiRoot }), pacer, limits);
    adapter = new TelegramAdapter(createTelegramApi({ token: fake.token, apiRoot: fake.apiRoot, pacing: { pacer, limits } }));
  });
  afterEach(() => fake.stop());

  it('when 120 citizens get a broadcast, then each gets it once with «Отписаться», the fake never answers 429, and no second holds over 30', async () => {
    const results = await runBroadcast(broadcaster, content(), recipients(120, 1_000));
    expect(results.filter((r) => r.status === 'sent')).toHaveLength(120);
    const delivered = fake.deliveries;
    expect(delivered).toHaveLength(120);
    expect(new Set(delivered.map((d) => d.chatId)).size).toBe(120);
    expect(delivered[0]?.text).toBe('Отключение воды\nВ Индустриальном районе 12 мая с 9:00 до 18:00 не будет холодной воды.');
    expect(delivered[0]?.buttons).toEqual(['unsub:41']);
    expect(limited()).toBe(0);
    expect(fake.duplicates()).toBe(0);
    // Paced to 0.95 × 30 (at most 29 a second when sent; the fake clock test of the pacer pins that): the
    // fake's own count of arrivals, jitter included, never over the limit.
    const times = delivered.map((d) => d.at);
    for (const t of times) expect(times.filter((u) => u >= t && u < t + 1000).length).toBeLessThanOrEqual(limits.perSecond);
  });

  it('when Telegram answers 429 with retry_after, then that recipient is to retry and every send waits it out, the priority lane too', async () => {
    const first = 2_000;
    fake.faults.push({ chatId: first, status: 429, description: 'Too Many Requests: retry after 2', retryAfter: 2, times: 1 });
    const [limited] = await broadcaster.send(content(), [{ seq: 1, chatId: String(first) }]);
    expect(limited).toMatchObject({ seq: 1, status: 'retry', afterSeconds: 2 });
    const refusedAt = fake.refused.at(-1)?.at ?? 0;
    const before = fake.deliveries.length;
    const [results, ack] = await Promise.all([
      runBroadcast(broadcaster, content(), recipients(5, first + 1)),
      adapter.send(
        { text: 'Обращение зарегистрировано', buttons: [], photos: [] },
        { channel: 'telegram', chatId: '2999' },
        'n:1',
      ),
    ]);
    expect(results.every((r) => r.status === 'sent')).toBe(true);
    expect(ack.status).toBe('sent');
    const after = fake.deliveries.slice(before);
    expect(after).toHaveLength(6);
    // Nothing reached Telegram during the pause (the fake's own clock; a pause is never cut short).
    for (const d of after) expect(d.at - refusedAt).toBeGreaterThanOrEqual(2_000 - 50);
    // The acknowledgement went first once the pause was over.
    expect(after[0]?.chatId).toBe(2999);
    expect(pacer.stats().pauses).toBe(1);
  });

  it('when a broadcast comes in two parts, then the second part waits the chat gap (1 s) and carries the button; no 429', async () => {
    const long = `${'Очень длинное сообщение. '.repeat(200)}`;
    const chats = recipients(3, 3_000);
    const before = fake.deliveries.length;
    const results = await runBroadcast(broadcaster, content({ text: long }), chats);
    expect(results.every((r) => r.status === 'sent')).toBe(true);
    for (const { chatId } of chats) {
      const parts = fake.deliveries.slice(before).filter((d) => d.chatId === Number(chatId));
      expect(parts).toHaveLength(2);
      expect((parts[1]?.at ?? 0) - (parts[0]?.at ?? 0)).toBeGreaterThanOrEqual(1000);
      expect(parts[0]?.buttons).toEqual([]);
      expect(parts[1]?.buttons).toEqual(['unsub:41']);
    }
    expect(limited()).toBe(0);
  });

  it('when a group is among the recipients, then its messages are 3 s apart (20 a minute)', async () => {
    const group = -1_000_777;
    const long = `${'Сообщение для группы. '.repeat(200)}`; // two parts
    const [result] = await broadcaster.send(content({ text: long }), [{ seq: 1, chatId: String(group) }]);
    expect(result?.status).toBe('sent');
    const parts = fake.to(group);
    expect(parts).toHaveLength(2);
    expect((parts[1]?.at ?? 0) - (parts[0]?.at ?? 0)).toBeGreaterThanOrEqual(3_000);
    expect(limited()).toBe(0);
  });

  it('when a picture goes with a short text, then it is one photo with the caption, sent by URL once and by file id after', async () => {
    const chats = recipients(3, 4_000);
    for (const chat of chats) {
      const [result] = await broadcaster.send(content({ broadcastId: 42, photoUrl: 'https://mcu.example/outage.jpg' }), [chat]);
      expect(result?.status).toBe('sent');
    }
    const sent = chats.map(({ chatId }) => fake.to(Number(chatId)));
    expect(sent.map((s) => s.length)).toEqual([1, 1, 1]);
    expect(sent.map((s) => s[0]?.photo)).toEqual(['https://mcu.example/outage.jpg', 'AgACfake1', 'AgACfake1']);
    expect(sent[0]?.[0]).toMatchObject({ method: 'sendPhoto', buttons: ['unsub:42'] });
    expect(sent[0]?.[0]?.text).toMatch(/^Отключение воды\n/);
  });

  it('when the text does not fit a caption, then the picture goes first and the text after it, the gap kept', async () => {
    const chat = 4_100;
    await broadcaster.send(content({ broadcastId: 43, photoUrl: 'https://mcu.example/a.jpg', text: 'а'.repeat(1100) }), [
      { seq: 1, chatId: String(chat) },
    ]);
    const [photo, text] = fake.to(chat);
    expect(photo).toMatchObject({ method: 'sendPhoto', text: '', buttons: [] });
    expect(text).toMatchObject({ method: 'sendMessage', buttons: ['unsub:43'] });
    expect((text?.at ?? 0) - (photo?.at ?? 0)).toBeGreaterThanOrEqual(1000);
  });

  it('when a citizen blocked the bot or the chat is gone, then blocked; a 5xx is failed on Telegram’s side (transient), a 400 the recipient’s own; the others are sent', async () => {
    fake.blocked.add(5_001);
    fake.missing.add(5_002);
    fake.faults.push({ chatId: 5_003, status: 502, description: 'Bad Gateway', times: 1 });
    fake.faults.push({
      chatId: 5_004,
      status: 400,
      description: 'Bad Request: wrong file identifier/HTTP URL specified',
      times: 1,
    });
    const results = await runBroadcast(broadcaster, content(), recipients(5, 5_000));
    expect(results.map((r) => r.status)).toEqual(['sent', 'blocked', 'blocked', 'failed', 'failed']);
    expect(results[1]).toMatchObject({ reason: expect.stringMatching(/blocked by the user/) });
    expect(results[3]).toMatchObject({ transient: true });
    expect(results[4]).toMatchObject({ reason: expect.stringMatching(/wrong file identifier/) });
    expect(results[4]).not.toHaveProperty('transient');
  });

  it('when an acknowledgement is sent behind 60 queued broadcast messages, then it overtakes them (at most one token)', async () => {
    const bulk = runBroadcast(broadcaster, content(), recipients(60, 6_000));
    await until(() => fake.deliveries.filter((d) => d.chatId >= 6_000 && d.chatId < 6_060).length >= 5);
    const issuedAt = fake.deliveries.length;
    const ack = await adapter.send(
      { text: 'Ваше обращение № МЦУ-2026-000001 зарегистрировано', buttons: [], photos: [] },
      { channel: 'telegram', chatId: '6999' },
      'notify:1',
    );
    expect(ack.status).toBe('sent');
    await bulk;
    const position = fake.deliveries.findIndex((d) => d.chatId === 6999);
    // Without the lane it would come after the ~55 broadcast messages still queued.
    // At most one token, plus what was already on the wire when it was asked for.
    expect(position - issuedAt).toBeLessThanOrEqual(3);
    expect(limited()).toBe(0);
  });
});
