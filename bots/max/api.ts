import { type Api, Bot, MaxError } from '@maxhub/max-bot-api';
import type { AttachmentRequest, UpdateType } from '@maxhub/max-bot-api/types';
import { type KeyGap, type Lane, Pacer } from '../../lib/pacer.js';
import { KeyedSpacedLimiter } from '../../lib/rate-limit.js';
import { PUBLISHED_LIMITS } from '../outbound/broadcast-port.js';

/** A chat (group or dialog) by its chat_id, or a person by user_id (the dialog is found by MAX). */
export type MaxTarget = { chatId: number } | { userId: number };

/** An item of a message's `attachments` as the API takes it: an inline keyboard, an uploaded photo. */
export type MaxAttachment = { type: string } & Record<string, unknown>;

/** One outgoing message: its text (at most 4,000 characters), attachments, and the message it replies to (a mid). */
export interface MaxOutgoing {
  text: string;
  attachments?: MaxAttachment[];
  replyTo?: string;
}

/** What the bots need from the MAX Bot API; the official SDK behind it, a fake in unit tests. */
export interface MaxApiPort {
  /** GET /me: the bot itself. */
  me(): Promise<{ userId: number; username: string | null }>;
  /** GET /updates: a long poll from `marker` (null: what MAX has not confirmed yet). */
  updates(
    query: { marker: number | null; timeoutSeconds: number; limit: number; types: readonly string[] },
    signal: AbortSignal,
  ): Promise<{ updates: unknown[]; marker: number | null }>;
  /** POST /messages; resolves with the new message's mid. */
  send(to: MaxTarget, message: MaxOutgoing): Promise<{ mid: string | null }>;
  /** PUT /messages: replaces a message's text and attachments (an empty list removes its keyboard). */
  edit(mid: string, message: { text: string; attachments: MaxAttachment[] }): Promise<void>;
  /** POST /answers: ends the button's spinner, with a one-time notification or nothing. */
  answerCallback(callbackId: string, notification?: string): Promise<void>;
  /** POST /chats/{chatId}/actions typing_on. */
  typing(chatId: number): Promise<void>;
  /** POST /uploads?type=image and the upload itself; resolves with the attachment to send. */
  uploadPhoto(bytes: Buffer): Promise<MaxAttachment>;
  subscribe(url: string, secret: string, types: readonly string[]): Promise<void>;
  subscriptions(): Promise<string[]>;
  unsubscribe(url: string): Promise<void>;
}

/** MAX answered 429: slow down for `afterSeconds` (its Retry-After, else one second). */
export class MaxRateLimited extends Error {
  override name = 'MaxRateLimited';
  constructor(readonly afterSeconds: number) {
    super(`MAX Bot API: too many requests (retry after ${afterSeconds} s)`);
  }
}

export { MaxError };

/**
 * MAX's limits as the domain file gives them (`broadcasts.max`: requests a second per bot, messages a
 * second into one chat); without it the published ones (30 and 2).
 */
export type MaxLimits = { requestsPerSecond: number; messagesPerChatPerSecond: number };

/** 0.95 of 30 requests/s: at most 29 in any second (lib/pacer.ts says why). */
const MAX_MARGIN = 0.95;

/** The bot's rate gate: one per bot token in a process, shared by the client and the broadcasts' client. */
export function createMaxPacer(requestsPerSecond: number = PUBLISHED_LIMITS.max.requestsPerSecond): Pacer {
  return new Pacer({ perSecond: requestsPerSecond, margin: MAX_MARGIN });
}

/** The gap between two broadcast messages to one chat (`messagesPerChatPerSecond`: two a second by default). */
export function maxChatGap(
  target: MaxTarget,
  messagesPerChatPerSecond: number = PUBLISHED_LIMITS.max.messagesPerChatPerSecond,
): KeyGap {
  return {
    key: 'chatId' in target ? `c${target.chatId}` : `u${target.userId}`,
    gapMs: 1000 / messagesPerChatPerSecond,
  };
}

/** A request that is not a long poll gives up after this (a long poll after its own timeout plus this). */
const REQUEST_TIMEOUT_MS = 15_000;

/**
 * The MAX Bot API through the official SDK (`@maxhub/max-bot-api`): its `Api`, on a client pointed at
 * `baseUrl` (MAX_API_BASE_URL), the token in the `Authorization` header. The SDK exports its client
 * factory only through `Bot`, so a `Bot` is built for its `api` and never started: its own polling
 * moves the marker before the updates are handled, and we acknowledge only after the inbox commit
 * (bots/max/poller.ts).
 *
 * Our `fetch` under the SDK does what it does not: it takes a priority token of the bot's pacer for
 * every request (30/s shared with the broadcasts, which wait behind), gives every request a timeout, and
 * reads the `Retry-After` of a 429 (the SDK keeps only an error's status and body), pausing every lane.
 */
