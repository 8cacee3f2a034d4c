import { GrammyError, HttpError } from 'grammy';
import { describe, expect, it } from 'vitest';
import { APIError } from 'vk-io';
import { newCaseButtons } from '../../../bots/outbound/buttons.js';
import { createChannelPort, type MessengerAdapter } from '../../../bots/outbound/channel-port.js';
import type { Rendered } from '../../../bots/outbound/render.js';
import { TelegramAdapter } from '../../../bots/telegram/outbound.js';
import { ru } from '../../../bots/texts/ru.js';
import { stableRandomId, type VkApiPort } from '../../../bots/vk/api.js';
import { vkKeyboard } from '../../../bots/vk/keyboards.js';
import { VkAdapter } from '../../../bots/vk/outbound.js';
import { DeliveryError, type DeliveryResult, sentOrBlocked, sentOrThrow } from '../../../models/outbound.js';

const CITY = { name: 'Барнаул', timezone: 'Asia/Barnaul', locale: 'ru-RU' };
const TEXT: Rendered = { text: 'Здравствуйте', buttons: [], photos: [] };

const grammyError = (error_code: number, description: string, parameters = {}) =>
  new GrammyError(`Call to 'sendMessage' failed!`, { ok: false, error_code, description, parameters }, 'sendMessage', {});
const vkError = (code: number, message: string) => new APIError({ error_code: code, error_msg: message, request_params: [] });

/** A Bot API stand-in: every sendMessage answers with `answer` (a message or an error to throw). */
function telegram(answer: () => unknown) {
  const calls: { chatId: string | number; text: string; options: Record<string, unknown> }[] = [];
  const api = {
    sendMessage: async (chatId: string | number, text: string, options: Record<string, unknown> = {}) => {
      calls.push({ chatId, text, options });
      const result = answer();
      if (result instanceof Error) throw result;
      return result as never;
    },
    sendPhoto: async () => ({}) as never,
  };
  return { adapter: new TelegramAdapter(api), calls };
}

/** A VK API stand-in recording messages.send and wall.createComment. */
function vk(fail?: Error) {
  const calls: { method: string; args: unknown[] }[] = [];
  const api = {
    sendMessage: async (...args: unknown[]) => {
      calls.push({ method: 'messages.send', args });
      if (fail) throw fail;
    },
    createComment: async (...args: unknown[]) => {
      calls.push({ method: 'wall.createComment', args });
      if (fail) throw fail;
    },
    uploadMessagePhoto: async () => 'photo-1_1',
  } as unknown as VkApiPort;
  return { api, calls };
}

describe('the Telegram adapter', () => {
  it('when the message is sent, then sent with its message id, in reply and with the keyboard', async () => {
    const { adapter, calls } = telegram(() => ({ message_id: 501 }));
    const result = await adapter.send(
      { ...TEXT, buttons: newCaseButtons() },
      { channel: 'telegram', chatId: '42', replyToMessageId: '7' },
      'notify:1',
    );
    expect(result).toEqual({ status: 'sent', messageId: '501' });
    expect(calls).toHaveLength(1);
    expect(calls[0]?.options).toMatchObject({
      reply_parameters: { message_id: 7, allow_sending_without_reply: true },
      reply_markup: { inline_keyboard: [[{ text: ru.newCaseButton, callback_data: 'case:new' }]] },
    });
  });

  it("when the user blocked the bot (403) or the chat is gone, then blocked with Telegram's description", async () => {
    const blocked = telegram(() => grammyError(403, 'Forbidden: bot was blocked by the user'));
    expect(await blocked.adapter.send(TEXT, { channel: 'telegram', chatId: '42' }, 'r')).toEqual({
      status: 'blocked',
      reason: 'Forbidden: bot was blocked by the user',
    });
    const gone = telegram(() => grammyError(400, 'Bad Request: chat not found'));
    expect(await gone.adapter.send(TEXT, { channel: 'telegram', chatId: '42' }, 'r')).toMatchObject({ status: 'blocked' });
  });

  it('when Telegram still says 429 after the client waited, then retry after its retry_after', async () => {
    const { adapter } = telegram(() => grammyError(429, 'Too Many Requests: retry after 75', { retry_after: 75 }));
    expect(await adapter.send(TEXT, { channel: 'telegram', chatId: '42' }, 'r')).toMatchObject({
      status: 'retry',
      afterSeconds: 75,
    });
  });

  it('when anything else fails (a 400, the network), then failed with the error as its cause', async () => {
    const badRequest = grammyError(400, 'Bad Request: message is too long');
    const result = await telegram(() => badRequest).adapter.send(TEXT, { channel: 'telegram', chatId: '42' }, 'r');
    expect(result).toEqual({ status: 'failed', reason: badRequest.message, cause: badRequest });
    const network = new HttpError("Network request for 'sendMessage' failed!", new Error('ECONNREFUSED'));
    expect(await telegram(() => network).adapter.send(TEXT, { channel: 'telegram', chatId: '42' }, 'r')).toMatchObject({
      status: 'failed',
      cause: network,
    });
  });
});

