import pino, { type Logger } from 'pino';

export type { Logger } from 'pino';

/**
 * Keys whose values are personal data (152-ФЗ) or secrets. pino's paths match exact keys,
 * so each is listed at the depths our log calls use (top level, one and two levels down).
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

/** The one root logger; every update/request/job gets a child with its correlation id. */
export function createLogger(options: LoggerOptions): Logger {
  const base: pino.LoggerOptions = {
    level: options.level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  if (options.destination) return pino(base, options.destination);
  if (options.pretty) {
    return pino({
      ...base,
      transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' } },
    });
  }
  return pino(base);
}