export function createMaxApi(options: {
  token: string;
  baseUrl: string;
  fetch?: typeof fetch;
  pacer?: Pacer;
  /** Messages a second into one chat (`broadcasts.max.messagesPerChatPerSecond`). */
  messagesPerChatPerSecond?: number;
}): MaxApiPort {
  const pacer = options.pacer ?? createMaxPacer();
  const perChat = new KeyedSpacedLimiter(options.messagesPerChatPerSecond ?? PUBLISHED_LIMITS.max.messagesPerChatPerSecond);
  const api: Api = new Bot(options.token, {
    clientOptions: {
      baseUrl: options.baseUrl,
      fetch: limitedFetch(() => pacer.take('priority'), pacer, options.fetch ?? fetch),
    },
  }).api;
  return {
    async me() {
      const me = await api.getMyInfo();
      return { userId: me.user_id, username: me.username ?? null };
    },
    async updates(query, signal) {
      const r = await api.getUpdates(query.types as UpdateType[], {
        ...(query.marker !== null ? { marker: query.marker } : {}),
        timeout: query.timeoutSeconds,
        limit: query.limit,
        signal,
      });
      return { updates: Array.isArray(r.updates) ? r.updates : [], marker: typeof r.marker === 'number' ? r.marker : null };
    },
    async send(to, message) {
      await perChat.take('chatId' in to ? `c${to.chatId}` : `u${to.userId}`);
      return postMessage(api, to, message);
    },
    async edit(mid, message) {
      await api.editMessage(mid, { text: message.text, attachments: message.attachments as unknown as AttachmentRequest[] });
    },
    async answerCallback(callbackId, notification) {
      // The SDK types the answer's body as `message` only; MAX's CallbackAnswer also has `notification`.
      await api.answerOnCallback(callbackId, (notification ? { notification } : {}) as never);
    },
    async typing(chatId) {
      await api.sendAction(chatId, 'typing_on');
    },
    async uploadPhoto(bytes) {
      const image = await api.uploadImage({ source: bytes, timeout: 30_000 });
      return image.toJson() as unknown as MaxAttachment;
    },
    async subscribe(url, secret, types) {
      const r = await api.subscribe(url, secret, types as UpdateType[]);
      if (r && r.success === false) throw new Error(`MAX refused the subscription: ${r.message}`);
    },
    async subscriptions() {
      return (await api.getSubscriptions()).map((s) => s.url);
    },
    async unsubscribe(url) {
      await api.unsubscribe(url);
    },
  };
}

/** POST /messages to a chat or a user; the new message's mid. */
async function postMessage(api: Api, to: MaxTarget, message: MaxOutgoing): Promise<{ mid: string | null }> {
  const extra = {
    ...(message.attachments?.length ? { attachments: message.attachments as unknown as AttachmentRequest[] } : {}),
    ...(message.replyTo ? { link: { type: 'reply' as const, mid: message.replyTo } } : {}),
  };
  const sent =
    'chatId' in to
      ? await api.sendMessageToChat(to.chatId, message.text, extra)
      : await api.sendMessageToUser(to.userId, message.text, extra);
  return { mid: sent?.body?.mid ?? null };
}

/** What a broadcast needs from the MAX Bot API. */
export interface MaxBulkApi {
  /** POST /messages, after a token of the broadcast's lane with the chat's gap; the new message's mid. */
  send(to: MaxTarget, message: MaxOutgoing, lane: Lane): Promise<{ mid: string | null }>;
}

/**
 * The broadcasts' MAX client: the same token and pacer as `createMaxApi`'s, each message taking a token
 * of its lane (with the chat's gap) before its one request, which the transport then lets through.
 */
export function createMaxBulkApi(options: {
  token: string;
  baseUrl: string;
  fetch?: typeof fetch;
  pacer: Pacer;
  /** Messages a second into one chat (`broadcasts.max.messagesPerChatPerSecond`): the gap between two. */
  messagesPerChatPerSecond?: number;
}): MaxBulkApi {
  const { pacer } = options;
  const perChat = options.messagesPerChatPerSecond;
  const api: Api = new Bot(options.token, {
    clientOptions: { baseUrl: options.baseUrl, fetch: limitedFetch(async () => undefined, pacer, options.fetch ?? fetch) },
  }).api;
  return {
    async send(to, message, lane) {
      await pacer.take(lane, maxChatGap(to, perChat));
      return postMessage(api, to, message);
    },
  };
}

/**
 * The SDK's transport: a token first (`take`), a timeout, and a 429 turned into MaxRateLimited after
 * pausing every lane of the bot's pacer for its Retry-After.
 */
function limitedFetch(take: () => Promise<void>, pacer: Pacer, base: typeof fetch): typeof fetch {
  return async (input, init) => {
    await take();
    const url = new URL(input instanceof Request ? input.url : String(input));
    const pollSeconds = url.pathname.endsWith('/updates') ? Number(url.searchParams.get('timeout') ?? 30) : 0;
    const timeout = AbortSignal.timeout(pollSeconds * 1000 + REQUEST_TIMEOUT_MS);
    const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    const response = await base(input, { ...init, signal });
    if (response.status === 429) {
      await response.body?.cancel().catch(() => undefined);
      const seconds = retryAfterSeconds(response.headers.get('retry-after'));
      pacer.pauseAll(seconds);
      throw new MaxRateLimited(seconds);
    }
    return response;
  };
}

/** Retry-After in seconds or as an HTTP date; one second when MAX gives none. */
export function retryAfterSeconds(header: string | null): number {
  if (!header) return 1;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.max(1, Math.ceil(seconds));
  const at = Date.parse(header);
  return Number.isNaN(at) ? 1 : Math.max(1, Math.ceil((at - Date.now()) / 1000));
}
