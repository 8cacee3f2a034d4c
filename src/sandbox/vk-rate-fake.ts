import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';

/**
 * A local VK API that enforces what a broadcast runs into, for the broadcast tests and bench/:
 * - at most `requestsPerSecond` API requests per access token in any one second (a sliding window over
 *   the requests it answered); one more is refused as VK refuses it, error 6 «Too many requests per second»;
 * - `messages.send` deduplicated by (peer, random_id) as VK does within a dialog: the same random_id to
 *   the same peer again answers the first message's id and delivers nothing;
 * - `messages.send` with `peer_ids` (at most 100) answered per recipient, as VK answers it:
 *   `[{ peer_id, message_id, conversation_message_id } | { peer_id, error: { code, description } }]`, the
 *   errors set per peer in `peerErrors` (900, 901, 902 for a user who cannot be written to, 944 for an
 *   intent's limit, or any code; `times` for a passing one); with `peer_id` the message id, or the error;
 * - the photo upload for messages (`photos.getMessagesUploadServer`, the upload, `photos.saveMessagesPhoto`).
 * Every delivery is recorded (peer, text, random_id, attachment, keyboard, intent, time), so a test or a
 * bench counts what arrived, and that nothing arrived twice. It lives in src/sandbox/ for bench/ and the
 * tests (test/helpers/rate-fakes.ts re-exports it).
 */
export interface VkDelivery {
  peerId: number;
  text: string;
  randomId: number;
  attachment: string | null;
  keyboard: string | null;
  intent: string | null;
  messageId: number;
  /** ms since the fake started (performance clock). */
  at: number;
}

/** One API call the fake answered: the method, the peers of a messages.send, when, its error code or 0. */
export interface VkCall {
  method: string;
  peers: number[];
  at: number;
  error: number;
}

/** An error VK answers for one peer of a messages.send: always, or the next `times` sends to it. */
export interface VkPeerError {
  code: number;
  times?: number;
}

const DESCRIPTIONS: Record<number, string> = {
  6: 'Too many requests per second',
  9: 'Flood control',
  10: 'Internal server error',
  900: "Can't send messages for users from blacklist",
  901: "Can't send messages for users without permission",
  902: "Can't send messages to this user due to their privacy settings",
  944: 'Too many messages with this intent',
};

export class VkRateFake {
  readonly deliveries: VkDelivery[] = [];
  readonly peerErrors = new Map<number, VkPeerError>();
  readonly calls: VkCall[] = [];
  /** Photos uploaded to the upload server. */
  uploads = 0;
  readonly #windows = new Map<string, number[]>();
  readonly #sent = new Map<string, number>();
  readonly #started = performance.now();
  #nextMessageId = 1;
  #server: Server | null = null;
  port = 0;

