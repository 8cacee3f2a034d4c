import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { API, Upload } from 'vk-io';
import { type Lane, Pacer } from '../../lib/pacer.js';

/** What the bots need from the VK API; vk-io behind it, a fake in unit tests. */
export interface VkApiPort {
  sendMessage(
    peerId: number,
    text: string,
    options?: { keyboard?: string; randomId?: number; attachment?: string },
  ): Promise<void>;
  /** Uploads a photo for a message to `peerId`; returns the attachment string («photo<owner>_<id>»). */
  uploadMessagePhoto(peerId: number, bytes: Buffer): Promise<string>;
  createComment(ownerId: number, postId: number, replyTo: number, text: string): Promise<void>;
  getLongPollServer(groupId: number): Promise<{ server: string; key: string; ts: string }>;
  call<T>(method: string, params: Record<string, unknown>): Promise<T>;
  /** Runs VKScript through `execute` (up to 25 API calls in one request); its per-call errors are ignored. */
  execute<T>(code: string): Promise<T>;
}

/**
 * 0.9 of a community token's 20 requests/s: 18/s, at most 19 in any second (lib/pacer.ts says why; 0.95
 * would leave no request of room at a limit this small).
 */
const VK_MARGIN = 0.9;

/** A community token's rate gate: one per token in a process, shared by `createVkApi` and `createVkBulkApi`. */
export function createVkPacer(requestsPerSecond: number): Pacer {
  return new Pacer({ perSecond: requestsPerSecond, margin: VK_MARGIN });
}

/** What a VK client is built from: the token, the API's address, and its rate. */
export interface VkClientOptions {
  token: string;
  apiBaseUrl: string;
  /** Without a pacer, vk-io's own queue spaces the calls to this (3 for a service token). */
  requestsPerSecond: number;
  /**
   * The community token's pacer (lib/pacer.ts), shared with the broadcasts' client (`createVkBulkApi`):
   * every call of this client then takes a priority token, and vk-io's own spacing is turned off, so the
   * token's 20 requests/s are one budget for everything, answers first.
   */
  pacer?: Pacer;
}

/** vk-io's spacing when a pacer spaces the calls: one request a millisecond, i.e. none of its own. */
const UNSPACED = 1000;

/**
 * vk-io's API client and its uploader, pointed at VK_API_BASE_URL. With a pacer, every request — the
 * API methods, `execute`, the upload's own API calls — takes a token in `lane` first: vk-io sends every
 * request through `callWithRequest`, so that one entry is wrapped. (vk-io re-queues a request it retries
 * after a network error or error 6 without coming back through it; those are rare, and after error 6 it
 * holds its whole queue for a second.)
 */
function vkIo(options: VkClientOptions, lane: Lane): { api: API; upload: Upload } {
  // vk-io defaults to an HTTPS agent; a plain-HTTP base URL (a local proxy or test fake) needs an HTTP one.
  const agent = (
    options.apiBaseUrl.startsWith('http:') ? new HttpAgent({ keepAlive: true }) : new HttpsAgent({ keepAlive: true })
  ) as HttpsAgent;
  const api = new API({
    token: options.token,
    apiBaseUrl: options.apiBaseUrl,
    apiLimit: options.pacer ? UNSPACED : options.requestsPerSecond,
    apiRetryLimit: 3,
    apiTimeout: 15_000,
    language: 'ru',
    agent,
  });
  const pacer = options.pacer;
  if (pacer) {
    const enqueue = api.callWithRequest.bind(api);
    api.callWithRequest = async (request) => {
      await pacer.take(lane);
      return enqueue(request);
    };
  }
  // Upload servers are VK's own hosts (https); the local fake serves them over http like the API.
  return { api, upload: new Upload({ api, agent, uploadTimeout: 30_000 }) };
}

/**
 * vk-io's API client pointed at VK_API_BASE_URL, limited to `requestsPerSecond` (20 for a community
 * token, 3 for a service token) or, with the community's pacer, in its priority lane; retrying VK's
 * transient errors itself.
 */
