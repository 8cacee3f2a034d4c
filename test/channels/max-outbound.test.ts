import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMaxApi, type MaxApiPort } from '../../bots/max/api.js';
import { MaxAdapter } from '../../bots/max/outbound.js';
import { pollButtons } from '../../bots/outbound/buttons.js';
import { createChannelPort } from '../../bots/outbound/channel-port.js';
import { MaxApiFake } from '../helpers/max-fake.js';

const CITY = { name: 'Барнаул', timezone: 'Asia/Barnaul', locale: 'ru-RU' };
const CHAT = 8_000_101;

/** The channel port's MAX adapter on the SDK, against the local MAX Bot API fake (no app, no database). */
describe('the MAX adapter of the channel port against the MAX Bot API fake', () => {
  const fake = new MaxApiFake();
  let api: MaxApiPort;
  let adapter: MaxAdapter;
  const photos = async (fileId: string) => Buffer.from(`jpeg bytes of ${fileId}`);

  beforeAll(async () => {
    await fake.start();
    api = createMaxApi({ token: fake.token, baseUrl: fake.baseUrl });
    adapter = new MaxAdapter(api, photos);
  });
  afterAll(() => fake.stop());

  it('when a poll is sent, then one message in the chat with an inline keyboard of callback payloads, in reply to the mid', async () => {
    const port = createChannelPort({ max: adapter }, CITY);
    const result = await port.send(
      { channel: 'max', chatId: String(CHAT), replyToMessageId: 'mid.00000000000000c1' },
      { kind: 'citizen_notification', notification: { kind: 'poll', caseId: 7, caseNumber: 'МЦУ-2026-000007' } as never },
      'notify:1',
    );
    expect(result).toMatchObject({ status: 'sent', messageId: expect.stringMatching(/^mid\./) });
    const [sent] = fake.sentTo(CHAT);
    expect(sent?.text).toMatch(/Проблема решена\?/);
    expect(sent?.link).toEqual({ type: 'reply', mid: 'mid.00000000000000c1' });
    expect(sent?.keyboard).toEqual([
      [
        { type: 'callback', text: 'Да', payload: 'poll:7:yes' },
        { type: 'callback', text: 'Нет', payload: 'poll:7:no' },
      ],
    ]);
  });

  it('when an answer has 4,500 characters and photos, then it is split under 4,000, the photos uploaded and sent with the first part', async () => {
    const chat = CHAT + 1;
    const long = `${'Работы выполнены. '.repeat(250)}Конец.`;
    expect(long.length).toBeGreaterThan(4_500);
    const result = await adapter.send(
      { text: long, buttons: pollButtons(3), photos: [{ telegramFileId: 'AgAD1' }, { telegramFileId: 'AgAD2' }] },
      // models/answer-target.ts hands a MAX mid over as a number: "NaN" goes without the quote.
      { channel: 'max', chatId: String(chat), replyToMessageId: 'NaN' },
      'answer:1',
    );
    expect(result.status).toBe('sent');
    const parts = fake.sentTo(chat);
    expect(parts).toHaveLength(2);
    for (const part of parts) expect(part.text.length).toBeLessThanOrEqual(4_000);
    expect(parts.map((p) => p.text).join(' ')).toBe(long);
    expect(fake.uploads).toHaveLength(2);
    expect(parts[0]?.attachments.map((a) => a.type)).toEqual(['image', 'image']);
    expect(parts[0]?.attachments[0]).toEqual({ type: 'image', payload: { photos: { '1': { token: 'photo.token.1' } } } });
    expect(parts[0]?.link).toBeNull();
    expect(parts[0]?.keyboard).toBeNull();
    expect(parts[1]?.keyboard?.[0]?.map((b) => b.payload)).toEqual(['poll:3:yes', 'poll:3:no']);
  });

  it('when the citizen blocked the bot, then blocked; when MAX says 429, then retry after its Retry-After; 5xx and 401 failed', async () => {
    const text = { text: 'Ответ', buttons: [], photos: [] };
    fake.block(CHAT + 2);
    expect(await adapter.send(text, { channel: 'max', chatId: String(CHAT + 2) }, 'a')).toEqual({
      status: 'blocked',
      reason: 'MAX Bot API 403 chat.denied',
    });
    fake.fail({
      method: 'POST',
      path: '/messages',
      status: 404,
      code: 'not.found',
      message: 'Chat 8000104 not found',
      chatId: CHAT + 4,
    });
    expect(await adapter.send(text, { channel: 'max', chatId: String(CHAT + 4) }, 'a')).toMatchObject({ status: 'blocked' });
    // A 404 of a wrong path is no blocked citizen.
    fake.fail({ method: 'POST', path: '/messages', status: 404, code: 'not.found', message: 'Path /messages not found' });
    expect(await adapter.send(text, { channel: 'max', chatId: String(CHAT + 3) }, 'a')).toMatchObject({ status: 'failed' });
    fake.fail({ method: 'POST', path: '/messages', status: 429, code: 'too.many.requests', retryAfter: 7 });
    expect(await adapter.send(text, { channel: 'max', chatId: String(CHAT + 3) }, 'a')).toMatchObject({
      status: 'retry',
      afterSeconds: 7,
    });
    fake.fail({ method: 'POST', path: '/messages', status: 503, code: 'service.unavailable' });
    const failed = await adapter.send(text, { channel: 'max', chatId: String(CHAT + 3) }, 'a');
    expect(failed).toMatchObject({ status: 'failed', reason: 'MAX Bot API 503 service.unavailable' });
    const wrongToken = new MaxAdapter(createMaxApi({ token: 'not-the-token-0123456789', baseUrl: fake.baseUrl }));
    expect(await wrongToken.send(text, { channel: 'max', chatId: String(CHAT) }, 'a')).toMatchObject({
      status: 'failed',
      reason: 'MAX Bot API 401 verify.token',
    });
    const nowhere = new MaxAdapter(createMaxApi({ token: fake.token, baseUrl: 'http://127.0.0.1:1' }));
    expect(await nowhere.send(text, { channel: 'max', chatId: String(CHAT) }, 'a')).toMatchObject({ status: 'failed' });
    // Photos need Telegram's file access: without it, failed (the job retries where there is one).
    expect(
      await new MaxAdapter(api).send(
        { ...text, photos: [{ telegramFileId: 'x' }] },
        { channel: 'max', chatId: String(CHAT) },
        'a',
      ),
    ).toMatchObject({ status: 'failed' });
  });

  it('when messages go to one chat, then about two a second; other chats do not wait', async () => {
    const started = Date.now();
    await Promise.all([1, 2, 3].map((i) => api.send({ chatId: CHAT + 10 }, { text: `часть ${i}` })));
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    const others = Date.now();
    await Promise.all([11, 12, 13].map((i) => api.send({ chatId: CHAT + i }, { text: 'раз' })));
    expect(Date.now() - others).toBeLessThan(800);
    // The token travels in the Authorization header, never in the URL.
    expect(fake.sent.every((m) => m.mid.startsWith('mid.'))).toBe(true);
  });
});
