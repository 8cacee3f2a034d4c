import { APIError, VKError } from 'vk-io';
import type { DeliveryResult, Recipient } from '../../models/outbound.js';
import type { MessengerAdapter, PhotoSource } from '../outbound/channel-port.js';
import type { Rendered } from '../outbound/render.js';
import { splitText } from '../split-text.js';
import { stableRandomId, type VkApiPort } from './api.js';
import { vkKeyboard } from './keyboards.js';

/** VK attaches at most 10 photos to a message. */
const PHOTOS_MAX = 10;

/**
 * The VK side of the channel port: a community message (`messages.send`), or for a public thread a
 * reply comment from the community (`wall.createComment` with `from_group`). Photos (sent by officials
 * in Telegram) are copied into a private message; a community token cannot upload photos for a wall
 * comment, so a comment carries the text only, and no buttons (VK has none there).
 */
export class VkAdapter implements MessengerAdapter {
  constructor(
    private readonly api: VkApiPort,
    /** Reads officials' photos from Telegram; null when this instance has no Telegram token. */
    private readonly photos: PhotoSource | null = null,
  ) {}

  async send(message: Rendered, recipient: Recipient, ref: string): Promise<DeliveryResult> {
    try {
      if (recipient.thread) {
        const { postId, commentId } = recipient.thread;
        await this.api.createComment(Number(recipient.chatId), Number(postId), Number(commentId), message.text);
        return { status: 'sent' };
      }
      return await this.#message(message, Number(recipient.chatId), ref);
    } catch (error) {
      return deliveryFailure(error);
    }
  }

  /**
   * Not done: what is edited in place is a broadcast's progress for МЦУ staff, who work in Telegram and MAX
   * (VK's messages.edit would also need the conversation message id, which messages.send does not return here).
   */
  async edit(_message: Rendered, _recipient: Recipient, _messageId: string, _ref: string): Promise<DeliveryResult> {
    return { status: 'failed', reason: 'editing messages is not supported on vk' };
  }

  async #message({ text, buttons, photos }: Rendered, peerId: number, ref: string): Promise<DeliveryResult> {
    const source = this.photos;
    if (photos.length > 0 && !source)
      return { status: 'failed', reason: 'no Telegram file access in this instance to copy the photos' };
    const attachments: string[] = [];
    for (const photo of photos.slice(0, PHOTOS_MAX)) {
      const bytes = await (source as PhotoSource)(photo.telegramFileId);
      attachments.push(await this.api.uploadMessagePhoto(peerId, bytes));
    }
    // The same send retried by the queue keeps its random_ids (from `ref`: the job id, the answer id):
    // VK delivers each part once, and two different messages never share one (VK checks the whole dialog).
    const parts = splitText(text);
    for (const [i, part] of parts.entries())
      await this.api.sendMessage(peerId, part, {
        randomId: stableRandomId(i === 0 ? ref : `${ref}:${i}`),
        ...(i === 0 && attachments.length > 0 ? { attachment: attachments.join(',') } : {}),
        ...(i === parts.length - 1 && buttons.length > 0 ? { keyboard: vkKeyboard(buttons) } : {}),
      });
    return { status: 'sent' };
  }
}

/**
 * VK error codes for a chat the community can no longer write to. Not 7 («permission denied»): it also
 * comes from a token without the messages right, and that must fail loudly (retried, then in the queue's
 * dead letters), not mark every answer as blocked.
 */
const BLOCKED = new Set([
  900, // the user put the community on their blacklist
  901, // the user did not allow messages from the community
  902, // the user's privacy settings
]);

/** VK's "too many requests per second", after vk-io's own retries. */
const TOO_MANY_REQUESTS = 6;

/** A chat the community cannot write to is blocked; a rate limit is a retry after a second; anything else failed. */
export function deliveryFailure(error: unknown): Exclude<DeliveryResult, { status: 'sent' }> {
  if (error instanceof APIError) {
    const code = Number(error.code);
    if (BLOCKED.has(code)) return { status: 'blocked', reason: error.message };
    if (code === TOO_MANY_REQUESTS) return { status: 'retry', afterSeconds: 1, reason: error.message, cause: error };
  }
  return { status: 'failed', reason: error instanceof Error ? error.message : String(error), cause: error };
}

/** VK's errors on its own side: 1 (unknown error), 10 (internal server error). */
const VK_SIDE = new Set([1, 10]);

/**
 * VK unreachable or failing on its side — the network or a timeout after vk-io's retries, errors 1 and
 * 10 — a sign VK may be down. Its other errors (a refused peer or intent, a bad parameter, an upload VK
 * would not take) are the recipient's or the content's: waiting does not heal them.
 */
export function isPlatformFailure(error: unknown): boolean {
  if (error instanceof APIError) return isVkSideError(Number(error.code), error.message);
  return !(error instanceof VKError);
}

/** A VK error code (and its words) that is VK failing on its side. */
export function isVkSideError(code: number, description = ''): boolean {
  return VK_SIDE.has(code) || /internal server error/i.test(description);
}
