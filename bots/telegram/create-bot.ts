import { autoRetry } from '@grammyjs/auto-retry';
import { Api, Bot, type Context } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import type { Logger } from 'pino';
import type { Pacer } from '../../lib/pacer.js';
import { type ChannelPort, sentOrThrow } from '../../models/outbound.js';
import { ru } from '../texts/ru.js';
import type { BotContext, TelegramBotDeps } from './context.js';
import { buttonsFeature } from './features/buttons.js';
import { chatMemberFeature } from './features/chat-member.js';
import { forgetFeature } from './features/forget.js';
import { helpFeature } from './features/help.js';
import { intakeFeature } from './features/intake.js';
import { officialAnswersFeature } from './features/official-answers.js';
import { officialsFeature } from './features/officials.js';
import { staffPresenceFeature } from './features/staff-presence.js';
import { statusFeature } from './features/status.js';
import { subscriptionsFeature } from './features/subscriptions.js';
import { welcomeFeature } from './features/welcome.js';
import { priorityLane, type TelegramLimits } from './pacing.js';

export type { TelegramBotDeps } from './context.js';
export { RetryableUpdateError } from './errors.js';

export interface CreateBotOptions {
  token: string;
  apiRoot: string;
  /** Preset bot identity (tests, or to skip getMe at start). */
  botInfo?: UserFromGetMe;
  /** The bot's pacer: its messages go in the priority lane (bots/telegram/pacing.ts). */
  pacing?: TelegramPacing;
}

/** The bot's rate gate and Telegram's limits, shared by every Api that sends for one bot token. */
export interface TelegramPacing {
  pacer: Pacer;
  limits: TelegramLimits;
}

/**
 * Honour 429 retry_after and retry 5xx/network errors a few times before giving up. With a pacer, each
 * message (and each retry of it) first takes a priority token: the pacing transformer goes in first, so
 * auto-retry wraps it. (Broadcasts use an Api without either: bots/telegram/broadcast.ts.)
 */
function installRetry(api: Api, pacing: TelegramPacing | undefined): void {
  if (pacing) api.config.use(priorityLane(pacing.pacer, pacing.limits));
  api.config.use(autoRetry({ maxRetryAttempts: 4, maxDelaySeconds: 60, rethrowInternalServerErrors: false }));
}

/** A bare Bot API client for sending (the channel port's adapter): same apiRoot, retry policy and pacer as the bot. */
export function createTelegramApi(options: { token: string; apiRoot: string; pacing?: TelegramPacing }): Api {
  const api = new Api(options.token, { apiRoot: options.apiRoot });
  installRetry(api, options.pacing);
  return api;
}

/**
 * Builds the bot: error boundary first, then features in a readable order, "unhandled" last.
 * The same bot runs against api.telegram.org, a self-hosted Bot API server and the sandbox emulator.
 */
export function createTelegramBot(options: CreateBotOptions, deps: TelegramBotDeps): Bot<BotContext> {
  const bot = new Bot<BotContext>(options.token, {
    client: { apiRoot: options.apiRoot },
    ...(options.botInfo ? { botInfo: options.botInfo } : {}),
  });
  installRetry(bot.api, options.pacing);

  bot.use(errorBoundary(deps.log));
  bot.use(staffPresenceFeature(deps));
  bot.use(welcomeFeature(deps));
  bot.use(helpFeature(deps));
  bot.use(statusFeature(deps));
  bot.use(subscriptionsFeature(deps));
  bot.use(forgetFeature(deps));
  bot.use(officialsFeature(deps));
  bot.use(buttonsFeature(deps));
  bot.use(chatMemberFeature(deps));
  bot.use(officialAnswersFeature(deps));
  bot.use(intakeFeature(deps));
  bot.use((ctx) => {
    const type = Object.keys(ctx.update).find((k) => k !== 'update_id') ?? 'unknown';
    deps.onIgnored?.(type);
  });
  return bot;
}

/**
 * The update's child logger, and no swallowing: the update is a stored inbox event, so a failure
 * propagates to the inbox worker, which retries it with backoff and parks it after repeated
 * failures (then the citizen is told, see `parkedNotice`). An error here must never turn into
 * "handled".
 */
function errorBoundary(log: Logger) {
  return async (ctx: Context, next: () => Promise<void>) => {
    try {
      await next();
    } catch (error) {
      log.child({ updateId: ctx.update.update_id }).debug({ err: error }, 'telegram update failed; the inbox retries it');
      throw error;
    }
  };
}

/** Tells a citizen in a private chat, through the channel port, that their update could not be processed (after it was parked). */
export async function parkedNotice(outbound: ChannelPort, update: unknown): Promise<void> {
  const u = update as {
    update_id?: number;
    message?: { chat?: { id?: number; type?: string } };
    callback_query?: { from?: { id?: number } };
  };
  const chat = u.message?.chat;
  const chatId = chat?.type === 'private' ? chat.id : u.callback_query?.from?.id;
  if (typeof chatId !== 'number') return;
  const recipient = { channel: 'telegram' as const, chatId: String(chatId) };
  sentOrThrow(await outbound.send(recipient, { kind: 'processing_failed' }, `parked:${u.update_id ?? chatId}`));
}

/**
 * Registers the command list in the Telegram UI; non-essential, so a failure is one warning line
 * (the logger's error serializer: class, code, method, scrubbed message; the stack only at debug).
 */
export async function publishCommands(api: Api, log: Logger): Promise<void> {
  try {
    await api.setMyCommands([
      { command: 'start', description: ru.commands.start },
      { command: 'status', description: ru.commands.status },
      { command: 'subscribe', description: ru.commands.subscribe },
      { command: 'unsubscribe', description: ru.commands.unsubscribe },
      { command: 'help', description: ru.commands.help },
    ]);
  } catch (error) {
    log.warn({ err: error }, 'setMyCommands failed (non-essential, continuing)');
  }
}
