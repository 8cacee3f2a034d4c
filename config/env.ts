import { z } from 'zod';
import { ConfigError } from './errors.js';
import { type HttpLimits, readHttpLimits } from './http-limits.js';

/** The process roles one instance can run; several instances may split them. */
export const APP_ROLES = ['http', 'telegram', 'vk', 'max', 'worker'] as const;
export type AppRole = (typeof APP_ROLES)[number];

const emptyToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optionalString = z.preprocess(emptyToUndefined, z.string().optional());
const urlWithDefault = (fallback: string) => z.preprocess(emptyToUndefined, z.url().default(fallback));

const rawEnvSchema = z.object({
  DATABASE_URL: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
      .optional(),
  ),
  DATA_DIR: z.preprocess(emptyToUndefined, z.string().default('./data')),
  HTTP_HOST: z.preprocess(emptyToUndefined, z.string().default('127.0.0.1')),
  HTTP_PORT: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(65535).default(3000)),
  /** The console's address as staff open it (the /login link points there); default http://localhost:<port>/console. */
  CONSOLE_URL: z.preprocess(emptyToUndefined, z.url().optional()),
  API_TOKEN: z.preprocess(emptyToUndefined, z.string().min(16, 'must be at least 16 characters').optional()),
  LOG_LEVEL: z.preprocess(
    emptyToUndefined,
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ),
  APP_ROLES: z.preprocess(
    (v) =>
      typeof v === 'string' && v.trim() !== ''
        ? v
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean)
        : undefined,
    z
      .array(z.enum(APP_ROLES))
      .min(1)
      .default([...APP_ROLES]),
  ),
  MCU_CONFIG: z.preprocess(emptyToUndefined, z.string().default('config/barnaul.yaml')),
  TELEGRAM_BOT_TOKEN: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^\d+:[\w-]{20,}$/, 'does not look like a bot token from @BotFather (123456:ABC…)')
      .optional(),
  ),
  TELEGRAM_API_ROOT: urlWithDefault('https://api.telegram.org'),
  TELEGRAM_MODE: z.preprocess(emptyToUndefined, z.enum(['polling', 'webhook']).default('polling')),
  TELEGRAM_WEBHOOK_SECRET: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^[A-Za-z0-9_-]{16,256}$/, '16–256 characters of A-Z, a-z, 0-9, _ and - (Bot API rule)')
      .optional(),
  ),
  TELEGRAM_WEBHOOK_URL: z.preprocess(emptyToUndefined, z.url().optional()),
  TELEGRAM_OPERATORS_CHAT_ID: z.preprocess(emptyToUndefined, z.coerce.number().int().optional()),
  VK_GROUP_TOKEN: optionalString,
  VK_GROUP_ID: z.preprocess(emptyToUndefined, z.coerce.number().int().positive().optional()),
  VK_API_BASE_URL: urlWithDefault('https://api.vk.com/method'),
  VK_MODE: z.preprocess(emptyToUndefined, z.enum(['longpoll', 'callback']).default('longpoll')),
  VK_CALLBACK_SECRET: z.preprocess(emptyToUndefined, z.string().min(8).optional()),
  VK_CONFIRMATION_CODE: optionalString,
  VK_SERVICE_TOKEN: optionalString,
  MAX_BOT_TOKEN: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^\S{16,512}$/, 'does not look like a MAX bot token (the token from the partner platform, no spaces)')
      .optional(),
  ),
  MAX_API_BASE_URL: urlWithDefault('https://platform-api2.max.ru'),
  MAX_MODE: z.preprocess(emptyToUndefined, z.enum(['polling', 'webhook']).default('polling')),
  MAX_WEBHOOK_SECRET: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^[A-Za-z0-9_-]{16,256}$/, '16–256 characters of A-Z, a-z, 0-9, _ and - (MAX allows 5–256; we ask for 16)')
      .optional(),
  ),
  MAX_WEBHOOK_URL: z.preprocess(emptyToUndefined, z.url().optional()),
  MAX_OPERATORS_CHAT_ID: z.preprocess(emptyToUndefined, z.coerce.number().int().optional()),
  SANDBOX: z.preprocess(emptyToUndefined, z.enum(['auto', 'true', 'false']).default('auto')),
});

