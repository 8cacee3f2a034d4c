import type { BroadcastSettings } from '../../config/domain.js';
import type { Lane } from '../../lib/pacer.js';
import type { BroadcastChannel, BroadcastContent, BroadcastPort, BulkRecipient, BulkResult } from '../../models/broadcast.js';
import type { DeliveryResult } from '../../models/outbound.js';

/**
 * One messenger's side of the broadcast port (bots/telegram/broadcast.ts, bots/vk/broadcast.ts,
 * bots/max/broadcast.ts): it puts one broadcast on its API for a batch of recipients, paced by the
 * bot's pacer in the broadcast's lane, and answers one result per recipient, never throwing for a
 * delivery failure.
 */
export interface MessengerBroadcaster {
  readonly channel: BroadcastChannel;
  batchSize(): number;
  concurrency(): number;
  send(content: BroadcastContent, recipients: readonly BulkRecipient[]): Promise<BulkResult[]>;
}

/** The messengers' limits the senders pace to: the domain file's `broadcasts`, else the platforms' published ones. */
export type MessengerLimits = Pick<BroadcastSettings, 'telegram' | 'vk' | 'max' | 'vkIntents'>;

/** The published limits (Telegram Bot API FAQ, VK API limits, MAX Bot API), for a domain file without `broadcasts`. */
export const PUBLISHED_LIMITS: MessengerLimits = {
  telegram: { perSecond: 30, perChatSeconds: 1, perGroupPerMinute: 20 },
  vk: { requestsPerSecond: 20, peersPerCall: 100, intentLimitBackoffSeconds: 600, randomIdScope: 'dialog' },
  max: { requestsPerSecond: 30, messagesPerChatPerSecond: 2 },
  vkIntents: { subscribers: 'non_promo_newsletter', cases: 'account_update', emergency: 'non_promo_newsletter' },
};

/** The limits of this domain file. */
export function messengerLimits(settings: BroadcastSettings | undefined): MessengerLimits {
  return settings ?? PUBLISHED_LIMITS;
}

/** An emergency broadcast goes in its own lane, above the normal ones (below acknowledgements). */
export const laneOf = (content: Pick<BroadcastContent, 'priority'>): Lane =>
  content.priority === 'emergency' ? 'emergency' : 'bulk';

/**
 * The port of this instance: one broadcaster per messenger it has a token for; a batch for any other
 * channel fails as a whole (another instance may have the token, and the rows are tried again).
 */
export function createBroadcastPort(broadcasters: readonly MessengerBroadcaster[]): BroadcastPort {
  const byChannel = new Map(broadcasters.map((b) => [b.channel, b] as const));
  return {
    channels: () => [...byChannel.keys()],
    batchSize: (channel) => byChannel.get(channel)?.batchSize() ?? 1,
    concurrency: (channel) => byChannel.get(channel)?.concurrency() ?? 1,
    async send(channel, content, recipients) {
      const broadcaster = byChannel.get(channel);
      if (!broadcaster)
        return recipients.map(({ seq }) => ({ seq, status: 'failed', reason: `no ${channel} sender in this instance` }));
      return broadcaster.send(content, recipients);
    },
  };
}

/** What became of a send that did not go, without the recipient (`BulkResult` minus `seq`). */
export type BulkFailure = DistributiveOmit<Exclude<BulkResult, { status: 'sent' }>, 'seq'>;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/**
 * A channel-port failure (an adapter's error mapping) as a broadcast's, without its `cause`. `transient`:
 * the messenger's adapter says the platform failed on its side (`isPlatformFailure` of its outbound.ts) —
 * a sign of an outage, which the sender waits out; otherwise the failure is the recipient's.
 */
export function bulkFailure(result: Exclude<DeliveryResult, { status: 'sent' }>, transient = false): BulkFailure {
  switch (result.status) {
    case 'blocked':
      return { status: 'blocked', reason: result.reason };
    case 'retry':
      return { status: 'retry', afterSeconds: result.afterSeconds, reason: result.reason };
    case 'failed':
      return transient
        ? { status: 'failed', reason: result.reason, transient: true }
        : { status: 'failed', reason: result.reason };
  }
}

/** A later part is tried this many times before the recipient is stamped failed. */
const PART_ATTEMPTS = 4;

