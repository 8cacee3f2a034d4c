import { type ChannelPort, type DeliveryResult, type Recipient, sentOrThrow } from '../../models/outbound.js';
import type { Buttons } from '../outbound/buttons.js';
import type { MessengerAdapter, PhotoSource } from '../outbound/channel-port.js';
import type { Rendered } from '../outbound/render.js';
import { splitText } from '../split-text.js';
import { type MaxApiPort, type MaxAttachment, MaxError, MaxRateLimited, type MaxTarget } from './api.js';
import { maxKeyboard } from './keyboards.js';

/** MAX's limit on a message's text. */
export const MAX_TEXT_LENGTH = 4_000;
/** Photos attached to one answer (as VK). */
const PHOTOS_MAX = 10;

/**
 * Puts a text on MAX: in parts of at most 4,000 characters, the attachments (photos) on the first,
 * the keyboard under the last, the first in reply to `replyTo` (a mid). Resolves with the first part's
 * mid. Shared by the channel port's adapter and the conversation's replies.
 */
export async function sendText(
  api: MaxApiPort,
  to: MaxTarget,
  message: { text: string; buttons?: Buttons; attachments?: MaxAttachment[]; replyTo?: string | undefined },
): Promise<string | null> {
  const keyboard = maxKeyboard(message.buttons ?? []);
  const parts = splitText(message.text, MAX_TEXT_LENGTH);
  let first: string | null = null;
  for (const [i, part] of parts.entries()) {
    const attachments = [
      ...(i === 0 ? (message.attachments ?? []) : []),
      ...(i === parts.length - 1 && keyboard ? [keyboard] : []),
    ];
    const outgoing = { text: part, ...(attachments.length > 0 ? { attachments } : {}) };
    const replyTo = i === 0 ? message.replyTo : undefined;
    const { mid } = await api.send(to, replyTo ? { ...outgoing, replyTo } : outgoing).catch((error: unknown) => {
      // A reply to a message MAX no longer has is refused (400): send it without the quote.
      if (replyTo && error instanceof MaxError && error.status === 400) return api.send(to, outgoing);
      throw error;
    });
    first ??= mid;
  }
  return first;
}

/**
 * The MAX side of the channel port: a message in the recipient's chat (`chat_id`), in reply to its
 * message when there is one. Officials' photos (Telegram file ids) are read through the PhotoSource
 * and uploaded to MAX (`POST /uploads?type=image`), then sent with the text. MAX has no idempotency
 * key, so `ref` is not used (as for Telegram).
 */
export class MaxAdapter implements MessengerAdapter {
  constructor(
    private readonly api: MaxApiPort,
    /** Reads officials' photos from Telegram; null when this instance has no Telegram token. */
    private readonly photos: PhotoSource | null = null,
  ) {}

  async send({ text, buttons, photos }: Rendered, recipient: Recipient, _ref: string): Promise<DeliveryResult> {
    const chatId = Number(recipient.chatId);
    if (!Number.isSafeInteger(chatId)) return { status: 'failed', reason: 'MAX recipient without a numeric chat id' };
    const source = this.photos;
    if (photos.length > 0 && !source)
      return { status: 'failed', reason: 'no Telegram file access in this instance to copy the photos' };
    try {
      const attachments: MaxAttachment[] = [];
      for (const photo of photos.slice(0, PHOTOS_MAX))
        attachments.push(await this.api.uploadPhoto(await (source as PhotoSource)(photo.telegramFileId)));
      const mid = await sendText(
        this.api,
        { chatId },
        { text, buttons, attachments, replyTo: midOf(recipient.replyToMessageId) },
      );
      return mid ? { status: 'sent', messageId: mid } : { status: 'sent' };
    } catch (error) {
      return deliveryFailure(error);
    }
  }

  edit(message: Rendered, _recipient: Recipient, messageId: string, _ref: string): Promise<DeliveryResult> {
    return editMaxMessage(this.api, messageId, message);
  }
}

