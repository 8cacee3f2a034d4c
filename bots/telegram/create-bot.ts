import { autoRetry } from '@grammyjs/auto-retry';
import { Api, Bot, type Context, GrammyError, HttpError } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import type { Logger } from '../../src/logger.js';
import { ru } from '../texts/ru.js';
import type { BotContext, TelegramBotDeps } from './context.js';
import { RetryableUpdateError } from './errors.js';
import { buttonsFeature } from './features/buttons.js';
import { chatMemberFeature } from './features/chat-member.js';
import { helpFeature } from './features/help.js';
import { intakeFeature } from './features/intake.js';
import { officialAnswersFeature } from './features/official-answers.js';
import { officialsFeature } from './features/officials.js';
import { statusFeature } from './features/status.js';
import { welcomeFeature } from './features/welcome.js';

export type { TelegramBotDeps } from './context.js';
export { RetryableUpdateError } from './errors.js';

export interface CreateBotOptions {
  token: string;
  apiRoot: string;
  /** Preset bot identity (tests, or to skip getMe at start). */
  botInfo?: UserFromGetMe;
}

/** Honour 429 retry_after and retry 5xx/network errors a few times before giving up. */
function installRetry(api: Api): void {
  api.config.use(autoRetry({ maxRetryAttempts: 4, maxDelaySeconds: 60, rethrowInternalServerErrors: false }));
}

/** A bare Bot API client for sending (workers, notifiers): same apiRoot and retry policy as the bot. */
export function createTelegramApi(options: { token: string; apiRoot: string }): Api {
  const api = new Api(options.token, { apiRoot: options.apiRoot });
  installRetry(api);
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
  installRetry(bot.api);

  bot.use(errorBoundary(deps.log));
  bot.use(welcomeFeature(deps));
  bot.use(helpFeature(deps));
  bot.use(statusFeature(deps));
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

function errorBoundary(log: Logger) {
  return async (ctx: Context, next: () => Promise<void>) => {
    const child = log.child({ updateId: ctx.update.update_id });
    try {
      await next();
    } catch (error) {
      if (error instanceof RetryableUpdateError) throw error;
      child.error({ err: describe(error) }, 'telegram update failed');
      // The citizen gets a polite word, not silence; if even that fails we only log.
      if (ctx.chat?.type === 'private') {
        await ctx.reply(ru.internalError).catch((e) => child.warn({ err: describe(e) }, 'could not send error reply'));
      }
    }
  };
}

export function describe(error: unknown): Record<string, unknown> {
  if (error instanceof GrammyError)
    return { type: 'GrammyError', method: error.method, code: error.error_code, description: error.description };
  if (error instanceof HttpError) return { type: 'HttpError', message: error.message };
  if (error instanceof Error) return { type: error.name, message: error.message, stack: error.stack };
  return { type: typeof error };
}

/** Registers the command list in the Telegram UI; non-essential, so a failure is only logged. */
export async function publishCommands(api: Api, log: Logger): Promise<void> {
  try {
    await api.setMyCommands([
      { command: 'start', description: ru.commands.start },
      { command: 'status', description: ru.commands.status },
      { command: 'help', description: ru.commands.help },
    ]);
  } catch (error) {
    log.warn({ err: describe(error) }, 'setMyCommands failed (non-essential, continuing)');
  }
}
