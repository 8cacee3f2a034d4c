import type { Channel } from '../../models/intake.js';
import type { ChannelPort, DeliveryResult, Recipient } from '../../models/outbound.js';
import type { TextCity } from '../texts/ru.js';
import { type Rendered, render } from './render.js';

/**
 * One messenger's side of the port: puts a rendered message on its API (keyboard, reply or thread,
 * photos) and maps the API's errors to a DeliveryResult (blocked chat, 429 retry_after, other).
 */
export interface MessengerAdapter {
  send(message: Rendered, recipient: Recipient, ref: string): Promise<DeliveryResult>;
  /** Replaces a sent message's text and buttons (photos are not edited); absent: the messenger cannot. */
  edit?(message: Rendered, recipient: Recipient, messageId: string, ref: string): Promise<DeliveryResult>;
}

/** Reads a photo an official sent (a Telegram file id), to upload it on another messenger. */
export type PhotoSource = (telegramFileId: string) => Promise<Buffer>;

/**
 * The port of this instance: renders each message (dates and times in the city's zone and locale,
 * `domain.city`) and hands it to the adapter of the recipient's channel.
 */
export function createChannelPort(adapters: Partial<Record<Channel, MessengerAdapter>>, city: TextCity): ChannelPort {
  return {
    async send(recipient, message, ref) {
      const adapter = adapters[recipient.channel];
      // Another instance may have the token: a failure lets the queue retry there (or dead-letter it).
      if (!adapter) return { status: 'failed', reason: `no ${recipient.channel} sender in this instance` };
      return adapter.send(render(message, recipient, city), recipient, ref);
    },
    async edit(recipient, messageId, message, ref) {
      const adapter = adapters[recipient.channel];
      if (!adapter) return { status: 'failed', reason: `no ${recipient.channel} sender in this instance` };
      if (!adapter.edit) return { status: 'failed', reason: `editing messages is not supported on ${recipient.channel}` };
      return adapter.edit(render(message, recipient, city), recipient, messageId, ref);
    },
  };
}
