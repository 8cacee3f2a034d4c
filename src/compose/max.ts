import { createMaxApi, createMaxBulkApi, createMaxPacer, type MaxApiPort } from '../../bots/max/api.js';
import { MaxBroadcaster } from '../../bots/max/broadcast.js';
import { checkMaxUpdate } from '../../bots/max/edge.js';
import { createMaxUpdateHandler } from '../../bots/max/handle-update.js';
import { MaxAdapter, maxErrorLog, parkedNotice } from '../../bots/max/outbound.js';
import { MaxPoller } from '../../bots/max/poller.js';
import { MAX_UPDATE_TYPES, type MaxUpdate } from '../../bots/max/translate.js';
import { messengerLimits } from '../../bots/outbound/broadcast-port.js';
import type { MaxConfig } from '../../config/index.js';
import { channelCursor } from '../../handlers/intake/index.js';
import type { Pacer } from '../../lib/pacer.js';
import { maxWebhookRoute } from '../http/routes/max-webhook.js';
import type { Logger } from '../logger.js';
import { featureApis } from './features.js';
import { type Accept, keepDeadLetter } from './inbox.js';
import type { Messenger } from './messenger.js';
import type { Runtime } from './runtime.js';
import { officialsPhotos } from './telegram.js';

const replay = { channel: 'max', check: checkMaxUpdate };

/** MAX: the citizens' bot, and a messenger officials and МЦУ staff work in. */
export const maxMessenger: Messenger = {
  name: 'max',
  configured: (rt) => maxConfig(rt) !== null,
  adapter(rt) {
    const api = maxApi(rt);
    // Officials' photos live in Telegram; a MAX answer uploads them from there.
    return api ? new MaxAdapter(api, officialsPhotos(rt)) : null;
  },
  broadcaster(rt) {
    const max = maxConfig(rt);
    const api = maxApi(rt);
    if (!max || !api) return null;
    const limits = messengerLimits(rt.domain.broadcasts).max;
    const bulk = createMaxBulkApi({
      token: max.token,
      baseUrl: max.apiBaseUrl,
      pacer: maxPacer(rt),
      messagesPerChatPerSecond: limits.messagesPerChatPerSecond,
    });
    return new MaxBroadcaster(bulk, api, limits.requestsPerSecond);
  },
  webhooks(rt, accept) {
    const max = maxConfig(rt);
    if (max?.mode !== 'webhook' || !rt.has('max')) return [];
    return [
      maxWebhookRoute({
        secret: max.webhookSecret,
        check: checkMaxUpdate,
        accept: (outcome) => accept('max', 'max-webhook', [outcome]),
      }),
    ];
  },
  deadLetterSources: { 'max-webhook': replay, 'max-poll': replay },
  parkedNotice,
  operatorsChat(rt) {
    const chatId = rt.config.maxOperatorsChatId;
    return maxConfig(rt) && chatId !== null ? { channel: 'max', chatId: String(chatId) } : null;
  },
  start: startMax,
};

const sandboxMax = new WeakMap<Runtime, MaxConfig>();

/**
 * The sandbox points MAX at its local fake before the app starts (as it sets `rt.telegram` to its
 * emulator); the Runtime has no MAX configuration of its own to overwrite.
 */
export function useSandboxMax(rt: Runtime, config: MaxConfig): void {
  sandboxMax.set(rt, config);
}

/** This instance's MAX: MAX_BOT_TOKEN's, else the sandbox's fake, else none. */
export function maxConfig(rt: Runtime): MaxConfig | null {
  return rt.config.max ?? sandboxMax.get(rt) ?? null;
}

/** The bot's API client: one per instance, so the poller, the decider and the sender share its rate limit. */
export function maxApi(rt: Runtime): MaxApiPort | null {
  return rt.shared(createClient);
}

