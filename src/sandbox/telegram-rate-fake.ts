import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';

/**
 * A local Bot API that enforces Telegram's flood limits the strict way, for the broadcast tests and
 * bench/: per bot token at most `perSecond` messages in any one second, per chat at most one message in
 * any `perChatSeconds`, per group (a negative chat id) at most `perGroupPerMinute` in any minute — each a
 * sliding window over the messages it accepted. A message over a limit is refused as Telegram refuses
 * it: HTTP 429 `{ ok: false, error_code: 429, parameters: { retry_after } }`, `retry_after` the whole
 * seconds until the window has room (at least 1). Blocked chats get 403, `missing` ones 400 "chat not
 * found"; `fail` injects any other answer. Every delivery is recorded (chat, text or caption, time), so a
 * test or a bench counts what arrived, what arrived twice and how fast.
 *
 * Methods: getMe, sendMessage, sendPhoto (a URL, or a file id it handed out), editMessageText; an edit
 * counts as a message. Bodies as grammY sends them (JSON, or form-encoded). It lives in src/sandbox/ so
 * bench/ and the tests share it (test/helpers/rate-fakes.ts re-exports it), as the MAX fake does.
 */
export interface TelegramDelivery {
  method: 'sendMessage' | 'sendPhoto' | 'editMessageText';
  chatId: number;
  /** The text, or the photo's caption ('' for none). */
  text: string;
  photo: string | null;
  /** The callback_data of the inline keyboard's buttons, row by row flattened. */
  buttons: string[];
  messageId: number;
  /** ms since the fake started (performance clock). */
  at: number;
}

export interface TelegramRateLimits {
  perSecond: number;
  perChatSeconds: number;
  perGroupPerMinute: number;
}

/** An answer instead of the call: for `method` (any when omitted) and `chatId` (any), `times` times (always when omitted). */
export interface TelegramFault {
  method?: string;
  chatId?: number;
  status: number;
  description: string;
  retryAfter?: number;
  times?: number;
}

export class TelegramRateFake {
  readonly deliveries: TelegramDelivery[] = [];
  /** Every message refused: its error code, the limit it broke (a 429) or null, when. */
  readonly refused: { chatId: number; code: number; limit: 'bot' | 'chat' | 'group' | null; at: number }[] = [];
  readonly blocked = new Set<number>();
  readonly missing = new Set<number>();
  readonly faults: TelegramFault[] = [];
  /** Message calls received (delivered, refused or failed). */
  requests = 0;
  readonly #bot: number[] = [];
  readonly #chats = new Map<number, number[]>();
  readonly #started = performance.now();
  #nextMessageId = 1;
  #nextFileId = 1;
  readonly #fileIds = new Set<string>();
  #server: Server | null = null;
  port = 0;

  constructor(
    readonly limits: TelegramRateLimits = { perSecond: 30, perChatSeconds: 1, perGroupPerMinute: 20 },
    readonly token = '123456:rate-fake-token-abcdefghijklmnopqrstuv',
  ) {}

