import { messengerLimits } from '../../bots/outbound/broadcast-port.js';
import { createVkApi, createVkBulkApi, createVkPacer, type VkApiPort } from '../../bots/vk/api.js';
import { VkBroadcaster } from '../../bots/vk/broadcast.js';
import { checkVkEvent } from '../../bots/vk/edge.js';
import { createVkEventHandler } from '../../bots/vk/handle-event.js';
import { VkLongPoll } from '../../bots/vk/long-poll.js';
import { VkAdapter } from '../../bots/vk/outbound.js';
import type { VkEvent } from '../../bots/vk/translate.js';
import { channelCursor } from '../../handlers/intake/index.js';
import type { Pacer } from '../../lib/pacer.js';
import { vkCallbackRoute } from '../http/routes/vk-callback.js';
import { featureApis } from './features.js';
import type { Accept } from './inbox.js';
import { keepDeadLetter } from './inbox.js';
import type { Messenger } from './messenger.js';
import type { Runtime } from './runtime.js';
import { officialsPhotos } from './telegram.js';

const replay = { channel: 'vk', check: checkVkEvent };

/** The VK community: its messages and its wall (the public communities are read by a job of compose/workers.ts). */
export const vkMessenger: Messenger = {
  name: 'vk',
  configured: (rt) => rt.config.vk !== null,
  adapter(rt) {
    const api = vkApi(rt);
    // Officials' photos live in Telegram; a VK answer copies them from there.
    return api ? new VkAdapter(api, officialsPhotos(rt)) : null;
  },
  broadcaster(rt) {
    const vk = rt.config.vk;
    if (!vk) return null;
    const limits = messengerLimits(rt.domain.broadcasts);
    const bulk = createVkBulkApi({
      token: vk.token,
      apiBaseUrl: vk.apiBaseUrl,
      requestsPerSecond: limits.vk.requestsPerSecond,
      pacer: vkPacer(rt),
    });
    return new VkBroadcaster(bulk, limits);
  },
  webhooks(rt, accept) {
    const vk = rt.config.vk;
    if (vk?.mode !== 'callback' || !rt.has('vk')) return [];
    return [
      vkCallbackRoute({
        groupId: vk.groupId,
        secret: vk.callbackSecret,
        confirmationCode: vk.confirmationCode,
        check: checkVkEvent,
        accept: (outcome) => accept('vk', 'vk-callback', [outcome]),
      }),
    ];
  },
  deadLetterSources: { 'vk-callback': replay, 'vk-longpoll': replay },
  start: async (rt, accept) => startVk(rt, accept),
};

/** The community's API client: one per instance for the long poll, the event handler and the sender; null without VK. */
export function vkApi(rt: Runtime): VkApiPort | null {
  return rt.shared(createClient);
}

function createClient(rt: Runtime): VkApiPort | null {
  const vk = rt.config.vk;
  if (!vk) return null;
  const requestsPerSecond = messengerLimits(rt.domain.broadcasts).vk.requestsPerSecond;
  return createVkApi({ token: vk.token, apiBaseUrl: vk.apiBaseUrl, requestsPerSecond, pacer: vkPacer(rt) });
}

/**
 * The community token's pacer: one per instance, shared by the client above (the priority lane: the long
 * poll's server, the conversation's replies, the channel port) and the broadcasts' client, so the token's
 * requests a second (`broadcasts.vk`) are one budget in this process.
 */
export function vkPacer(rt: Runtime): Pacer {
  return rt.shared(createPacer);
}

function createPacer(rt: Runtime): Pacer {
  return createVkPacer(messengerLimits(rt.domain.broadcasts).vk.requestsPerSecond);
}

/**
 * The VK community: its event handler decides stored VK events (worker role); with the vk role and
 * long poll mode it also reads the community's events. Returns the long poll to stop, if any.
 */
function startVk(rt: Runtime, accept: Accept): VkLongPoll | null {
  const vk = rt.config.vk;
  // A worker decides stored VK events, so it needs the handler even without the vk role.
  if (!vk || !(rt.has('vk') || rt.has('worker'))) return null;
  const log = rt.log.child({ part: 'vk' });
  const api = vkApi(rt);
  const intake = rt.intake;
  const database = rt.database;
  if (!api || !intake || !database) throw new Error('VK intake needs the database and the queue');
  const handler = createVkEventHandler({
    intake,
    api,
    log,
    city: rt.domain.city,
    polls: featureApis(rt).polls,
    subscriptions: featureApis(rt).subscriptions,
    privacy: featureApis(rt).privacy,
    subscriptionIntent: rt.domain.broadcasts?.vkIntents.subscribers ?? null,
    followUps: rt.followUps ?? undefined,
    onIgnored: (type) => rt.metrics.updatesIgnored.inc({ channel: 'vk', type }),
    onMalformed: (event, reason) => keepDeadLetter(rt, 'vk-event', reason, event),
  });
  rt.inbox?.register('vk', (payload) => handler(payload as VkEvent));
  let longPoll: VkLongPoll | null = null;
  if (vk.mode === 'longpoll' && rt.has('vk')) {
    longPoll = new VkLongPoll({
      api,
      groupId: vk.groupId,
      accept: (events) => accept('vk', 'vk-longpoll', events.map(checkVkEvent)),
      cursor: channelCursor({ db: database.db, clock: rt.clock }, `vk-longpoll:${vk.groupId}`),
      log,
      ...(rt.options.pollTimeoutSeconds ? { waitSeconds: rt.options.pollTimeoutSeconds } : {}),
    });
    longPoll.start();
  }
  log.info({ mode: vk.mode, groupId: vk.groupId }, 'VK community intake running');
  return longPoll;
}