export function createVkApi(options: VkClientOptions): VkApiPort {
  const { api, upload } = vkIo(options, 'priority');
  return {
    async sendMessage(peerId, text, opts = {}) {
      // A chat that cannot be written to (900, 901, 902) is told apart in outbound.ts.
      await api.messages.send({
        peer_id: peerId,
        message: text,
        random_id: opts.randomId ?? Math.floor(Math.random() * 2 ** 31),
        ...(opts.keyboard ? { keyboard: opts.keyboard } : {}),
        ...(opts.attachment ? { attachment: opts.attachment } : {}),
      });
    },
    async uploadMessagePhoto(peerId, bytes) {
      const photo = await upload.messagePhoto({
        peer_id: peerId,
        source: { value: bytes, filename: 'photo.jpg', contentType: 'image/jpeg' },
      });
      return photo.toString();
    },
    async createComment(ownerId, postId, replyTo, text) {
      // from_group: the reply is signed by the community, not by a person.
      await api.wall.createComment({
        owner_id: ownerId,
        post_id: postId,
        reply_to_comment: replyTo,
        message: text,
        from_group: Math.abs(ownerId),
      });
    },
    async getLongPollServer(groupId) {
      const r = await api.groups.getLongPollServer({ group_id: groupId });
      return { server: r.server, key: r.key, ts: String(r.ts) };
    },
    async call<T>(method: string, params: Record<string, unknown>) {
      return (await api.call(method, params)) as T;
    },
    async execute<T>(code: string) {
      // vk-io answers execute with { response, errors }.
      const result = (await api.call('execute', { code })) as { response: T };
      return result.response;
    },
  };
}

/** One recipient's answer to a messages.send with peer_ids: the message, or VK's error for that peer. */
export type VkPeerResult =
  | { peerId: number; messageId: number }
  | { peerId: number; error: { code: number; description: string } };

/** What a broadcast needs from the VK API, in the broadcast's lane of the community's pacer. */
export interface VkBulkApi {
  /**
   * messages.send to up to 100 peers in one call (`peer_ids`), one result per peer in VK's order. A
   * failure of the whole call (network, an error for the call) throws.
   */
  sendToPeers(
    peerIds: readonly number[],
    message: { text: string; randomId: number; intent: string; keyboard?: string; attachment?: string },
    lane: Lane,
  ): Promise<VkPeerResult[]>;
  /** Uploads a picture for messages of the community; the attachment string («photo<owner>_<id>»). */
  uploadMessagePhoto(peerId: number, bytes: Buffer, lane: Lane): Promise<string>;
}

/**
 * The broadcasts' VK client: the same token and the same pacer as `createVkApi`'s, so one budget of
 * requests a second; one vk-io client per lane (built when first used), each taking its lane's tokens.
 */
export function createVkBulkApi(options: VkClientOptions & { pacer: Pacer }): VkBulkApi {
  const clients = new Map<Lane, { api: API; upload: Upload }>();
  const client = (lane: Lane) => {
    const known = clients.get(lane);
    if (known) return known;
    const made = vkIo(options, lane);
    clients.set(lane, made);
    return made;
  };
  return {
    async sendToPeers(peerIds, message, lane) {
      const response = (await client(lane).api.call('messages.send', {
        peer_ids: peerIds.join(','),
        message: message.text,
        random_id: message.randomId,
        intent: message.intent,
        ...(message.keyboard ? { keyboard: message.keyboard } : {}),
        ...(message.attachment ? { attachment: message.attachment } : {}),
      })) as unknown;
      return peerResults(response);
    },
    async uploadMessagePhoto(peerId, bytes, lane) {
      const photo = await client(lane).upload.messagePhoto({
        peer_id: peerId,
        source: { value: bytes, filename: 'photo.jpg', contentType: 'image/jpeg' },
      });
      return photo.toString();
    },
  };
}

/** VK's per-recipient answer, read item by item; anything unreadable is left out (its peer then has no result). */
function peerResults(response: unknown): VkPeerResult[] {
  if (!Array.isArray(response)) return [];
  const results: VkPeerResult[] = [];
  for (const item of response as {
    peer_id?: unknown;
    message_id?: unknown;
    error?: { code?: unknown; description?: unknown };
  }[]) {
    const peerId = Number(item?.peer_id);
    if (!Number.isSafeInteger(peerId)) continue;
    if (item.error)
      results.push({ peerId, error: { code: Number(item.error.code), description: String(item.error.description ?? '') } });
    else if (Number.isSafeInteger(Number(item.message_id))) results.push({ peerId, messageId: Number(item.message_id) });
  }
  return results;
}

/** A stable random_id, so a retried send of the same notification is deduplicated by VK. */
export function stableRandomId(key: string): number {
  let h = 2166136261;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return h >>> 1 || 1;
}
