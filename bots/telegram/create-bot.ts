import { autoRetry } from '@grammyjs/auto-retry';
import { Bot, type Context, GrammyError, HttpError } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import type { Logger } from '../../src/logger.js';
import { ru } from '../texts/ru.js';
import { helpFeature } from './features/help.js';
import { messageFeature } from './features/message.js';
import { welcomeFeature } from './features/welcome.js';

export interface TelegramBotDeps {
  log: Logger;
}

export interface CreateBotOptions {
  token: string;
  apiRoot: string;
  /** Preset bot identity (tests, or to skip getMe at start). */
  botInfo?: UserFromGetMe;
}

/** An error that must reach the transport so the update is NOT acknowledged (e.g. storage down). */
export class RetryableUpdateError extends Error {
  override name = 'RetryableUpdateError';
}

/**
 * Builds the bot: error boundary first, then features in a readable order, "unhandled" last.
 * The same bot runs against api.telegram.org, a self-hosted Bot API server and the sandbox emulator.
 */
export function createTelegramBot(options: CreateBotOptions, deps: TelegramBotDeps): Bot {
  const bot = new Bot(options.token, {
    client: { apiRoot: options.apiRoot },
    ...(options.botInfo ? { botInfo: options.botInfo } : {}),
  });
  // Honour 429 retry_after and retry 5xx/network errors a few times before giving up.
  bot.api.config.use(autoRetry({ maxRetryAttempts: 4, maxDelaySeconds: 60, rethrowInternalServerErrors: false }));

  bot.use(errorBoundary(deps.log));
  bot.use(welcomeFeature());
  bot.use(helpFeature());
  bot.use(messageFeature());
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

function describe(error: unknown): Record<string, unknown> {
  if (error instanceof GrammyError)
    return { type: 'GrammyError', method: error.method, code: error.error_code, description: error.description };
  if (error instanceof HttpError) return { type: 'HttpError', message: error.message };
  if (error instanceof Error) return { type: error.name, message: error.message, stack: error.stack };
  return { type: typeof error };
}

/** Registers the command list in the Telegram UI; non-essential, so a failure is only logged. */
export async function publishCommands(bot: Bot, log: Logger): Promise<void> {
  try {
    await bot.api.setMyCommands([
      { command: 'start', description: ru.commands.start },
      { command: 'status', description: ru.commands.status },
      { command: 'help', description: ru.commands.help },
    ]);
  } catch (error) {
    log.warn({ err: describe(error) }, 'setMyCommands failed (non-essential, continuing)');
  }
}
