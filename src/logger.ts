import pino, { type Logger } from 'pino';

export type { Logger } from 'pino';

/**
 * Keys whose values are personal data (152-ФЗ) or secrets. pino's paths match exact keys,
 * so each is listed at the depths our log calls use (top level, one and two levels down).
 * A second line of defence: errors go through serializeError, and log calls pass ids, not data.
 */
const SENSITIVE_KEYS = [
  'text',
  'caption',
  'first_name',
  'last_name',
  'username',
  'firstName',
  'lastName',
  'displayName',
  'phone',
  'phone_number',
  'email',
  'address',
  'location',
  'contact',
  'password',
  'token',
  'apiToken',
  'secret',
  'authorization',
  'connectionString',
  'databaseUrl',
  'payload',
  'ctx',
  'update',
  'params',
  'parameters',
  'detail',
  'query',
];

export const REDACT_PATHS = [
  ...SENSITIVE_KEYS,
  ...SENSITIVE_KEYS.map((k) => `*.${k}`),
  ...SENSITIVE_KEYS.map((k) => `*.*.${k}`),
  'req.headers.authorization',
  'req.headers["x-telegram-bot-api-secret-token"]',
  'req.headers.cookie',
];

// ---------------------------------------------------------------------------------------------
// Secrets in free text (error messages, log messages)

const SCRUBBERS: [RegExp, string][] = [
  // user:password@ in any URL (postgres://mcu:pw@host/db, amqp://…).
  [/\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:)[^\s@/]*@/gi, '$1[redacted]@'],
  // …/bot<token>/method in Bot API URLs, whatever the token looks like.
  [/\/bot[^\s/?#:]*:[^\s/?#"']+/gi, '/bot[redacted]'],
  // A Telegram bot token anywhere.
  [/\b\d+:[A-Za-z0-9_-]{30,}/g, '[redacted-token]'],
  // A VK access token (vk1.a.…).
  [/\bvk1\.a\.[A-Za-z0-9_-]+/g, '[redacted-token]'],
  // Secrets in query strings and key=value pairs.
  [
    /\b(access_token|token|secret|secret_token|password|passwd|pwd|api_key|apikey|client_secret|sig)=[^\s&#"',;]+/gi,
    '$1=[redacted]',
  ],
  // Authorization headers copied into messages.
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/g, '$1 [redacted]'],
];

/** Replaces bot tokens, `bot<token>` URL segments, access tokens, secrets and URL passwords. */
export function scrubSecrets(text: string): string {
  let out = text;
  for (const [pattern, replacement] of SCRUBBERS) out = out.replace(pattern, replacement);
  return out;
}

// ---------------------------------------------------------------------------------------------
// The one error serializer

export interface SerializedError {
  /** The class name: GrammyError, HttpError, DatabaseError, APIError, TypeError… */
  type: string;
  /** A stable code: pg SQLSTATE, Bot API error_code, vk-io error code, Node's ECONNREFUSED… */
  code?: string | number;
  /** The Bot API method of a GrammyError. */
  method?: string;
  /** An HTTP status, where the error carries one. */
  status?: number;
  /** The message with secrets scrubbed (and, for PostgreSQL, quoted values dropped). */
  message: string;
  stack?: string;
  cause?: SerializedError;
  errors?: SerializedError[];
}

export interface SerializeErrorOptions {
  /** Include the (scrubbed) stack trace; by default only when the logger logs at debug. */
  stack?: boolean;
  /** How many levels of `cause` (and grammY's `error`) to follow. */
  maxDepth?: number;
}

const MAX_MESSAGE = 500;
const MAX_NESTED_ERRORS = 3;

/**
 * The one shape every logged error takes: class name, a stable code, a scrubbed message, and
 * causes serialised the same way (depth-limited). Never copies an error's other properties:
 * pg's `detail`/`where`/`parameters`/`query` (row values), grammY's `ctx`/`payload`/`parameters`
 * (the update, the citizen's text and chat id) or vk-io's `params` (request parameters, tokens).
 */
export function serializeError(error: unknown, options: SerializeErrorOptions = {}): SerializedError {
  return serializeAt(error, options, 0, new Set());
}

function serializeAt(error: unknown, options: SerializeErrorOptions, depth: number, seen: Set<unknown>): SerializedError {
  if (!(error instanceof Error)) {
    if (typeof error === 'string') return { type: 'string', message: clip(scrubSecrets(error)) };
    if (error === null || typeof error !== 'object') return { type: typeof error, message: String(error) };
    // A thrown plain object: only its code and message, if it has them.
    const o = error as { code?: unknown; message?: unknown };
    return {
      type: 'object',
      ...stableCode(o.code),
      message: typeof o.message === 'string' ? clip(scrubSecrets(o.message)) : '',
    };
  }
  seen.add(error);
  const e = error as Error & Record<string, unknown>;
  const type = className(e);
  const out: SerializedError = { type, message: clip(scrubSecrets(messageOf(e, type))) };
  if (type === 'GrammyError') {
    if (typeof e.error_code === 'number') out.code = e.error_code;
    if (typeof e.method === 'string') out.method = e.method;
  } else {
    Object.assign(out, stableCode(e.code));
  }
  const status = typeof e.status === 'number' ? e.status : typeof e.statusCode === 'number' ? e.statusCode : undefined;
  if (status !== undefined) out.status = status;
  if (options.stack && typeof e.stack === 'string') out.stack = scrubSecrets(e.stack);

  const maxDepth = options.maxDepth ?? 3;
  if (depth < maxDepth) {
    // grammY's HttpError and BotError keep their cause in `error`; everything else in `cause`.
    const cause = e.cause ?? (type === 'HttpError' || type === 'BotError' ? e.error : undefined);
    if (cause !== undefined && !seen.has(cause)) out.cause = serializeAt(cause, options, depth + 1, seen);
    if (Array.isArray(e.errors) && e.errors.length > 0) {
      out.errors = e.errors
        .filter((x) => !seen.has(x))
        .slice(0, MAX_NESTED_ERRORS)
        .map((x) => serializeAt(x, options, depth + 1, seen));
    }
  }
  return out;
}

function className(e: Error): string {
  const ctor = (e as { constructor?: { name?: unknown } }).constructor?.name;
  if (typeof ctor === 'string' && ctor !== '' && ctor !== 'Error') return ctor;
  return typeof e.name === 'string' && e.name !== '' ? e.name : 'Error';
}

function stableCode(code: unknown): { code?: string | number } {
  if (typeof code === 'number' && Number.isFinite(code)) return { code };
  if (typeof code === 'string' && /^[A-Za-z0-9_.-]{1,40}$/.test(code)) return { code };
  return {};
}

/** PostgreSQL puts offending values in quotes after a colon ("invalid input syntax for type integer: \"…\""). */
function messageOf(e: Error, type: string): string {
  const message = typeof e.message === 'string' ? e.message : '';
  // A reply without error_code/description (e.g. the sandbox emulator's "method not supported").
  if (type === 'GrammyError')
    return message.replace(/ \(undefined: undefined\)$/, ' (the reply had no error code or description)');
  // V8 quotes a piece of the input in JSON parse errors ("… is not valid JSON"): it may be a citizen's text.
  if (type === 'SyntaxError' && /JSON/.test(message)) return 'invalid JSON';
  const isPg = type === 'DatabaseError' || ('severity' in e && typeof (e as { code?: unknown }).code === 'string');
  return isPg ? message.replace(/: "(?:[^"\\]|\\.)*"/g, ': "[value]"') : message;
}

