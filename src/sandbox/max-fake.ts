import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { maxMessage, newMid } from './max-updates.js';

/** A message the bot sent, as the fake recorded it (keyboard rows with their buttons). */
export interface MaxSent {
  chatId: number | null;
  userId: number | null;
  text: string;
  attachments: Record<string, unknown>[];
  keyboard: { type: string; text: string; payload?: string; url?: string }[][] | null;
  link: { type: string; mid: string } | null;
  mid: string;
}

/** An error the fake answers instead of doing the call: on `method path` (and for one chat), `times` times. */
export interface MaxFault {
  method: string;
  path: string;
  status: number;
  code?: string;
  message?: string;
  /** Sent as the Retry-After header (429). */
  retryAfter?: number;
  chatId?: number;
  times?: number;
}

/** Long polls answer at the latest after this, whatever `timeout` asks: fast tests, a lively sandbox. */
const LONG_POLL_CAP_MS = 5_000;

/**
 * A local MAX Bot API (schema 0.0.32) for the tests and the sandbox: `GET /me`, `GET /updates` (a log
 * with markers: a request's marker confirms every update below it, as MAX does), `POST/PUT /messages`,
 * `POST /answers`, `POST /chats/{id}/actions`, `GET /messages/{mid}/comments` (from `addComment`),
 * `GET/POST/DELETE /subscriptions`, `POST /uploads` and
 * the upload URL it hands out. The token goes in the Authorization header (401 otherwise). Tests push
 * updates (`push`) or deliver them to a webhook (`deliver`), block a chat (403 `chat.denied`) and
 * inject any error (`fail`: 404, 429 with Retry-After, 5xx).
 */
export class MaxApiFake {
  readonly bot = { userId: 900_000_001, username: 'mcu_city_bot', firstName: 'МЦУ Барнаула' };
  readonly sent: MaxSent[] = [];
  readonly edits: { mid: string; body: Record<string, unknown> }[] = [];
  readonly answers: { callbackId: string; body: Record<string, unknown> }[] = [];
  readonly actions: { chatId: number; action: string }[] = [];
  readonly subscriptions: { url: string; secret: string | null; update_types: string[]; time: number }[] = [];
  readonly uploads: number[] = [];
  /** Every `GET /updates` query (marker, timeout, types), for the polling tests. */
  readonly polls: Record<string, string>[] = [];
  readonly faults: MaxFault[] = [];
  /** Channel posts' comments by the post's mid (CommentMessage objects), for `GET /messages/{mid}/comments`. */
  readonly comments = new Map<string, Record<string, unknown>[]>();
  readonly blocked = new Set<number>();
  readonly #log: { n: number; update: Record<string, unknown> }[] = [];
  readonly #listeners = new Set<(message: MaxSent) => void>();
  /** Markers grow across the fake's restarts (as MAX's do): a marker saved by an earlier sandbox run stays below. */
  #next = Date.now();
  #server: Server | null = null;
  #stopped = false;
  port = 0;

