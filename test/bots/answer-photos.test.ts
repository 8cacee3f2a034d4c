import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChannelPort, type MessengerAdapter, type PhotoSource } from '../../bots/outbound/channel-port.js';
import { splitText } from '../../bots/split-text.js';
import { TelegramAdapter } from '../../bots/telegram/outbound.js';
import { createVkApi, type VkApiPort } from '../../bots/vk/api.js';
import { VkAdapter } from '../../bots/vk/outbound.js';
import { type AnswerTarget, answerRecipient } from '../../models/answer-target.js';
import { sentOrThrow } from '../../models/outbound.js';
import type { AnswerPhoto } from '../../models/schema.js';
import { VkApiFake } from '../helpers/vk-fake.js';

const CITY = { name: 'Барнаул', timezone: 'Asia/Barnaul', locale: 'ru-RU' };

/** An answer sent through the channel port with one adapter, as the deliver-answer job sends it. */
function answerSender(channel: 'telegram' | 'vk', adapter: MessengerAdapter) {
  const port = createChannelPort({ [channel]: adapter }, CITY);
  return {
    deliver: async (target: Exclude<AnswerTarget, { mode: 'record' }>, text: string, ref: string, photos: AnswerPhoto[]) => {
      sentOrThrow(await port.send(answerRecipient(target), { kind: 'answer', text, photos }, ref));
    },
  };
}
const telegramAnswers = (api: unknown) => answerSender('telegram', new TelegramAdapter(api as never));
const vkAnswers = (api: VkApiPort, files: PhotoSource | null) => answerSender('vk', new VkAdapter(api, files));

/** A Bot API stand-in that records sendPhoto / sendMessage calls. */
function fakeTelegram() {
  const calls: { method: string; chatId: string | number; body: string; options: Record<string, unknown> }[] = [];
  const api = {
    sendPhoto: async (chatId: string | number, photo: unknown, options: Record<string, unknown> = {}) => {
      calls.push({ method: 'sendPhoto', chatId, body: String(photo), options });
      return {} as never;
    },
    sendMessage: async (chatId: string | number, text: string, options: Record<string, unknown> = {}) => {
      calls.push({ method: 'sendMessage', chatId, body: text, options });
      return {} as never;
    },
  };
  return { api, calls };
}

describe('answers with photos', () => {
  const target = { channel: 'telegram', mode: 'private', chatId: '42', replyTo: '7' } as const;

  it('when a Telegram answer has a photo and a short text, then one photo message carries the answer as its caption', async () => {
    const { api, calls } = fakeTelegram();
    await telegramAnswers(api).deliver(target, 'Яму заделали 03.12.', 'answer:1', [{ telegramFileId: 'F1' }]);
    expect(calls).toEqual([
      {
        method: 'sendPhoto',
        chatId: '42',
        body: 'F1',
        options: {
          reply_parameters: { message_id: 7, allow_sending_without_reply: true },
          caption: expect.stringContaining('Яму заделали'),
        },
      },
    ]);
  });

  it('when the text is longer than a caption may be, then the photos go first and the text follows', async () => {
    const { api, calls } = fakeTelegram();
    await telegramAnswers(api).deliver(target, 'Очень подробно. '.repeat(100), 'answer:2', [
      { telegramFileId: 'F1' },
      { telegramFileId: 'F2' },
    ]);
    expect(calls.map((c) => [c.method, c.body.slice(0, 2), 'caption' in c.options])).toEqual([
      ['sendPhoto', 'F1', false],
      ['sendPhoto', 'F2', false],
      ['sendMessage', 'От', false],
    ]);
  });

  it('when the answer is longer than one Telegram message, then it goes in parts, each within the limit', async () => {
    const { api, calls } = fakeTelegram();
    const long = `${'Работы по адресу выполнены подрядчиком в полном объёме. '.repeat(80)}Конец.`;
    await telegramAnswers(api).deliver(target, long, 'answer:4', []);
    expect(calls.length).toBeGreaterThan(1);
    expect(calls.every((c) => c.method === 'sendMessage' && c.body.length <= 4096)).toBe(true);
    expect(calls.map((c) => c.body).join(' ')).toContain('Конец.');
    expect(calls[0]?.options).toHaveProperty('reply_parameters');
    expect(splitText('a'.repeat(9000))).toEqual(['a'.repeat(4096), 'a'.repeat(4096), 'a'.repeat(808)]);
    expect(splitText('')).toEqual(['']);
  });

  it('when there is no photo, then a plain reply as before', async () => {
    const { api, calls } = fakeTelegram();
    await telegramAnswers(api).deliver(target, 'Готово.', 'answer:3', []);
    expect(calls.map((c) => c.method)).toEqual(['sendMessage']);
    expect(calls[0]?.options).toEqual({ reply_parameters: { message_id: 7, allow_sending_without_reply: true } });
  });

  describe('VK private message', () => {
    const vk = new VkApiFake();
    beforeAll(() => vk.start());
    afterAll(() => vk.stop());

    it('when the answer has a photo, then it is copied from Telegram, uploaded to VK and attached to the message', async () => {
      const requested: string[] = [];
      const files = async (fileId: string) => {
        requested.push(fileId);
        return Buffer.from('\xff\xd8\xff fake jpeg bytes');
      };
      const api = createVkApi({ token: 'community-token', apiBaseUrl: vk.baseUrl, requestsPerSecond: 20 });
      await vkAnswers(api, files).deliver({ channel: 'vk', mode: 'private', peerId: 555 }, 'Фонарь заменён 02.12.', 'answer:9', [
        { telegramFileId: 'TG-FILE-1' },
      ]);
      expect(requested).toEqual(['TG-FILE-1']);
      expect(vk.uploads).toHaveLength(1);
      expect(vk.sent('photos.saveMessagesPhoto')[0]?.params).toMatchObject({ server: '7', hash: 'h4sh' });
      const send = vk.sent('messages.send').at(-1)?.params;
      expect(send).toMatchObject({ peer_id: '555', attachment: 'photo-1_457239017' });
      expect(send?.message).toContain('Фонарь заменён');
    });

    it('when there is no way to read Telegram files here, then delivery fails (and the queue retries) instead of dropping the photo', async () => {
      const api = createVkApi({ token: 'community-token', apiBaseUrl: vk.baseUrl, requestsPerSecond: 20 });
      await expect(
        vkAnswers(api, null).deliver({ channel: 'vk', mode: 'private', peerId: 555 }, 'x', 'answer:10', [
          { telegramFileId: 'F' },
        ]),
      ).rejects.toThrow(/no Telegram file access/);
    });
  });
});
