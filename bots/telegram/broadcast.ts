import { Api, GrammyError } from 'grammy';
import type { Message } from 'grammy/types';
import type { Pacer } from '../../lib/pacer.js';
import type { BroadcastContent, BulkRecipient, BulkResult } from '../../models/broadcast.js';
import {
  type BulkFailure,
  bulkFailure,
  deliverParts,
  laneOf,
  type MessengerBroadcaster,
  PerBroadcast,
} from '../outbound/broadcast-port.js';
import { type RenderedBroadcast, renderBroadcast } from '../outbound/render.js';
import { splitText } from '../split-text.js';
import { inlineKeyboard } from './keyboards.js';
import { deliveryFailure, isPlatformFailure } from './outbound.js';
import { chatGap, type TelegramLimits } from './pacing.js';

/** Telegram's limit on a photo caption. */
const CAPTION_MAX = 1024;

/** The Bot API calls a broadcast needs. */
export type TelegramBulkApi = Pick<Api, 'sendMessage' | 'sendPhoto'>;

/**
 * The broadcasts' own Bot API client: no auto-retry on it, so a 429 comes back at once — the sender
 * pauses the bot's pacer for every lane and hands the recipient back as `retry`, instead of a client
 * sleeping inside one call while thirty others keep going. Same token and apiRoot as the bot.
 */
export function createTelegramBulkApi(options: { token: string; apiRoot: string }): Api {
  return new Api(options.token, { apiRoot: options.apiRoot });
}

/**
 * Telegram's side of the broadcast port: one recipient per call (Telegram has no bulk send), each
 * message through the bot's pacer in the broadcast's lane with the chat's gap (1 s, a group 3 s), so
 * a message in two parts keeps the gap and case acknowledgements (the priority lane) overtake it.
 * The picture goes by its URL the first time and by the file id Telegram answers afterwards; the text
 * is its caption when it fits in 1,024 characters, else it follows the picture. The «Отписаться» button
 * is under the last part.
 *
 * Results: a 429 → `retry` after its retry_after, and every lane paused for it; 403 or "chat not found"
 * → `blocked`; a 5xx or the network → `failed`, transient (an outage's sign); another 4xx → `failed`. Telegram has no idempotency key: a call in flight
 * at a crash may have been delivered, so `concurrency` is the bound of what a restart may repeat.
 */
export class TelegramBroadcaster implements MessengerBroadcaster {
  readonly channel = 'telegram';
  readonly #photos = new PerBroadcast<string>();

  constructor(
    private readonly api: TelegramBulkApi,
    private readonly pacer: Pacer,
    private readonly limits: TelegramLimits,
  ) {}

  batchSize(): number {
    return 1;
  }

  /** About a second of sends in flight: enough for the full rate with two-part messages (each waits its chat's 1 s gap). */
  concurrency(): number {
    return Math.max(1, Math.ceil(this.limits.perSecond));
  }

  send(content: BroadcastContent, recipients: readonly BulkRecipient[]): Promise<BulkResult[]> {
    const rendered = renderBroadcast(content);
    return Promise.all(recipients.map((recipient) => this.#one(content, rendered, recipient)));
  }

  #one(content: BroadcastContent, rendered: RenderedBroadcast, { seq, chatId }: BulkRecipient): Promise<BulkResult> {
    const lane = laneOf(content);
    const gap = chatGap(chatId, this.limits);
    const markup = { reply_markup: inlineKeyboard(rendered.buttons) };
    const calls: (() => Promise<Message>)[] = [];
    const photoUrl = rendered.photoUrl;
    const captioned = photoUrl !== null && rendered.text.length <= CAPTION_MAX;
    if (photoUrl !== null)
      calls.push(() => this.#photo(content.broadcastId, photoUrl, chatId, captioned ? rendered.text : null, markup));
    if (!captioned) {
      const parts = splitText(rendered.text);
      for (const [i, part] of parts.entries())
        calls.push(() => this.api.sendMessage(chatId, part, i === parts.length - 1 ? markup : {}));
    }
    return deliverParts(
      seq,
      calls.length,
      async (index) => {
        await this.pacer.take(lane, gap);
        const sent = await (calls[index] as () => Promise<Message>)();
        return String(sent.message_id);
      },
      (error) => this.#failure(error),
    );
  }

  /** The picture: by URL until Telegram has answered a file id for this broadcast, then by that id. */
  async #photo(
    broadcastId: number,
    url: string,
    chatId: string,
    caption: string | null,
    markup: { reply_markup: ReturnType<typeof inlineKeyboard> },
  ): Promise<Message> {
    const known = this.#photos.has(broadcastId) ? await this.#photos.get(broadcastId, async () => url) : url;
    const sent = await this.api.sendPhoto(chatId, known, caption !== null ? { caption, ...markup } : {});
    const fileId = sent.photo?.at(-1)?.file_id;
    if (fileId && known === url) this.#photos.set(broadcastId, fileId);
    return sent;
  }

  /** A failed call as a result; a 429 also pauses every lane of the bot for its retry_after. */
  #failure(error: unknown): BulkFailure {
    if (error instanceof GrammyError && error.error_code === 429) this.pacer.pauseAll(error.parameters.retry_after ?? 1);
    return bulkFailure(deliveryFailure(error), isPlatformFailure(error));
  }
}