  constructor(readonly requestsPerSecond = 20) {}

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}/method`;
  }

  /** ms since the fake started, the clock of `deliveries` and `calls`. */
  now(): number {
    return performance.now() - this.#started;
  }

  async start(port = 0): Promise<void> {
    this.#server = createServer((req, res) => {
      this.#handle(req, res).catch((error: unknown) => reply(res, { error: { error_code: 10, error_msg: String(error) } }));
    });
    await new Promise<void>((resolve) => this.#server?.listen(port, '127.0.0.1', () => resolve()));
    const address = this.#server.address();
    this.port = typeof address === 'object' && address ? address.port : 0;
  }

  async stop(): Promise<void> {
    this.#server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.#server ? this.#server.close(() => resolve()) : resolve()));
  }

  /** Requests refused with error 6. */
  get tooMany(): number {
    return this.calls.filter((c) => c.error === 6).length;
  }

  /** Deliveries to one peer. */
  to(peerId: number): VkDelivery[] {
    return this.deliveries.filter((d) => d.peerId === peerId);
  }

  /** Messages delivered more than once: the same text and attachment to the same peer again. */
  duplicates(): number {
    const seen = new Set<string>();
    let twice = 0;
    for (const d of this.deliveries) {
      const key = `${d.peerId}|${d.attachment ?? ''}|${d.text}`;
      if (seen.has(key)) twice += 1;
      else seen.add(key);
    }
    return twice;
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    const body = await readBody(req);
    if (url.pathname === '/upload') {
      this.uploads += 1;
      return reply(res, { server: 7, photo: '[{"photo":"abc"}]', hash: 'h4sh' });
    }
    const method = url.pathname.replace(/^\/method\//, '');
    const params = Object.fromEntries(new URLSearchParams(body));
    const at = this.now();
    const token = params.access_token ?? '';
    const peers = (params.peer_ids ?? params.peer_id ?? '').split(',').filter(Boolean).map(Number);
    const call = { method, peers, at, error: 0 };
    this.calls.push(call);
    if (!this.#take(token, at)) return this.#error(res, call, 6);
    switch (method) {
      case 'messages.send':
        return this.#send(res, call, params);
      case 'photos.getMessagesUploadServer':
        return reply(res, { response: { upload_url: `http://127.0.0.1:${this.port}/upload`, album_id: -3, group_id: 1 } });
      case 'photos.saveMessagesPhoto':
        return reply(res, { response: [{ id: 457239000 + this.uploads, owner_id: -1, album_id: -3, date: 0, sizes: [] }] });
      default:
        return reply(res, { response: 1 });
    }
  }

  /** A request counted in its token's one-second window, unless the window is full. */
  #take(token: string, at: number): boolean {
    const times = this.#windows.get(token) ?? [];
    while (times.length > 0 && (times[0] as number) <= at - 1000) times.shift();
    if (times.length >= this.requestsPerSecond) return false;
    times.push(at);
    this.#windows.set(token, times);
    return true;
  }

  #send(res: ServerResponse, call: VkCall, params: Record<string, string>): void {
    const randomId = Number(params.random_id);
    const many = params.peer_ids !== undefined;
    if (!params.random_id || !Number.isInteger(randomId)) this.#error(res, call, 100, 'random_id is required');
    else if (call.peers.length > 100) this.#error(res, call, 100, 'peer_ids: too many recipients');
    else if (many) reply(res, { response: call.peers.map((peerId) => this.#one(peerId, randomId, params, call.at)) });
    else {
      const one = this.#one(Number(params.peer_id ?? params.user_id), randomId, params, call.at);
      if (one.error) this.#error(res, call, one.error.code);
      else reply(res, { response: one.message_id });
    }
  }

  #one(
    peerId: number,
    randomId: number,
    params: Record<string, string>,
    at: number,
  ): { peer_id: number; message_id?: number; conversation_message_id?: number; error?: { code: number; description: string } } {
    const failure = this.peerErrors.get(peerId);
    if (failure && (failure.times ?? 1) > 0) {
      if (failure.times !== undefined) failure.times -= 1;
      return { peer_id: peerId, error: { code: failure.code, description: DESCRIPTIONS[failure.code] ?? 'Unknown error' } };
    }
    const key = `${peerId}:${randomId}`;
    const earlier = this.#sent.get(key);
    if (earlier !== undefined) return { peer_id: peerId, message_id: earlier, conversation_message_id: earlier };
    const messageId = this.#nextMessageId++;
    this.#sent.set(key, messageId);
    this.deliveries.push({
      peerId,
      text: params.message ?? '',
      randomId,
      attachment: params.attachment ?? null,
      keyboard: params.keyboard ?? null,
      intent: params.intent ?? null,
      messageId,
      at,
    });
    return { peer_id: peerId, message_id: messageId, conversation_message_id: messageId };
  }

  #error(res: ServerResponse, call: VkCall, code: number, message?: string): void {
    call.error = code;
    reply(res, { error: { error_code: code, error_msg: message ?? DESCRIPTIONS[code] ?? 'Unknown error', request_params: [] } });
  }
}

function reply(res: ServerResponse, body: unknown): void {
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let data = '';
    req.on('data', (chunk: Buffer) => {
      data += chunk.toString('utf8');
    });
    req.on('end', () => resolve(data));
  });
}