type RawEnv = z.infer<typeof rawEnvSchema>;

/** Telegram transport: the webhook branch alone requires a secret. */
export type TelegramConfig =
  | { mode: 'polling'; token: string; apiRoot: string }
  | { mode: 'webhook'; token: string; apiRoot: string; webhookSecret: string; webhookUrl: string | null };

/** VK transport: the callback branch alone requires a secret and a confirmation code. */
export type VkConfig =
  | { mode: 'longpoll'; token: string; groupId: number; apiBaseUrl: string }
  | {
      mode: 'callback';
      token: string;
      groupId: number;
      apiBaseUrl: string;
      callbackSecret: string;
      confirmationCode: string;
    };

/** MAX transport: the webhook branch alone requires a secret. */
export type MaxConfig =
  | { mode: 'polling'; token: string; apiBaseUrl: string }
  | { mode: 'webhook'; token: string; apiBaseUrl: string; webhookSecret: string; webhookUrl: string | null };

export interface AppConfig {
  /** null → start the embedded PostgreSQL under dataDir/postgres. */
  databaseUrl: string | null;
  dataDir: string;
  http: { host: string; port: number };
  /** The web console's address without a trailing slash (its login links start with it). */
  consoleUrl: string;
  /** null → generated once and stored under dataDir. */
  apiToken: string | null;
  logLevel: RawEnv['LOG_LEVEL'];
  roles: readonly AppRole[];
  domainConfigPath: string;
  /** null when no token is set (the role is idle unless the sandbox provides one). */
  telegram: TelegramConfig | null;
  telegramApiRoot: string;
  /** The МЦУ operators' Telegram chat for urgent and spike alerts; null → alerts in the API only. */
  operatorsChatId: number | null;
  vk: VkConfig | null;
  vkApiBaseUrl: string;
  vkServiceToken: string | null;
  /** null when MAX_BOT_TOKEN is not set (the sandbox may run MAX against its local fake). */
  max: MaxConfig | null;
  maxApiBaseUrl: string;
  /** The МЦУ operators' MAX group chat, used for alerts when no Telegram operators' chat is set. */
  maxOperatorsChatId: number | null;
  /** Sandbox resolved from SANDBOX=auto|true|false and the presence of tokens. */
  sandbox: boolean;
  /** TRUST_PROXY and the RATE_LIMIT_* variables (config/http-limits.ts). */
  httpLimits: HttpLimits;
}

