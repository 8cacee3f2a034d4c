import { type Api, GrammyError, HttpError } from 'grammy';
import type { Message } from 'grammy/types';
import type { DeliveryResult, Recipient } from '../../models/outbound.js';
import type { MessengerAdapter } from '../outbound/channel-port.js';
import type { Rendered } from '../outbound/render.js';
import { splitText } from '../split-text.js';
import { inlineKeyboard } from './keyboards.js';

/** Telegram's limit on a photo caption. */
const CAPTION_MAX = 1024;

/**
 * The Telegram side of the channel port: a message in a chat, as a reply when the recipient names a
 * message (a discussion thread is a chat too). Photos go first, the text as the first one's caption
 * when it fits; a text longer than one message goes in parts, the buttons under the last.
 * The client's auto-retry already waits out 429s and 5xx; what still fails is mapped here.
 */
export class TelegramAdapter implements MessengerAdapter {
  constructor(private readonly api: Pick<Api, 'sendMessage' | 'sendPhoto'> & Partial<Pick<Api, 'editMessageText'>>) {}

  /**
   * `editMessageText` with the keyboard (none removes it). The text is cut to one message: what is edited
   * in place (a broadcast's progress) is short. Telegram's "message is not modified" is a success.
   */
  async edit({ text, buttons }: Rendered, recipient: Recipient, messageId: string, _ref: string): Promise<DeliveryResult> {
    if (!this.api.editMessageText) return { status: 'failed', reason: 'editing messages is not supported by this client' };
    try {
      await this.api.editMessageText(recipient.chatId, Number(messageId), splitText(text)[0] ?? text, {
        reply_markup: inlineKeyboard(buttons),
      });
      return { status: 'sent', messageId };
    } catch (error) {
      if (error instanceof GrammyError && /message is not modified/i.test(error.description))
        return { status: 'sent', messageId };
      return deliveryFailure(error);
    }
  }

  async send(message: Rendered, recipient: Recipient, _ref: string): Promise<DeliveryResult> {
    try {
      const sent = await this.#send(message, recipient);
      return sent?.message_id === undefined ? { status: 'sent' } : { status: 'sent', messageId: String(sent.message_id) };
    } catch (error) {
      return deliveryFailure(error);
    }
  }

  async #send({ text, buttons, photos }: Rendered, recipient: Recipient): Promise<Message | undefined> {
    const chatId = recipient.chatId;
    const reply = recipient.replyToMessageId
      ? { reply_parameters: { message_id: Number(recipient.replyToMessageId), allow_sending_without_reply: true } }
      : {};
    const markup = buttons.length > 0 ? { reply_markup: inlineKeyboard(buttons) } : {};
    const captioned = photos.length > 0 && text.length <= CAPTION_MAX;
    let first: Message | undefined;
    for (const [i, photo] of photos.entries()) {
      const sent = await this.api.sendPhoto(chatId, photo.telegramFileId, {
        ...(i === 0 ? reply : {}),
        ...(i === 0 && captioned ? { caption: text, ...markup } : {}),
      });
      first ??= sent;
    }
    if (captioned) return first;
    // A text longer than one message (an official's 4096 characters plus our heading) goes in parts.
    const parts = splitText(text);
    for (const [i, part] of parts.entries()) {
      const sent = await this.api.sendMessage(chatId, part, {
        ...(i === 0 && photos.length === 0 ? reply : {}),
        ...(i === parts.length - 1 ? markup : {}),
      });
      first ??= sent;
    }
    return first;
  }
}

/**
 * A chat that can no longer be written to (403: the user blocked the bot or left; 400 "chat not
 * found") is blocked — it would never heal; a 429 the client gave up waiting for is a retry after
 * Telegram's retry_after; anything else failed.
 */
export function deliveryFailure(error: unknown): Exclude<DeliveryResult, { status: 'sent' }> {
  if (error instanceof GrammyError) {
    if (error.error_code === 403 || /chat not found/i.test(error.description))
      return { status: 'blocked', reason: error.description };
    if (error.error_code === 429)
      return { status: 'retry', afterSeconds: error.parameters.retry_after ?? 1, reason: error.message, cause: error };
  }
  return { status: 'failed', reason: error instanceof Error ? error.message : String(error), cause: error };
}

/**
 * The Bot API unreachable or failing on its side — the network or a timeout (grammY's HttpError), a 5xx —
 * a sign Telegram may be down. A 4xx other than those `deliveryFailure` reads (a bad request, a picture
 * Telegram cannot fetch, the text refused) is the recipient's or the content's: waiting does not heal it.
 */
export function isPlatformFailure(error: unknown): boolean {
  if (error instanceof GrammyError) return error.error_code >= 500;
  return error instanceof HttpError;
}