/**
 * The edit side of the MAX adapter: `PUT /messages?message_id=` with the text (cut to one message) and the
 * keyboard; an empty list of attachments removes the keyboard. Photos are not edited.
 */
export async function editMaxMessage(api: MaxApiPort, mid: string, { text, buttons }: Rendered): Promise<DeliveryResult> {
  const keyboard = maxKeyboard(buttons);
  try {
    await api.edit(mid, { text: splitText(text, MAX_TEXT_LENGTH)[0] ?? text, attachments: keyboard ? [keyboard] : [] });
    return { status: 'sent', messageId: mid };
  } catch (error) {
    return deliveryFailure(error);
  }
}

/** The message to quote, when it looks like a MAX mid (anything else goes without the quote). */
function midOf(id: string | undefined): string | undefined {
  return id && /^[A-Za-z0-9._-]{1,256}$/.test(id) ? id : undefined;
}

/**
 * MAX's words for a chat the bot can no longer write to: the user stopped or blocked it (403
 * `chat.denied`, "error.dialog.suspended"), the chat or user is gone ("Chat … not found").
 */
const BLOCKED = /chat\.denied|dialog\.(suspended|removed)|(chat|dialog|user).*not.found|blocked|bot\.stopped/i;

/**
 * A chat that can no longer be written to (403, or MAX saying the chat is gone) is blocked; a 429 is a
 * retry after MAX's Retry-After; anything else (401, a 404 of a wrong path, 5xx, the network) failed —
 * a wrong MAX_API_BASE_URL must not mark every citizen blocked. Reasons name the status and MAX's error
 * code only: its messages can carry user and chat ids.
 */
export function deliveryFailure(error: unknown): Exclude<DeliveryResult, { status: 'sent' }> {
  if (error instanceof MaxRateLimited) return { status: 'retry', afterSeconds: error.afterSeconds, reason: error.message };
  if (error instanceof MaxError) {
    const reason = `MAX Bot API ${error.status} ${error.code ?? ''}`.trim();
    if (error.status === 403 || BLOCKED.test(`${error.code} ${error.description}`)) return { status: 'blocked', reason };
    if (error.status === 429) return { status: 'retry', afterSeconds: 1, reason };
    return { status: 'failed', reason, cause: new Error(reason) };
  }
  return { status: 'failed', reason: error instanceof Error ? error.message : String(error), cause: error };
}

/**
 * MAX unreachable or failing on its side — the network, a timeout, a 5xx, an answer that is not MAX's
 * JSON (a proxy's error page) — a sign MAX may be down. Its 4xx (a refused chat, a bad request, a wrong
 * token or path) is the recipient's or the configuration's: waiting does not heal it.
 */
export function isPlatformFailure(error: unknown): boolean {
  if (error instanceof MaxRateLimited) return false;
  if (error instanceof MaxError) return error.status >= 500;
  return true;
}

/** Tells a citizen in a dialog, through the channel port, that their update could not be processed (after it was parked). */
export async function parkedNotice(outbound: ChannelPort, update: unknown): Promise<void> {
  const u = update as {
    update_type?: string;
    chat_id?: unknown;
    message?: { recipient?: { chat_id?: unknown; chat_type?: unknown } } | null;
  };
  const recipient = u.message?.recipient;
  const chatId = recipient?.chat_type === 'dialog' ? recipient.chat_id : u.update_type === 'bot_started' ? u.chat_id : undefined;
  if (typeof chatId !== 'number') return;
  const to = { channel: 'max' as const, chatId: String(chatId) };
  sentOrThrow(await outbound.send(to, { kind: 'processing_failed' }, `parked:max:${chatId}`));
}

/**
 * What a log line may say about a failed MAX call: MAX's own errors by their status and code only (its
 * messages can carry user and chat ids); any other error (the database, our code) as it is.
 */
export function maxErrorLog(error: unknown): { reason: string } | { err: unknown } {
  return error instanceof MaxError || error instanceof MaxRateLimited
    ? { reason: deliveryFailure(error).reason }
    : { err: error };
}