  constructor(readonly token = 'max-fake-token-0123456789abcdef') {}

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.#server = createServer((req, res) => {
      this.#handle(req, res).catch((error: unknown) => json(res, 500, { code: 'internal.error', message: String(error) }));
    });
    await new Promise<void>((resolve) => this.#server?.listen(0, '127.0.0.1', () => resolve()));
    const address = this.#server.address();
    this.port = typeof address === 'object' && address ? address.port : 0;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#server?.closeAllConnections();
    await new Promise<void>((resolve) => this.#server?.close(() => resolve()));
  }

  /** The marker the next pushed update gets. */
  get nextMarker(): number {
    return this.#next;
  }

  /** Queues updates for long polling, as MAX does for a bot without a webhook. */
  push(...updates: Record<string, unknown>[]): void {
    for (const update of updates) this.#log.push({ n: this.#next++, update });
  }

  /** Delivers an update to the webhook (the subscription's, or `to`), with its secret header; the app's answer. */
  async deliver(update: unknown, to?: { url: string; secret: string | null }): Promise<{ status: number; body: string }> {
    const target = to ?? this.subscriptions[0];
    if (!target) throw new Error('no webhook subscription');
    const res = await fetch(target.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(target.secret ? { 'x-max-bot-api-secret': target.secret } : {}) },
      body: typeof update === 'string' ? update : JSON.stringify(update),
    });
    return { status: res.status, body: await res.text() };
  }

  /** Calls `listener` with every message the bot sends; returns the unsubscribe. */
  onSent(listener: (message: MaxSent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Answers the next matching calls with an error. */
  fail(fault: MaxFault): void {
    this.faults.push({ times: 1, ...fault });
  }

  /** Messages to this chat (or user) answer 403 `chat.denied`: the citizen blocked the bot. */
  block(chatOrUserId: number): void {
    this.blocked.add(chatOrUserId);
  }

  /** What the bot sent to one chat. */
  sentTo(chatId: number): MaxSent[] {
    return this.sent.filter((m) => m.chatId === chatId);
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.baseUrl);
    const q = Object.fromEntries(url.searchParams);
    const route = `${req.method} ${url.pathname}`;
    const upload = /^\/upload\/(\d+)$/.exec(url.pathname);
    if (req.method === 'POST' && upload) {
      // The upload host: it has its own signed URL, not the bot's token.
      this.uploads.push((await readBody(req)).length);
      return json(res, 200, { photos: { [upload[1] as string]: { token: `photo.token.${upload[1]}` } } });
    }
    if (req.headers.authorization !== this.token)
      return json(res, 401, { code: 'verify.token', message: 'Invalid access_token' });
    const body = req.method === 'POST' || req.method === 'PUT' ? parse((await readBody(req)).toString('utf8')) : {};
    const chatId = q.chat_id
      ? Number(q.chat_id)
      : /^\/chats\/(-?\d+)/.test(url.pathname)
        ? Number(url.pathname.split('/')[2])
        : null;
    const fault = this.faults.find(
      (f) => f.method === req.method && url.pathname.startsWith(f.path) && (f.chatId === undefined || f.chatId === chatId),
    );
    if (fault) {
      fault.times = (fault.times ?? 1) - 1;
      if (fault.times <= 0) this.faults.splice(this.faults.indexOf(fault), 1);
      if (fault.retryAfter !== undefined) res.setHeader('retry-after', String(fault.retryAfter));
      return json(res, fault.status, { code: fault.code ?? 'fake.fault', message: fault.message ?? `injected ${fault.status}` });
    }
    switch (route) {
      case 'GET /me':
        return json(res, 200, {
          user_id: this.bot.userId,
          first_name: this.bot.firstName,
          name: this.bot.firstName,
          username: this.bot.username,
          is_bot: true,
          last_activity_time: Date.now(),
          commands: null,
        });
      case 'GET /updates':
        return this.#updates(q, res);
      case 'POST /messages':
        return this.#send(q, body, res);
      case 'PUT /messages': {
        const message = this.sent.find((m) => m.mid === q.message_id);
        if (!message) return json(res, 404, { code: 'not.found', message: 'Message not found' });
        this.edits.push({ mid: message.mid, body });
        if (typeof body.text === 'string') message.text = body.text;
        // As MAX: a list of attachments replaces the message's (an empty one removes them, the keyboard
        // too); without one (or null) they stay.
        if (Array.isArray(body.attachments)) {
          const attachments = body.attachments as Record<string, unknown>[];
          const keyboard = attachments.find((a) => a.type === 'inline_keyboard') as
            | { payload?: { buttons?: unknown } }
            | undefined;
          message.attachments = attachments.filter((a) => a.type !== 'inline_keyboard');
          message.keyboard = (keyboard?.payload?.buttons as MaxSent['keyboard']) ?? null;
        }
        return json(res, 200, { success: true });
      }
      case 'POST /answers':
        if (!q.callback_id) return json(res, 400, { code: 'proto.payload', message: 'callback_id is required' });
        this.answers.push({ callbackId: q.callback_id, body });
        return json(res, 200, { success: true });
      case 'POST /uploads':
        if (q.type !== 'image') return json(res, 400, { code: 'proto.payload', message: 'this fake uploads images only' });
        return json(res, 200, { url: `${this.baseUrl}/upload/${this.uploads.length + 1}` });
      case 'GET /subscriptions':
        return json(res, 200, { subscriptions: this.subscriptions.map(({ secret: _secret, ...s }) => s) });
      case 'POST /subscriptions': {
        if (typeof body.url !== 'string') return json(res, 400, { code: 'proto.payload', message: 'url is required' });
        this.#unsubscribe(body.url);
        const types = Array.isArray(body.update_types) ? body.update_types.map(String) : [];
        const secret = typeof body.secret === 'string' ? body.secret : null;
        this.subscriptions.push({ url: body.url, secret, update_types: types, time: Date.now() });
        return json(res, 200, { success: true });
      }
      case 'DELETE /subscriptions':
        this.#unsubscribe(q.url ?? '');
        return json(res, 200, { success: true });
    }
    const commentsOf = /^\/messages\/([^/]+)\/comments$/.exec(url.pathname);
    if (req.method === 'GET' && commentsOf) return this.#comments(decodeURIComponent(commentsOf[1] ?? ''), q, res);
    if (req.method === 'POST' && /^\/chats\/-?\d+\/actions$/.test(url.pathname)) {
      this.actions.push({ chatId: chatId ?? 0, action: String(body.action) });
      return json(res, 200, { success: true });
    }
    return json(res, 404, { code: 'not.found', message: `Path ${url.pathname} not found` });
  }

  /** A comment under a channel post, as MAX returns it: no sender when it was published as the channel. */
  addComment(
    postMid: string,
    c: { sender: Record<string, unknown> | null; chatId: number; at: Date; text: string; replyTo?: string; mid?: string },
  ): string {
    const mid = c.mid ?? newMid();
    const list = this.comments.get(postMid) ?? [];
    list.push({
      ...(c.sender ? { sender: c.sender } : {}),
      recipient: { chat_id: c.chatId, chat_type: 'channel', user_id: null },
      timestamp: c.at.getTime(),
      body: { mid, seq: c.at.getTime(), text: c.text },
      ...(c.replyTo ? { link: { type: 'reply', message: { mid: c.replyTo, seq: 0, text: null } } } : {}),
    });
    this.comments.set(postMid, list);
    return mid;
  }

  /** `GET /messages/{mid}/comments`: `after`/`before` bound the time (ms), `count` keeps the newest; `{ messages }`. */
  #comments(postMid: string, q: Record<string, string>, res: ServerResponse): void {
    const after = q.after ? Number(q.after) : Number.NEGATIVE_INFINITY;
    const before = q.before ? Number(q.before) : Number.POSITIVE_INFINITY;
    const ids = q.comment_ids ? new Set(q.comment_ids.split(',')) : null;
    const count = q.count ? Number(q.count) : 50;
    const matching = (this.comments.get(postMid) ?? [])
      .filter((m) => {
        const at = Number(m.timestamp);
        const mid = String((m.body as { mid: string }).mid);
        return at >= after && at < before && (!ids || ids.has(mid));
      })
      .sort((a, b) => Number(a.timestamp) - Number(b.timestamp));
    json(res, 200, { messages: matching.slice(-count) });
  }

  async #updates(q: Record<string, string>, res: ServerResponse): Promise<void> {
    this.polls.push(q);
    if (this.subscriptions.length > 0)
      return json(res, 405, {
        code: 'method.not.allowed',
        message: 'Long polling is off while a webhook subscription is active',
      });
    // Passing a marker confirms every update below it: MAX will not send those again.
    const marker = q.marker ? Number(q.marker) : null;
    if (marker !== null) while (this.#log.length > 0 && (this.#log[0]?.n ?? 0) < marker) this.#log.shift();
    const types = q.types ? q.types.split(',') : null;
    const limit = Math.min(Number(q.limit ?? 100), 1000);
    const until = Date.now() + Math.min(Number(q.timeout ?? 30) * 1000, LONG_POLL_CAP_MS);
    const pending = () => this.#log.filter((e) => marker === null || e.n >= marker);
    while (pending().length === 0 && Date.now() < until && !this.#stopped) await new Promise((r) => setTimeout(r, 25));
    const updates: Record<string, unknown>[] = [];
    let last = (marker ?? this.#next) - 1;
    for (const entry of pending()) {
      if (updates.length >= limit) break;
      last = entry.n;
      if (!types || types.includes(String(entry.update.update_type))) updates.push(entry.update);
    }
    return json(res, 200, { updates, marker: last + 1 });
  }

  #send(q: Record<string, string>, body: Record<string, unknown>, res: ServerResponse) {
    const chatId = q.chat_id ? Number(q.chat_id) : null;
    const userId = q.user_id ? Number(q.user_id) : null;
    if (chatId === null && userId === null)
      return json(res, 400, { code: 'proto.payload', message: 'chat_id or user_id is required' });
    if ((chatId !== null && this.blocked.has(chatId)) || (userId !== null && this.blocked.has(userId)))
      return json(res, 403, { code: 'chat.denied', message: 'Key: error.dialog.suspended' });
    const text = typeof body.text === 'string' ? body.text : '';
    if (text.length > 4_000) return json(res, 400, { code: 'proto.payload', message: 'text: size must be between 0 and 4000' });
    const attachments = Array.isArray(body.attachments) ? (body.attachments as Record<string, unknown>[]) : [];
    const keyboard = attachments.find((a) => a.type === 'inline_keyboard') as { payload?: { buttons?: unknown } } | undefined;
    const link = body.link as MaxSent['link'] | undefined;
    if (link && !/^mid\./.test(String(link.mid)))
      return json(res, 400, { code: 'proto.payload', message: 'link.mid: not a message id' });
    const mid = newMid();
    const sent: MaxSent = {
      chatId,
      userId,
      text,
      attachments: attachments.filter((a) => a.type !== 'inline_keyboard'),
      keyboard: (keyboard?.payload?.buttons as MaxSent['keyboard']) ?? null,
      link: link ?? null,
      mid,
    };
    this.sent.push(sent);
    for (const listener of this.#listeners) listener(sent);
    const chat = chatId ?? userId ?? 0;
    const message = maxMessage({
      sender: {
        user_id: this.bot.userId,
        first_name: this.bot.firstName,
        name: this.bot.firstName,
        username: this.bot.username,
        is_bot: true,
      },
      chatId: chat,
      chatType: chat < 0 ? 'chat' : 'dialog',
      recipientUserId: userId,
      text,
      attachments,
      mid,
    });
    return json(res, 200, { message });
  }

  #unsubscribe(url: string): void {
    const i = this.subscriptions.findIndex((s) => s.url === url);
    if (i >= 0) this.subscriptions.splice(i, 1);
  }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(body));
}

function parse(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text || '{}');
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