function createClient(rt: Runtime): MaxApiPort | null {
  const max = maxConfig(rt);
  if (!max) return null;
  const { messagesPerChatPerSecond } = messengerLimits(rt.domain.broadcasts).max;
  return createMaxApi({ token: max.token, baseUrl: max.apiBaseUrl, pacer: maxPacer(rt), messagesPerChatPerSecond });
}

/**
 * The bot's pacer: one per instance, shared by the client above (the priority lane: polling, replies, the
 * channel port) and the broadcasts' client, so the bot's requests a second (`broadcasts.max`) hold here.
 */
export function maxPacer(rt: Runtime): Pacer {
  return rt.shared(createPacer);
}

function createPacer(rt: Runtime): Pacer {
  return createMaxPacer(messengerLimits(rt.domain.broadcasts).max.requestsPerSecond);
}

/**
 * The MAX bot: it decides stored MAX updates (worker role); with the max role it also receives them
 * (long polling, or the webhook's subscription) and learns its username from GET /me. Returns the
 * poller to stop, if any.
 */
async function startMax(rt: Runtime, accept: Accept): Promise<MaxPoller | null> {
  const max = maxConfig(rt);
  // A worker decides stored MAX updates, so it needs the handler even without the max role.
  if (!max || !(rt.has('max') || rt.has('worker'))) return null;
  const log = rt.log.child({ part: 'max' });
  const api = maxApi(rt);
  const intake = rt.intake;
  const database = rt.database;
  if (!api || !intake || !database) throw new Error('MAX intake needs the database and the queue');
  const handler = createMaxUpdateHandler({
    intake,
    api,
    log,
    city: rt.domain.city,
    // The citizens' conversation (polls, follow-ups) and the staff's (people, commands, cases, answers).
    ...featureApis(rt),
    followUps: rt.followUps ?? undefined,
    onIgnored: (type) => rt.metrics.updatesIgnored.inc({ channel: 'max', type }),
    onMalformed: (update, reason) => keepDeadLetter(rt, 'max-update', reason, update),
  });
  rt.inbox?.register('max', (payload) => handler(payload as MaxUpdate));
  if (!rt.has('max')) return null; // a worker only decides; the intake instance talks to MAX
  const identified = (me: { username: string | null }) => {
    rt.maxBotUsername = me.username;
  };
  if (max.mode === 'webhook') {
    if (max.webhookUrl)
      await api
        .subscribe(max.webhookUrl, max.webhookSecret, MAX_UPDATE_TYPES)
        .catch((error) => log.error(maxErrorLog(error), 'MAX subscription failed; subscribe by hand or fix MAX_WEBHOOK_URL'));
    void api
      .me()
      .then(identified)
      .catch((error) => log.warn(maxErrorLog(error), 'MAX GET /me failed; invite links for MAX wait for the next start'));
    log.info({ mode: max.mode }, 'MAX bot intake running');
    return null;
  }
  await dropSubscriptions(api, log);
  const poller = new MaxPoller({
    api,
    accept: (updates) => accept('max', 'max-poll', updates.map(checkMaxUpdate)),
    cursorFor: (botId) => channelCursor({ db: database.db, clock: rt.clock }, `max-poll:${botId}`),
    onIdentified: identified,
    log,
    types: MAX_UPDATE_TYPES,
    timeoutSeconds: rt.options.pollTimeoutSeconds ?? 25,
  });
  poller.start();
  log.info({ mode: max.mode }, 'MAX bot intake running');
  return poller;
}

/**
 * MAX does not long-poll a bot that has a webhook subscription: in polling mode the subscriptions are
 * removed first, as Telegram's deleteWebhook. A failure is logged; the poller reports what follows.
 */
async function dropSubscriptions(api: MaxApiPort, log: Logger): Promise<void> {
  try {
    for (const url of await api.subscriptions()) {
      await api.unsubscribe(url);
      log.warn('MAX had a webhook subscription; removed it to poll (MAX_MODE=polling)');
    }
  } catch (error) {
    log.warn(maxErrorLog(error), 'MAX subscriptions could not be listed or removed (continuing)');
  }
}
