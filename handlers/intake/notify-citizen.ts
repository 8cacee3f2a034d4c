import type { Logger } from 'pino';
import { type CitizenNotification, type CitizenNotifier, DeliveryBlockedError } from '../../models/citizen-notification.js';
import type { ReplyTarget } from '../../models/intake.js';

/**
 * Delivers one notification. A transient failure throws (the queue retries with backoff); a chat
 * that blocked the bot is logged and not retried — retrying would never succeed.
 */
export async function notifyCitizen(
  deps: { notifiers: Partial<Record<ReplyTarget['channel'], CitizenNotifier>>; log: Logger },
  payload: { target: ReplyTarget; notification: CitizenNotification },
  ref?: string,
): Promise<'sent' | 'blocked'> {
  const notifier = deps.notifiers[payload.target.channel];
  if (!notifier) {
    // Another instance may have the token: fail so the queue retries (and, if none has it, the
    // job ends in the dead-letter queue where an operator sees it) instead of losing it.
    throw new Error(`no sender for channel ${payload.target.channel} in this instance`);
  }
  try {
    await notifier.notify(payload.target, payload.notification, ref);
    return 'sent';
  } catch (error) {
    if (error instanceof DeliveryBlockedError) {
      deps.log.info(
        { channel: payload.target.channel, kind: payload.notification.kind },
        'citizen unreachable (bot blocked); not retried',
      );
      return 'blocked';
    }
    throw error;
  }
}