/**
 * One recipient's message in parts (a picture, then text parts; the button under the last), each part
 * one call that takes its own token. Until the first part is out, a failure is the recipient's result
 * as it is (the row is tried again later, nothing was delivered). Once a part is out, the rest is
 * finished here — after a 429 the pacer is paused, so the next try waits for it — rather than sending
 * the first part again on the row's next attempt; a part that still fails leaves the recipient `failed`
 * with the part named (the row's retry would then repeat the parts already delivered).
 */
export async function deliverParts(
  seq: number,
  parts: number,
  sendPart: (index: number) => Promise<string | null>,
  failure: (error: unknown) => BulkFailure,
  pauseMs: (attempt: number) => number = (attempt) => 1000 * attempt,
): Promise<BulkResult> {
  let first: string | null = null;
  for (let index = 0; index < parts; index++) {
    for (let attempt = 1; ; attempt++) {
      try {
        const id = await sendPart(index);
        if (index === 0) first = id;
        break;
      } catch (error) {
        const failed = failure(error);
        if (index === 0 || failed.status === 'blocked') return { seq, ...failed };
        if (attempt >= PART_ATTEMPTS)
          return { seq, status: 'failed', reason: `part ${index + 1} of ${parts} not delivered: ${failed.reason}` };
        // A 429 paused the pacer already; a network error or a 5xx waits a little before the same part again.
        if (failed.status === 'failed') await new Promise((resolve) => setTimeout(resolve, pauseMs(attempt)));
      }
    }
  }
  return first === null ? { seq, status: 'sent' } : { seq, status: 'sent', messageId: first };
}

/** Reads a broadcast's picture, to upload it once per broadcast (VK, MAX). */
export type PhotoDownload = (url: string) => Promise<Buffer>;

/** The largest picture read (messengers take about 10–50 MB; a broadcast picture is far below). */
const PHOTO_MAX_BYTES = 10 * 1024 * 1024;

/** Reads a picture by its URL, with a timeout and a size cap. */
export const downloadPhoto: PhotoDownload = async (url) => {
  const response = await fetch(url, { signal: AbortSignal.timeout(30_000) });
  if (!response.ok) throw new Error(`the broadcast picture could not be read: HTTP ${response.status}`);
  const bytes = Buffer.from(await response.arrayBuffer());
  if (bytes.length > PHOTO_MAX_BYTES) throw new Error(`the broadcast picture is over ${PHOTO_MAX_BYTES} bytes`);
  return bytes;
};

/** The broadcast's picture could not be read from its URL: the broadcast's fault, never a messenger's outage. */
export class PictureUnreadable extends Error {
  override name = 'PictureUnreadable';
  constructor(cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
  }
}

/** Reads a broadcast's picture; a failure comes as PictureUnreadable (told from the messenger's upload failing). */
export async function readPicture(download: PhotoDownload, url: string): Promise<Buffer> {
  try {
    return await download(url);
  } catch (error) {
    throw new PictureUnreadable(error);
  }
}

/**
 * What a messenger made of a broadcast's picture (a Telegram file id, a VK attachment, a MAX token),
 * made once per broadcast and reused: concurrent batches share the one upload. A failure is kept for
 * `failureMs`, then forgotten so a later batch tries again: a broken picture is read once in that
 * while, not once per recipient (MAX sends one recipient a batch, thirty at a time). Only the latest
 * few broadcasts are kept.
 */
export class PerBroadcast<T> {
  readonly #made = new Map<number, Promise<T>>();

  constructor(
    private readonly kept = 8,
    private readonly failureMs = 10_000,
  ) {}

  get(broadcastId: number, make: () => Promise<T>): Promise<T> {
    const known = this.#made.get(broadcastId);
    if (known) return known;
    const made = make();
    this.#made.set(broadcastId, made);
    made.catch(() => {
      const forget = () => {
        if (this.#made.get(broadcastId) === made) this.#made.delete(broadcastId);
      };
      if (this.failureMs <= 0) forget();
      else setTimeout(forget, this.failureMs).unref();
    });
    for (const id of this.#made.keys()) if (this.#made.size > this.kept) this.#made.delete(id);
    return made;
  }

  /** Keeps what was learnt after the first send (Telegram's file id from its answer). */
  set(broadcastId: number, value: T): void {
    this.#made.set(broadcastId, Promise.resolve(value));
  }

  has(broadcastId: number): boolean {
    return this.#made.has(broadcastId);
  }
}
