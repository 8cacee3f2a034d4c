import { createServer, type IncomingMessage, type Server } from 'node:http';

export interface VkCall {
  method: string;
  params: Record<string, string>;
}

/**
 * A local VK API: records every method call (form-encoded, as vk-io sends them) and serves a Bots
 * Long Poll endpoint from an event log. `handlers` answer methods the test cares about.
 */
export class VkApiFake {
  readonly calls: VkCall[] = [];
  /** The long-poll event log; an event's ts is its index + 1. */
  readonly events: Record<string, unknown>[] = [];
  readonly handlers: Record<string, (params: Record<string, string>) => unknown> = {};
  /** Sizes of the bodies posted to the photo upload server. */
  readonly uploads: number[] = [];
  lpKey = 'lp-key-1';
  #server: Server | null = null;
  #nextMessageId = 1000;
  port = 0;

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}/method`;
  }

  async start(): Promise<void> {
    this.#server = createServer(async (req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (url.pathname === '/upload') {
        // A photo upload server: takes the multipart body, answers as VK's upload servers do.
        const body = await readBody(req);
        this.uploads.push(body.length);
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ server: 7, photo: '[{"photo":"abc"}]', hash: 'h4sh' }));
        return;
      }
      if (url.pathname === '/lp') {
        const body = await this.#longPoll(url.searchParams);
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify(body));
        return;
      }
      const method = url.pathname.replace(/^\/method\//, '');
      const params = Object.fromEntries(new URLSearchParams(await readBody(req)));
      this.calls.push({ method, params });
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(this.#answer(method, params)));
    });
    await new Promise<void>((resolve) => this.#server?.listen(0, '127.0.0.1', () => resolve()));
    const address = this.#server.address();
    this.port = typeof address === 'object' && address ? address.port : 0;
  }

  async stop(): Promise<void> {
    this.#server?.closeAllConnections();
    await new Promise<void>((resolve) => this.#server?.close(() => resolve()));
  }

  sent(method = 'messages.send'): VkCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  #answer(method: string, params: Record<string, string>): unknown {
    const handler = this.handlers[method];
    if (handler) return { response: handler(params) };
    switch (method) {
      case 'messages.send':
        return { response: this.#nextMessageId++ };
      case 'groups.getLongPollServer':
        return { response: { key: this.lpKey, server: `http://127.0.0.1:${this.port}/lp`, ts: String(this.events.length + 1) } };
      case 'photos.getMessagesUploadServer':
        return { response: { upload_url: `http://127.0.0.1:${this.port}/upload`, album_id: -3, group_id: 1 } };
      case 'photos.saveMessagesPhoto':
        return { response: [{ id: 457239017, owner_id: -1, album_id: -3, date: 0, sizes: [] }] };
      case 'wall.createComment':
        return { response: { comment_id: this.#nextMessageId++ } };
      default:
        return { error: { error_code: 3, error_msg: `Unknown method passed: ${method}`, request_params: [] } };
    }
  }

  async #longPoll(query: URLSearchParams): Promise<unknown> {
    if (query.get('key') !== this.lpKey) return { failed: 2 };
    const ts = Number(query.get('ts'));
    const waitMs = Math.min(Number(query.get('wait') ?? 0), 2) * 1000;
    const until = Date.now() + waitMs;
    while (this.events.length < ts && Date.now() < until) await new Promise((r) => setTimeout(r, 30));
    const updates = this.events.slice(ts - 1);
    return { ts: String(this.events.length + 1), updates };
  }
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