describe('the VK adapter', () => {
  it('when a message goes to a chat, then messages.send with the random_id of its ref and the keyboard', async () => {
    const { api, calls } = vk();
    const result = await new VkAdapter(api).send(
      { ...TEXT, buttons: newCaseButtons() },
      { channel: 'vk', chatId: '555' },
      'notify:9',
    );
    expect(result).toEqual({ status: 'sent' });
    expect(calls).toEqual([
      {
        method: 'messages.send',
        args: [555, 'Здравствуйте', { randomId: stableRandomId('notify:9'), keyboard: vkKeyboard(newCaseButtons()) }],
      },
    ]);
  });

  it('when the recipient is a thread, then a reply comment from the community, text only', async () => {
    const { api, calls } = vk();
    const to = { channel: 'vk' as const, chatId: '-100', thread: { postId: '5', commentId: '6' } };
    expect(await new VkAdapter(api).send({ ...TEXT, buttons: newCaseButtons() }, to, 'answer:1')).toEqual({ status: 'sent' });
    expect(calls).toEqual([{ method: 'wall.createComment', args: [-100, 5, 6, 'Здравствуйте'] }]);
  });

  it('when the user does not allow messages from the community (900, 901, 902), then blocked', async () => {
    for (const code of [900, 901, 902]) {
      const { api } = vk(vkError(code, "Can't send messages for users without permission"));
      expect(await new VkAdapter(api).send(TEXT, { channel: 'vk', chatId: '555' }, 'r')).toMatchObject({ status: 'blocked' });
    }
  });

  it('when VK says «permission denied» (7, e.g. a token without the messages right), then failed, not blocked', async () => {
    const { api } = vk(vkError(7, 'Permission to perform this action is denied'));
    expect(await new VkAdapter(api).send(TEXT, { channel: 'vk', chatId: '555' }, 'r')).toMatchObject({ status: 'failed' });
  });

  it('when VK still says "too many requests" after vk-io retried, then retry after a second', async () => {
    const { api } = vk(vkError(6, 'Too many requests per second'));
    expect(await new VkAdapter(api).send(TEXT, { channel: 'vk', chatId: '555' }, 'r')).toMatchObject({
      status: 'retry',
      afterSeconds: 1,
    });
  });

  it('when anything else fails, then failed', async () => {
    const { api } = vk(vkError(100, 'One of the parameters specified was missing or invalid'));
    expect(await new VkAdapter(api).send(TEXT, { channel: 'vk', chatId: '555' }, 'r')).toMatchObject({ status: 'failed' });
    const photos = await new VkAdapter(vk().api, null).send(
      { ...TEXT, photos: [{ telegramFileId: 'F' }] },
      { channel: 'vk', chatId: '555' },
      'r',
    );
    expect(photos).toEqual({ status: 'failed', reason: 'no Telegram file access in this instance to copy the photos' });
  });
});

describe('the channel port', () => {
  const recording = () => {
    const sent: [Rendered, string, string][] = [];
    const adapter: MessengerAdapter = {
      send: async (message, to, ref) => {
        sent.push([message, to.chatId, ref]);
        return { status: 'sent' };
      },
    };
    return { adapter, sent };
  };

  it("when a message is sent, then it is rendered once and goes to the adapter of the recipient's channel", async () => {
    const telegramSide = recording();
    const vkSide = recording();
    const port = createChannelPort({ telegram: telegramSide.adapter, vk: vkSide.adapter }, CITY);
    expect(await port.send({ channel: 'vk', chatId: '555' }, { kind: 'processing_failed' }, 'parked:1')).toEqual({
      status: 'sent',
    });
    expect(vkSide.sent).toEqual([[{ text: ru.internalError, buttons: [], photos: [] }, '555', 'parked:1']]);
    expect(telegramSide.sent).toEqual([]);
  });

  it('when this instance has no sender for the channel, then failed, so the job is retried (maybe by another instance)', async () => {
    const port = createChannelPort({ telegram: recording().adapter }, CITY);
    expect(await port.send({ channel: 'vk', chatId: '555' }, { kind: 'processing_failed' }, 'r')).toEqual({
      status: 'failed',
      reason: 'no vk sender in this instance',
    });
  });

  it('when a handler reads the result, then blocked is an outcome, retry and failed throw a DeliveryError with the hint and the cause', () => {
    const blocked: DeliveryResult = { status: 'blocked', reason: 'Forbidden' };
    expect(sentOrBlocked(blocked)).toBe(blocked);
    expect(() => sentOrThrow(blocked)).toThrow(DeliveryError);
    const cause = new Error('429');
    const retry: DeliveryResult = { status: 'retry', afterSeconds: 30, reason: 'Too Many Requests', cause };
    const error = (() => {
      try {
        sentOrBlocked(retry);
      } catch (e) {
        return e as DeliveryError;
      }
    })();
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error).toMatchObject({ retryAfterSeconds: 30, cause, message: 'Too Many Requests (retry after 30 s)' });
    expect(() => sentOrBlocked({ status: 'failed', reason: 'no vk sender in this instance' })).toThrow(
      'no vk sender in this instance',
    );
    expect(sentOrThrow({ status: 'sent', messageId: '1' })).toEqual({ status: 'sent', messageId: '1' });
  });
});
