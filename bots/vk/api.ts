import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { API, Upload } from 'vk-io';

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
 * vk-io's API client pointed at VK_API_BASE_URL, limited to `requestsPerSecond` (20 for a community
 * token, 3 for a service token), retrying VK's transient errors itself.
 */
export function createVkApi(options: { token: string; apiBaseUrl: string; requestsPerSecond: number }): VkApiPort {
  // vk-io defaults to an HTTPS agent; a plain-HTTP base URL (a local proxy or test fake) needs an HTTP one.
  const agent = (
    options.apiBaseUrl.startsWith('http:') ? new HttpAgent({ keepAlive: true }) : new HttpsAgent({ keepAlive: true })
  ) as HttpsAgent;
  const api = new API({
    token: options.token,
    apiBaseUrl: options.apiBaseUrl,
    apiLimit: options.requestsPerSecond,
    apiRetryLimit: 3,
    apiTimeout: 15_000,
    language: 'ru',
    agent,
  });
  // Upload servers are VK's own hosts (https); the local fake serves them over http like the API.
  const upload = new Upload({ api, agent, uploadTimeout: 30_000 });
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

/** A stable random_id, so a retried send of the same notification is deduplicated by VK. */
export function stableRandomId(key: string): number {
  let h = 2166136261;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return h >>> 1 || 1;
}
