import { z } from 'zod';
import { CHANNELS, type Channel } from './intake.js';

/**
 * Targeted broadcasts (regulation 2.2.3): the segment a broadcast goes to, and the port the sender puts
 * it on the messengers through. docs/architecture/broadcasts.md.
 */

/** The messengers a broadcast can go out on (not imports or the API). */
export const BROADCAST_CHANNELS = CHANNELS.filter((c): c is Exclude<Channel, 'import' | 'api'> => c !== 'import' && c !== 'api');
export type BroadcastChannel = (typeof BROADCAST_CHANNELS)[number];

const domainId = z.string().regex(/^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/, 'must be an id of the domain file');
/** An instant in ISO 8601 with its offset (a JSON string in and out; a Date once parsed). */
export const isoInstant = z
  .string()
  .datetime({ offset: true, error: 'must be an ISO 8601 date-time with an offset, e.g. 2026-12-07T09:00:00+07:00' })
  .transform((s) => new Date(s))
  .refine((d) => d.getUTCFullYear() >= 2000 && d.getUTCFullYear() <= 2100, 'must be a date in the years 2000–2100');
const channels = z
  .array(z.enum(BROADCAST_CHANNELS as [BroadcastChannel, ...BroadcastChannel[]]))
  .min(1)
  .optional();

/**
 * Who a broadcast goes to.
 * - `subscribers`: citizens subscribed to any of `districts` (or to the whole city) and any of `topics`
 *   (or every topic); no list = no filter.
 * - `problem`: the citizens of every case linked to the problem — no subscription needed, it is about
 *   their own appeal.
 * - `cases`: the citizens of the cases of `categories` / `districts` registered in [from, to) (or the
 *   last `withinHours`) — likewise without a subscription.
 * Every kind may be narrowed to `channels`.
 */
export const segmentSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('subscribers'),
    districts: z.array(domainId).min(1).optional(),
    topics: z.array(domainId).min(1).optional(),
    channels,
  }),
  z.strictObject({ kind: z.literal('problem'), problemId: z.number().int().positive(), channels }),
  z.strictObject({
    kind: z.literal('cases'),
    categories: z.array(domainId).min(1).optional(),
    districts: z.array(domainId).min(1).optional(),
    from: isoInstant.optional(),
    to: isoInstant.optional(),
    withinHours: z
      .number()
      .int()
      .min(1)
      .max(24 * 366)
      .optional(),
    channels,
  }),
]);
export type Segment = z.infer<typeof segmentSchema>;

/** What goes out to every recipient of one broadcast. */
export interface BroadcastContent {
  broadcastId: number;
  title: string;
  text: string;
  /** An https:// picture sent with the text (uploaded once per messenger). */
  photoUrl: string | null;
  priority: 'normal' | 'emergency';
  /** Subscribers, or citizens about their own cases: VK picks its message intent by it. */
  audience: 'subscribers' | 'cases';
}

/** One recipient handed to a messenger: `seq` names its row. */
export interface BulkRecipient {
  seq: number;
  chatId: string;
}

/** What became of one recipient's send (as `DeliveryResult` of the channel port, per recipient). */
export type BulkResult =
  | { seq: number; status: 'sent'; messageId?: string }
  /** The chat can no longer be written to (blocked the bot, left, not allowed): the subscription ends. */
  | { seq: number; status: 'blocked'; reason: string }
  /** The messenger asked to slow down (429, VK 6 or 944): the row waits `afterSeconds` and is tried again. */
  | { seq: number; status: 'retry'; afterSeconds: number; reason: string }
  /**
   * It did not go: tried again up to `broadcasts.maxAttempts`, then stamped failed with `reason`.
   * `transient`: the platform did not answer or failed on its side (the network, a timeout, HTTP 5xx, VK's
   * errors 1 and 10) — a sign the messenger may be down (handlers/broadcasts/outage.ts); without it the
   * failure is the recipient's own (a 4xx, a per-recipient refusal, the content rejected). `afterSeconds`:
   * the wait before the next try instead of the short back-off (an outage's).
   */
  | { seq: number; status: 'failed'; reason: string; transient?: boolean; afterSeconds?: number };

/**
 * The broadcasts' side of the messengers: a messenger adapter sends one broadcast to a batch of its
 * recipients, paced to the messenger's limits (`broadcasts` of the domain file) in a lane below case
 * acknowledgements, answers and reminders, which share the same limits. It never throws for a delivery
 * failure: it returns one result per recipient, and a recipient is `sent` only when the platform accepted it.
 */
export interface BroadcastPort {
  /** The messengers this instance can send broadcasts on. */
  channels(): readonly BroadcastChannel[];
  /** Recipients per call: VK `peersPerCall` (messages.send with peer_ids), 1 elsewhere. */
  batchSize(channel: BroadcastChannel): number;
  /** How many batches may be in flight at once on this channel (the bound of sends repeated after a crash). */
  concurrency(channel: BroadcastChannel): number;
  send(channel: BroadcastChannel, content: BroadcastContent, recipients: readonly BulkRecipient[]): Promise<BulkResult[]>;
}

/**
 * The line above an emergency broadcast's title. Citizens' words live in bots/texts/ru.ts, which shows
 * broadcasts through `broadcastMessageText`; this one is here because the API checks the length of
 * exactly that message against the messengers' limits, and handlers/ cannot read bots/.
 */
export const BROADCAST_EMERGENCY_MARK = '‼️ Экстренное сообщение';

/**
 * A broadcast's message as every messenger sends it (bots/outbound/render.ts `renderBroadcast`): the
 * emergency mark, the title and the text, a line each. Its length is what must fit a messenger's limit.
 */
export function broadcastMessageText(b: Pick<BroadcastContent, 'title' | 'text' | 'priority'>): string {
  return [b.priority === 'emergency' ? BROADCAST_EMERGENCY_MARK : null, b.title.trim() || null, b.text.trim()]
    .filter((line): line is string => line !== null)
    .join('\n');
}