/** Validates the environment once; throws ConfigError naming every bad key. */
export function loadConfig(env: Record<string, string | undefined>): Readonly<AppConfig> {
  const parsed = rawEnvSchema.safeParse(env);
  const problems: string[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0] ?? '(root)');
      const shown = key in env && !/TOKEN|SECRET|PASSWORD|DATABASE_URL/.test(key) ? ` (got "${env[key]}")` : '';
      problems.push(`${key}: ${issue.message}${shown}`);
    }
    throw new ConfigError('environment', problems);
  }
  const e = parsed.data;

  if (e.TELEGRAM_MODE === 'webhook' && e.TELEGRAM_BOT_TOKEN && !e.TELEGRAM_WEBHOOK_SECRET) {
    problems.push('TELEGRAM_WEBHOOK_SECRET: required when TELEGRAM_MODE=webhook');
  }
  if (e.VK_GROUP_TOKEN && e.VK_GROUP_ID === undefined) {
    problems.push('VK_GROUP_ID: required when VK_GROUP_TOKEN is set');
  }
  if (e.VK_MODE === 'callback' && e.VK_GROUP_TOKEN) {
    if (!e.VK_CALLBACK_SECRET) problems.push('VK_CALLBACK_SECRET: required when VK_MODE=callback');
    if (!e.VK_CONFIRMATION_CODE) problems.push('VK_CONFIRMATION_CODE: required when VK_MODE=callback');
  }
  if (e.MAX_MODE === 'webhook' && e.MAX_BOT_TOKEN && !e.MAX_WEBHOOK_SECRET) {
    problems.push('MAX_WEBHOOK_SECRET: required when MAX_MODE=webhook');
  }
  // The sandbox shortens deadlines to minutes and brings simulated staff: never next to a real VK or MAX.
  if (e.SANDBOX === 'true' && (e.VK_GROUP_TOKEN || e.VK_SERVICE_TOKEN || e.MAX_BOT_TOKEN)) {
    problems.push(
      'SANDBOX: "true" cannot run with VK_GROUP_TOKEN, VK_SERVICE_TOKEN or MAX_BOT_TOKEN (its drill deadlines and simulated staff would reach real citizens)',
    );
  }
  const httpLimits = readHttpLimits(env, problems);
  if (problems.length > 0) throw new ConfigError('environment', problems);

  const telegram: TelegramConfig | null = !e.TELEGRAM_BOT_TOKEN
    ? null
    : e.TELEGRAM_MODE === 'webhook'
      ? {
          mode: 'webhook',
          token: e.TELEGRAM_BOT_TOKEN,
          apiRoot: e.TELEGRAM_API_ROOT,
          webhookSecret: e.TELEGRAM_WEBHOOK_SECRET as string,
          webhookUrl: e.TELEGRAM_WEBHOOK_URL ?? null,
        }
      : { mode: 'polling', token: e.TELEGRAM_BOT_TOKEN, apiRoot: e.TELEGRAM_API_ROOT };

  const vk: VkConfig | null =
    !e.VK_GROUP_TOKEN || e.VK_GROUP_ID === undefined
      ? null
      : e.VK_MODE === 'callback'
        ? {
            mode: 'callback',
            token: e.VK_GROUP_TOKEN,
            groupId: e.VK_GROUP_ID,
            apiBaseUrl: e.VK_API_BASE_URL,
            callbackSecret: e.VK_CALLBACK_SECRET as string,
            confirmationCode: e.VK_CONFIRMATION_CODE as string,
          }
        : { mode: 'longpoll', token: e.VK_GROUP_TOKEN, groupId: e.VK_GROUP_ID, apiBaseUrl: e.VK_API_BASE_URL };

  const max: MaxConfig | null = !e.MAX_BOT_TOKEN
    ? null
    : e.MAX_MODE === 'webhook'
      ? {
          mode: 'webhook',
          token: e.MAX_BOT_TOKEN,
          apiBaseUrl: e.MAX_API_BASE_URL,
          webhookSecret: e.MAX_WEBHOOK_SECRET as string,
          webhookUrl: e.MAX_WEBHOOK_URL ?? null,
        }
      : { mode: 'polling', token: e.MAX_BOT_TOKEN, apiBaseUrl: e.MAX_API_BASE_URL };

  const sandbox =
    e.SANDBOX === 'true' || (e.SANDBOX === 'auto' && telegram === null && vk === null && max === null && !e.VK_SERVICE_TOKEN);

  return Object.freeze({
    databaseUrl: e.DATABASE_URL ?? null,
    dataDir: e.DATA_DIR,
    http: Object.freeze({ host: e.HTTP_HOST, port: e.HTTP_PORT }),
    consoleUrl: (e.CONSOLE_URL ?? `http://localhost:${e.HTTP_PORT}/console`).replace(/\/+$/, ''),
    apiToken: e.API_TOKEN ?? null,
    logLevel: e.LOG_LEVEL,
    roles: Object.freeze([...new Set(e.APP_ROLES)]),
    domainConfigPath: e.MCU_CONFIG,
    telegram: telegram && Object.freeze(telegram),
    telegramApiRoot: e.TELEGRAM_API_ROOT,
    operatorsChatId: e.TELEGRAM_OPERATORS_CHAT_ID ?? null,
    vk: vk && Object.freeze(vk),
    vkApiBaseUrl: e.VK_API_BASE_URL,
    vkServiceToken: e.VK_SERVICE_TOKEN ?? null,
    max: max && Object.freeze(max),
    maxApiBaseUrl: e.MAX_API_BASE_URL,
    maxOperatorsChatId: e.MAX_OPERATORS_CHAT_ID ?? null,
    sandbox,
    httpLimits: Object.freeze(httpLimits),
  });
}
