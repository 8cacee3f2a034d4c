import type { MessengerBroadcaster } from '../../bots/outbound/broadcast-port.js';
import type { MessengerAdapter } from '../../bots/outbound/channel-port.js';
import type { ReplaySource } from '../../handlers/intake/index.js';
import type { Channel } from '../../models/intake.js';
import type { ChannelPort, Recipient } from '../../models/outbound.js';
import type { HttpPlugin } from '../http/server.js';
import type { Accept } from './inbox.js';
import type { Runtime } from './runtime.js';

/** A messenger's running intake (its poller): what App.stop() stops. */
export interface MessengerIntake {
  stop(): Promise<void>;
}

/**
 * One messenger as the composition root sees it: everything the app, the HTTP server, the dead
 * letters, the inbox and the channel port need from it. Each messenger is one module
 * (`compose/telegram.ts`, `compose/vk.ts`, `compose/max.ts`) listed once in `MESSENGERS` (`compose/messengers.ts`);
 * nothing else in src/ names a messenger to wire it.
 */
export interface Messenger {
  /** Its channel (`CHANNELS` of models/intake.ts): the inbox key of its events, its port route, its stop step. */
  readonly name: Channel;
  /** This instance has its configuration (a token): it can send through it and start its intake. */
  configured(rt: Runtime): boolean;
  /** Its side of the channel port; null when this instance has no token for it. */
  adapter(rt: Runtime): MessengerAdapter | null;
  /**
   * Its side of the broadcast port (`broadcastPort` of messengers.ts): paced by the same per-bot pacer
   * as its adapter, in a lane below it; null when this instance has no token for it.
   */
  broadcaster?(rt: Runtime): MessengerBroadcaster | null;
  /**
   * Its webhook routes on this instance (none when it polls or the instance lacks its role). Called
   * when the HTTP server starts, before the database: the routes answer 503 until it is up.
   */
  webhooks(rt: Runtime, accept: Accept): HttpPlugin[];
  /** The dead-letter sources it stores under, each with the edge check a refused body is replayed through. */
  readonly deadLetterSources: Readonly<Record<string, ReplaySource>>;
  /** Tells the citizen, through the port, that their event was parked (after repeated failures). */
  parkedNotice?(outbound: ChannelPort, payload: unknown): Promise<void>;
  /** The МЦУ operators' chat on this messenger, when one is configured here (see `operatorsChat` of messengers.ts). */
  operatorsChat?(rt: Runtime): Recipient | null;
  /**
   * Its intake, once the queue is up (only when configured): with the worker role it registers its
   * inbox decider; with its own role it receives (poller; webhooks come from `webhooks`). Returns
   * the poller to stop, or null when there is nothing to stop.
   */
  start(rt: Runtime, accept: Accept): Promise<MessengerIntake | null>;
}
