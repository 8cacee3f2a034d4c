/**
 * Errors and free text made safe for logs: secrets scrubbed (URLs with passwords, bot tokens, VK
 * tokens, key=value secrets, Authorization headers) and errors reduced to their type, code and message.
 * Pure: no logger, no I/O (src/logger.ts wires it into pino).
 */

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