function clip(text: string): string {
  return text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE)}…` : text;
}

// ---------------------------------------------------------------------------------------------
// The logger

export interface LoggerOptions {
  level: string;
  /** Pretty, coloured lines for people at a terminal; JSON lines for everything else. */
  pretty?: boolean;
  destination?: pino.DestinationStream;
}

/**
 * The one root logger; every update/request/job gets a child with its correlation id.
 * Every `{ err }` / `{ error }` (and any Error at the top level of a log object) goes through
 * serializeError; the message and top-level strings are scrubbed of secrets; stack traces only
 * when the logger logs at debug.
 */
export function createLogger(options: LoggerOptions): Logger {
  let root: Logger | undefined;
  const withStack = () => root?.isLevelEnabled('debug') === true;
  const err = (value: unknown) => serializeError(value, { stack: withStack() });
  const base: pino.LoggerOptions = {
    level: options.level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    serializers: {
      err,
      error: err,
      msg: (value: unknown) => (typeof value === 'string' ? scrubSecrets(value) : value),
    },
    formatters: {
      log(object) {
        let copy: Record<string, unknown> | undefined;
        for (const [key, value] of Object.entries(object)) {
          let clean: unknown = value;
          if (key !== 'err' && key !== 'error' && value instanceof Error) clean = err(value);
          else if (typeof value === 'string') clean = scrubSecrets(value);
          if (clean !== value) {
            copy ??= { ...object };
            copy[key] = clean;
          }
        }
        return copy ?? object;
      },
    },
  };
  if (options.destination) root = pino(base, options.destination);
  else if (options.pretty) {
    root = pino({
      ...base,
      transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' } },
    });
  } else root = pino(base);
  return root;
}

// ---------------------------------------------------------------------------------------------
// Summaries of repeated non-essential failures

export interface FailureSummaryOptions {
  /** Log line head: `${what} failed for N ${units}: <reason>`. */
  what: string;
  /** What one failure is about, singular and plural: ['staff chat', 'staff chats']. */
  unit: [string, string];
  /** Emit after this long without a new failure. */
  quietMs?: number;
  /** …but at least this often while failures keep coming. */
  maxWaitMs?: number;
}

/**
 * Counts repeated non-essential failures per distinct reason and logs one warning per reason
 * after a quiet period ("setMyCommands failed for 40 staff chats: …") instead of one warning
 * (with a stack) per failure. Each failure itself is logged at debug with its stack.
 */
export function failureSummary(log: Logger, options: FailureSummaryOptions): { add(error: unknown): void; flush(): void } {
  const quietMs = options.quietMs ?? 2_000;
  const maxWaitMs = options.maxWaitMs ?? 60_000;
  const counts = new Map<string, number>();
  let timer: NodeJS.Timeout | null = null;
  let firstAt = 0;

  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    for (const [reason, count] of counts) {
      const unit = count === 1 ? options.unit[0] : options.unit[1];
      log.warn({ failures: count }, `${options.what} failed for ${count} ${unit}: ${reason}`);
    }
    counts.clear();
  };
  return {
    add(error: unknown) {
      log.debug({ err: error }, `${options.what} failed`);
      const e = serializeError(error, { maxDepth: 0 });
      const reason = `${e.type}${e.code === undefined ? '' : ` ${e.code}`}${e.message ? `: ${e.message}` : ''}`;
      counts.set(reason, (counts.get(reason) ?? 0) + 1);
      const now = Date.now();
      if (!timer) firstAt = now;
      if (timer) clearTimeout(timer);
      const wait = Math.max(0, Math.min(quietMs, firstAt + maxWaitMs - now));
      timer = setTimeout(flush, wait);
      timer.unref();
    },
    flush,
  };
}
