import { createRequire } from 'node:module';
import pino, { type Logger } from 'pino';

export type { Logger } from 'pino';
export { type FailureSummaryOptions, failureSummary } from '../lib/log/failure-summary.js';
export { type SerializedError, type SerializeErrorOptions, scrubSecrets, serializeError } from '../lib/log/serialize-error.js';

import { scrubSecrets, serializeError } from '../lib/log/serialize-error.js';

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
  else if (options.pretty && prettyPrinterInstalled()) {
    root = pino({
      ...base,
      transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' } },
    });
  } else root = pino(base);
  return root;
}

/**
 * pino-pretty is a development dependency (a terminal nicety): a production install lacks it, and
 * there a terminal (`docker run -it`) gets the plain JSON lines instead of a crashed transport.
 */
function prettyPrinterInstalled(): boolean {
  try {
    createRequire(import.meta.url).resolve('pino-pretty');
    return true;
  } catch {
    return false;
  }
}