  get apiRoot(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** ms since the fake started, the clock of `deliveries`. */
  now(): number {
    return performance.now() - this.#started;
  }

  async start(port = 0): Promise<void> {
    this.#server = createServer((req, res) => {
      this.#handle(req, res).catch((error: unknown) =>
        reply(res, 500, { ok: false, error_code: 500, description: String(error) }),
      );
    });
    await new Promise<void>((resolve) => this.#server?.listen(port, '127.0.0.1', () => resolve()));
    const address = this.#server.address();
    this.port = typeof address === 'object' && address ? address.port : 0;
  }

  async stop(): Promise<void> {
    this.#server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.#server ? this.#server.close(() => resolve()) : resolve()));
  }

  /** Messages refused with 429 (a limit broken, or an injected one). */
  get tooMany(): number {
    return this.refused.filter((r) => r.code === 429).length;
  }

  /** Deliveries to one chat. */
  to(chatId: number): TelegramDelivery[] {
    return this.deliveries.filter((d) => d.chatId === chatId);
  }

  /** Messages delivered more than once: the same method, chat, text and photo again (edits not counted). */
  duplicates(): number {
    const seen = new Set<string>();
    let twice = 0;
    for (const d of this.deliveries) {
      if (d.method === 'editMessageText') continue;
      const key = `${d.method}|${d.chatId}|${d.photo ?? ''}|${d.text}`;
      if (seen.has(key)) twice += 1;
      else seen.add(key);
    }
    return twice;
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const match = /^\/bot([^/]+)\/(\w+)$/.exec(new URL(req.url ?? '/', 'http://x').pathname);
    const body = await readBody(req);
    if (!match || match[1] !== this.token) return reply(res, 401, { ok: false, error_code: 401, description: 'Unauthorized' });
    const method = match[2] as string;
    if (method === 'getMe')
      return reply(res, 200, { ok: true, result: { id: 123456, is_bot: true, first_name: 'МЦУ', username: 'mcu_rate_bot' } });
    if (method !== 'sendMessage' && method !== 'sendPhoto' && method !== 'editMessageText')
      return reply(res, 404, { ok: false, error_code: 404, description: 'Not Found: method not found' });
    this.requests += 1;
    const chatId = Number(body.chat_id);
    const fault = this.faults.find(
      (f) => (f.method ?? method) === method && (f.chatId ?? chatId) === chatId && (f.times ?? 1) > 0,
    );
    if (fault) {
      if (fault.times !== undefined) fault.times -= 1;
      this.refused.push({ chatId, code: fault.status, limit: null, at: this.now() });
      return reply(res, fault.status, {
        ok: false,
        error_code: fault.status,
        description: fault.description,
        ...(fault.retryAfter !== undefined ? { parameters: { retry_after: fault.retryAfter } } : {}),
      });
    }
    const at = this.now();
    if (this.blocked.has(chatId)) {
      this.refused.push({ chatId, code: 403, limit: null, at });
      return reply(res, 403, { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' });
    }
    if (this.missing.has(chatId)) {
      this.refused.push({ chatId, code: 400, limit: null, at });
      return reply(res, 400, { ok: false, error_code: 400, description: 'Bad Request: chat not found' });
    }
    const over = this.#overLimit(chatId, at);
    if (over) {
      this.refused.push({ chatId, code: 429, limit: over.limit, at });
      return reply(res, 429, {
        ok: false,
        error_code: 429,
        description: `Too Many Requests: retry after ${over.retryAfter}`,
        parameters: { retry_after: over.retryAfter },
      });
    }
    this.#bot.push(at);
    const chat = this.#chats.get(chatId);
    if (chat) chat.push(at);
    else this.#chats.set(chatId, [at]);
    return reply(res, 200, { ok: true, result: this.#deliver(method, chatId, body, at) });
  }

  /** The first limit a message now would break, and how long until it would not. */
  #overLimit(chatId: number, at: number): { limit: 'bot' | 'chat' | 'group'; retryAfter: number } | null {
    // Forget what no window reaches any more: the bot's second, a chat's minute.
    while (this.#bot.length > 0 && (this.#bot[0] as number) <= at - 1000) this.#bot.shift();
    const chat = this.#chats.get(chatId) ?? [];
    while (chat.length > 0 && (chat[0] as number) <= at - 60_000) chat.shift();
    const windows: ['bot' | 'chat' | 'group', number[], number, number][] = [
      ['bot', this.#bot, 1000, this.limits.perSecond],
      ['chat', chat, this.limits.perChatSeconds * 1000, 1],
    ];
    if (chatId < 0) windows.push(['group', chat, 60_000, this.limits.perGroupPerMinute]);
    for (const [limit, times, windowMs, most] of windows) {
      const inWindow = times.filter((t) => t > at - windowMs);
      if (inWindow.length >= most) {
        const freeAt = (inWindow[inWindow.length - most] as number) + windowMs;
        return { limit, retryAfter: Math.max(1, Math.ceil((freeAt - at) / 1000)) };
      }
    }
    return null;
  }

  #deliver(method: string, chatId: number, body: Record<string, unknown>, at: number): Record<string, unknown> {
    const chat = { id: chatId, type: chatId < 0 ? 'supergroup' : 'private' };
    const date = Math.floor(Date.now() / 1000);
    const buttons = callbackData(body.reply_markup);
    if (method === 'editMessageText') {
      const messageId = Number(body.message_id);
      this.deliveries.push({ method, chatId, text: String(body.text ?? ''), photo: null, buttons, messageId, at });
      return { message_id: messageId, date, edit_date: date, chat, text: body.text };
    }
    const messageId = this.#nextMessageId++;
    if (method === 'sendPhoto') {
      const photo = String(body.photo ?? '');
      const fileId = this.#fileIds.has(photo) ? photo : `AgACfake${this.#nextFileId++}`;
      this.#fileIds.add(fileId);
      const caption = String(body.caption ?? '');
      this.deliveries.push({ method, chatId, text: caption, photo, buttons, messageId, at });
      const size = { file_id: fileId, file_unique_id: `u${fileId}`, width: 800, height: 600 };
      return { message_id: messageId, date, chat, photo: [size], ...(caption ? { caption } : {}) };
    }
    this.deliveries.push({ method: 'sendMessage', chatId, text: String(body.text ?? ''), photo: null, buttons, messageId, at });
    return { message_id: messageId, date, chat, text: body.text };
  }
}

/** The callback_data of an inline keyboard (an object in JSON bodies, a JSON string in form bodies). */
function callbackData(markup: unknown): string[] {
  const parsed = typeof markup === 'string' ? (JSON.parse(markup) as unknown) : markup;
  const rows = (parsed as { inline_keyboard?: { callback_data?: string }[][] } | undefined)?.inline_keyboard ?? [];
  return rows.flat().flatMap((b) => (b.callback_data ? [b.callback_data] : []));
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return {};
  if ((req.headers['content-type'] ?? '').includes('application/json')) return JSON.parse(text) as Record<string, unknown>;
  return Object.fromEntries(new URLSearchParams(text));
}
