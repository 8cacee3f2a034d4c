import { type ChannelPort, DeliveryError, type OutboundMessage } from '../../models/outbound.js';
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
  for (const account of await deliveryAccounts(deps.db, officialId)) {
    const result = await deps.outbound.send({ channel: account.channel, chatId: account.chatId }, message, ref);
    if (result.status === 'sent') return 'sent';
    if (result.status !== 'blocked') throw new DeliveryError(result);
    await markAccountBlocked(deps.db, account, deps.clock.now());
  }
  return 'unreachable';
}
