import { createBroadcastPort, type MessengerBroadcaster } from '../../bots/outbound/broadcast-port.js';
import { createChannelPort, type MessengerAdapter } from '../../bots/outbound/channel-port.js';
import type { ReplaySource } from '../../handlers/intake/index.js';
import type { BroadcastPort } from '../../models/broadcast.js';
import type { Channel } from '../../models/intake.js';
import type { ChannelPort, Recipient } from '../../models/outbound.js';
import type { HttpPlugin } from '../http/server.js';
import { countingBroadcastPort, countingChannelPort } from './delivery-metrics.js';
import type { Accept } from './inbox.js';
import { maxMessenger } from './max.js';
import type { Messenger } from './messenger.js';
import type { Runtime } from './runtime.js';
import { telegramMessenger } from './telegram.js';
import { vkMessenger } from './vk.js';

/**
 * The messengers of the platform, in the order they start (and stop, see App.stop()): a new
 * messenger is its module (`compose/<messenger>.ts`) and one line here. The app, the webhooks, the
 * dead letters, the parked notices and the channel port all go through this list.
 */
export const MESSENGERS: readonly Messenger[] = [telegramMessenger, vkMessenger, maxMessenger];

/**
 * The channel port the handlers send through: one adapter per messenger this instance has a token
 * for (any instance with a token can send, whatever its roles). A send to any other channel fails,
 * and its job is retried.
 */
export function channelPort(rt: Runtime): ChannelPort {
  return rt.shared(createPort);
}

function createPort(rt: Runtime): ChannelPort {
  const adapters: Partial<Record<Channel, MessengerAdapter>> = {};
  for (const messenger of MESSENGERS) {
    const adapter = messenger.adapter(rt);
    if (adapter) adapters[messenger.name] = adapter;
  }
  return countingChannelPort(createChannelPort(adapters, rt.domain.city), rt.metrics.deliveriesFailed);
}

/**
 * The broadcast port the sender puts broadcasts on: one broadcaster per messenger this instance has a
 * token for. Each paces to its platform's limits (`broadcasts` of the domain file) with the pacer its
 * channel-port adapter uses (`rt.shared`, one per bot), the adapter's sends in the priority lane above
 * the broadcasts. The limits hold per process: two instances sending with one token each take the full
 * rate, so broadcasts run where the channel port's traffic is (docs/architecture/broadcasts.md).
 */
export function broadcastPort(rt: Runtime): BroadcastPort {
  return rt.shared(createBroadcasts);
}

function createBroadcasts(rt: Runtime): BroadcastPort {
  const broadcasters: MessengerBroadcaster[] = [];
  for (const messenger of MESSENGERS) {
    const broadcaster = messenger.broadcaster?.(rt) ?? null;
    if (broadcaster) broadcasters.push(broadcaster);
  }
  return countingBroadcastPort(createBroadcastPort(broadcasters), rt.metrics.deliveriesFailed);
}

/** Every messenger's webhook routes on this instance. */
export function messengerWebhooks(rt: Runtime, accept: Accept): HttpPlugin[] {
  return MESSENGERS.flatMap((messenger) => messenger.webhooks(rt, accept));
}

/** Dead letters: which edge check a refused body is replayed through, by its source. */
export function replaySources(): Record<string, ReplaySource> {
  return Object.assign({}, ...MESSENGERS.map((messenger) => messenger.deadLetterSources));
}

/** The inbox's hook for a parked event: its messenger tells the citizen, when this instance can send there. */
export function parkedNotices(rt: Runtime): (channel: string, payload: unknown) => Promise<void> {
  return async (channel, payload) => {
    const messenger = MESSENGERS.find((m) => m.name === channel);
    if (messenger?.parkedNotice && messenger.configured(rt)) await messenger.parkedNotice(channelPort(rt), payload);
  };
}

/**
 * Where alerts to the operators go: the chat of the first messenger in `MESSENGERS` that has one
 * configured here — Telegram's (TELEGRAM_OPERATORS_CHAT_ID, the officials' messenger), else MAX's
 * (MAX_OPERATORS_CHAT_ID). One chat, so an alert is not posted twice; null keeps alerts in the API.
 */
export function operatorsChat(rt: Runtime): Recipient | null {
  for (const messenger of MESSENGERS) {
    const chat = messenger.operatorsChat?.(rt) ?? null;
    if (chat) return chat;
  }
  return null;
}
