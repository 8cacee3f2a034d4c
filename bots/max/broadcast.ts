import type { BroadcastContent, BulkRecipient, BulkResult } from '../../models/broadcast.js';
import {
  type BulkFailure,
  bulkFailure,
  deliverParts,
  downloadPhoto,
  laneOf,
  type MessengerBroadcaster,
  PerBroadcast,
  type PhotoDownload,
  PictureUnreadable,
  readPicture,
} from '../outbound/broadcast-port.js';
import { renderBroadcast } from '../outbound/render.js';
import { splitText } from '../split-text.js';
import type { MaxApiPort, MaxAttachment, MaxBulkApi } from './api.js';
import { maxKeyboard } from './keyboards.js';
import { deliveryFailure, isPlatformFailure, MAX_TEXT_LENGTH } from './outbound.js';

/**
 * MAX's side of the broadcast port: one `POST /messages?chat_id=…` per recipient and part (the dialog's
 * chat, as the channel port's adapter sends), each taking a token of the broadcast's lane of the bot's
 * pacer — the 30 requests/s the bot's client shares, its own sends in the priority lane — with the
 * chat's gap. The picture is read and uploaded to MAX once per broadcast and attached to the first part,
 * «Отписаться» under the last. Results as the adapter's: 403 or a chat MAX says is gone → `blocked`, a
 * 429 → `retry` after its Retry-After (every lane paused for it), anything else `failed` — transient for a
 * 5xx, the network or a timeout (an outage's sign), the recipient's own for a 4xx or a picture that
 * cannot be read. MAX has no
 * idempotency key: `concurrency` bounds what a restart may send twice.
 */
export class MaxBroadcaster implements MessengerBroadcaster {
  readonly channel = 'max';
  readonly #photos = new PerBroadcast<MaxAttachment>();

  constructor(
    private readonly bulk: MaxBulkApi,
    /** The bot's client, for the one upload of a broadcast's picture. */
    private readonly api: Pick<MaxApiPort, 'uploadPhoto'>,
    private readonly requestsPerSecond: number,
    private readonly download: PhotoDownload = downloadPhoto,
  ) {}

  batchSize(): number {
    return 1;
  }

  /** About a second of sends in flight. */
  concurrency(): number {
    return Math.max(1, Math.ceil(this.requestsPerSecond));
  }

  async send(content: BroadcastContent, recipients: readonly BulkRecipient[]): Promise<BulkResult[]> {
    const rendered = renderBroadcast(content);
    const lane = laneOf(content);
    let photo: MaxAttachment | null = null;
    const url = rendered.photoUrl;
    if (url !== null) {
      try {
        photo = await this.#photos.get(content.broadcastId, async () =>
          this.api.uploadPhoto(await readPicture(this.download, url)),
        );
      } catch (error) {
        // A picture that cannot be read is the broadcast's fault (its URL), not MAX's: never an outage.
        const failure: BulkFailure =
          error instanceof PictureUnreadable
            ? { status: 'failed', reason: error.message }
            : bulkFailure(deliveryFailure(error), isPlatformFailure(error));
        const reason = `the picture could not be uploaded: ${failure.reason}`;
        return recipients.map(({ seq }) => ({ ...failure, seq, reason }));
      }
    }
    const keyboard = maxKeyboard(rendered.buttons);
    const parts = splitText(rendered.text, MAX_TEXT_LENGTH);
    return Promise.all(
      recipients.map(({ seq, chatId }) => {
        const chat = Number(chatId);
        if (!Number.isSafeInteger(chat))
          return { seq, status: 'failed' as const, reason: 'MAX recipient without a numeric chat id' };
        return deliverParts(
          seq,
          parts.length,
          async (index) => {
            const attachments = [
              ...(index === 0 && photo ? [photo] : []),
              ...(index === parts.length - 1 && keyboard ? [keyboard] : []),
            ];
            const text = parts[index] as string;
            const { mid } = await this.bulk.send(
              { chatId: chat },
              attachments.length > 0 ? { text, attachments } : { text },
              lane,
            );
            return mid;
          },
          (error) => bulkFailure(deliveryFailure(error), isPlatformFailure(error)),
        );
      }),
    );
  }
}
