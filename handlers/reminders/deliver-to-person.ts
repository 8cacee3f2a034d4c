import { type ChannelPort, DeliveryError, type OutboundMessage, type Recipient } from '../../models/outbound.js';
import { deliveryAccounts, markAccountBlocked } from '../../models/staff-account-repository.js';
import type { HandlerDeps } from '../deps.js';

export type PersonDeliveryDeps = Pick<HandlerDeps, 'db' | 'clock'> & { outbound: ChannelPort };

/**
 * Sends one message to a member of staff on their preferred messenger, falling back to the others
 * they bound. A messenger that answers `blocked` (the person blocked the bot) marks that account
 * blocked, so it is never tried again until bound anew, and the next account is tried. `retry` and
 * `failed` throw a DeliveryError so the queue retries the whole send (an account already marked
 * blocked is skipped then). `unreachable`: no account was left to try.
 *
 * `ref` names the send per person, not per messenger: whichever account gets it, a retried job is
 * the same send.
 */
export async function deliverToPerson(
  deps: PersonDeliveryDeps,
  officialId: number,
  message: OutboundMessage,
  ref: string,
): Promise<'sent' | 'unreachable'> {
  return (await deliverToPersonAt(deps, officialId, message, ref)) ? 'sent' : 'unreachable';
}

/** Where a message to a person went: the chat and the message, to edit it later (a broadcast's progress). */
export interface PersonDelivery {
  recipient: Recipient;
  messageId: string | null;
}

/** `deliverToPerson`, telling where the message went (null: unreachable). */
export async function deliverToPersonAt(
  deps: PersonDeliveryDeps,
  officialId: number,
  message: OutboundMessage,
  ref: string,
): Promise<PersonDelivery | null> {
  for (const account of await deliveryAccounts(deps.db, officialId)) {
    const recipient: Recipient = { channel: account.channel, chatId: account.chatId };
    const result = await deps.outbound.send(recipient, message, ref);
    if (result.status === 'sent') return { recipient, messageId: result.messageId ?? null };
    if (result.status !== 'blocked') throw new DeliveryError(result);
    await markAccountBlocked(deps.db, account, deps.clock.now());
  }
  return null;
}
