import type { Api, Bot } from 'grammy';
import { messengerLimits } from '../../bots/outbound/broadcast-port.js';
import type { PhotoSource } from '../../bots/outbound/channel-port.js';
import { createTelegramBulkApi, TelegramBroadcaster } from '../../bots/telegram/broadcast.js';
import type { BotContext } from '../../bots/telegram/context.js';
import {
  createTelegramApi,
  createTelegramBot,
  parkedNotice,
  publishCommands,
  type TelegramPacing,
} from '../../bots/telegram/create-bot.js';
import { checkTelegramUpdate } from '../../bots/telegram/edge.js';
import { telegramFileSource } from '../../bots/telegram/file-source.js';
import { TelegramAdapter } from '../../bots/telegram/outbound.js';
import { createTelegramPacer } from '../../bots/telegram/pacing.js';
import { TelegramPoller } from '../../bots/telegram/poller.js';
import { abortableSleep, backoffMs } from '../../lib/retry.js';
import type { Recipient } from '../../models/outbound.js';
import { telegramWebhookRoute } from '../http/routes/telegram-webhook.js';
import { featureApis } from './features.js';
import type { Accept } from './inbox.js';
import type { Messenger } from './messenger.js';
import type { Runtime } from './runtime.js';

/** Update types intake handles (listed explicitly, so a future default change cannot flood intake). */
const ALLOWED_UPDATES = [
  'message',
  'edited_message',
  'channel_post',
  'edited_channel_post',
  'callback_query',
  'my_chat_member',
] as const;

const replay = { channel: 'telegram', check: checkTelegramUpdate };

/** Telegram: the citizens' bot, and the officials' and operators' messenger. */
export const telegramMessenger: Messenger = {
  name: 'telegram',
  configured: (rt) => rt.telegram !== null,
  adapter: (rt) => (rt.telegram ? new TelegramAdapter(telegramApi(rt)) : null),
  broadcaster(rt) {
    if (!rt.telegram) return null;
    const { pacer, limits } = telegramPacing(rt);
    return new TelegramBroadcaster(createTelegramBulkApi(rt.telegram), pacer, limits);
  },
  webhooks(rt, accept) {
    const telegram = rt.telegram;
    if (telegram?.mode !== 'webhook' || !rt.has('telegram')) return [];
    return [
      telegramWebhookRoute({
        secret: telegram.webhookSecret,
        check: checkTelegramUpdate,
        accept: (outcome) => accept('telegram', 'telegram-webhook', [outcome]),
      }),
    ];
  },
  deadLetterSources: { 'telegram-webhook': replay, 'telegram-poll': replay },
  parkedNotice,
  operatorsChat,
  start: startTelegram,
};

/** One Bot API client for everything this instance sends through the channel port. */
export function telegramApi(rt: Runtime): Api {
  return rt.shared(createClient);
}

function createClient(rt: Runtime): Api {
  if (!rt.telegram) throw new Error('no Telegram configuration');
  return createTelegramApi({ token: rt.telegram.token, apiRoot: rt.telegram.apiRoot, pacing: telegramPacing(rt) });
}

/**
 * The bot's pacer and Telegram's limits: one per instance, shared by the channel port's Api and the bot's
 * replies (the priority lane) and the broadcasts' Api, so the bot's 30 messages/s hold in this process.
 */
export function telegramPacing(rt: Runtime): TelegramPacing {
  return rt.shared(createPacing);
}

function createPacing(rt: Runtime): TelegramPacing {
  const limits = messengerLimits(rt.domain.broadcasts).telegram;
  return { pacer: createTelegramPacer(limits), limits };
}

/** Officials' photos (Telegram file ids), read for another messenger to upload; null without Telegram. */
export function officialsPhotos(rt: Runtime): PhotoSource | null {
  return rt.telegram ? telegramFileSource(telegramApi(rt), rt.telegram) : null;
}

/** The operators' Telegram chat (TELEGRAM_OPERATORS_CHAT_ID, or the sandbox's); null when none is configured. */
function operatorsChat(rt: Runtime): Recipient | null {
  const chatId = rt.config.operatorsChatId ?? rt.fallbackOperatorsChatId;
  if (!rt.telegram || chatId === null) return null;
  return { channel: 'telegram', chatId: String(chatId) };
}

/**
 * The Telegram bot: it decides stored Telegram updates (worker role); with the telegram role it also
 * publishes its commands and receives updates (webhook or long polling). Returns the poller to stop, if any.
 */
async function startTelegram(rt: Runtime, accept: Accept): Promise<TelegramPoller | null> {
  const telegram = rt.telegram;
  // A worker decides stored Telegram updates, so it needs the bot even without the telegram role.
  if (!telegram || !(rt.has('telegram') || rt.has('worker'))) return null;
  const log = rt.log.child({ part: 'telegram' });
  const intake = rt.intake;
  if (!intake) throw new Error('intake not ready');
  const bot: Bot<BotContext> = createTelegramBot(
    { token: telegram.token, apiRoot: telegram.apiRoot, pacing: telegramPacing(rt) },
    {
      log,
      city: rt.domain.city,
      intake,
      ...featureApis(rt),
      followUps: rt.followUps ?? undefined,
      onIgnored: (type) => rt.metrics.updatesIgnored.inc({ channel: 'telegram', type }),
    },
  );
  // getMe can fail while the Bot API server is unreachable: wait and retry rather than crash.
  for (let attempt = 1; !bot.isInited() && !rt.stopped; attempt++) {
    try {
      await bot.init();
    } catch (error) {
      const delayMs = backoffMs(attempt, 1_000);
      log.warn({ err: error, attempt, retryInMs: delayMs }, 'Telegram Bot API unreachable; retrying');
      await abortableSleep(delayMs, rt.stopSignal);
    }
  }
  if (rt.stopped) return null;
  rt.botUsername = bot.botInfo.username;
  rt.inbox?.register('telegram', (payload) => bot.handleUpdate(payload as Parameters<Bot['handleUpdate']>[0]));
  if (!rt.has('telegram')) return null; // a worker only decides; the intake instance talks to Telegram
  await publishCommands(bot.api, log);
  if (telegram.mode === 'webhook' && telegram.webhookUrl) {
    await bot.api
      .setWebhook(telegram.webhookUrl, { secret_token: telegram.webhookSecret, allowed_updates: ALLOWED_UPDATES })
      .catch((error) => log.error({ err: error }, 'setWebhook failed; set it by hand or fix TELEGRAM_WEBHOOK_URL'));
  }
  let poller: TelegramPoller | null = null;
  if (telegram.mode === 'polling') {
    await bot.api.deleteWebhook().catch((error) => log.warn({ err: error }, 'deleteWebhook failed (continuing)'));
    poller = new TelegramPoller(
      bot.api,
      (updates) => accept('telegram', 'telegram-poll', updates.map(checkTelegramUpdate)),
      log,
      {
        timeoutSeconds: rt.options.pollTimeoutSeconds ?? 25,
        allowedUpdates: ALLOWED_UPDATES,
      },
    );
    poller.start();
  }
  log.info({ mode: telegram.mode, bot: bot.botInfo.username }, 'Telegram bot running');
  return poller;
}
