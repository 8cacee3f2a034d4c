import type { CitizenNotification } from '../../models/citizen-notification.js';
import type { ReplyTarget } from '../../models/intake.js';
import { type ChannelPort, sentOrBlocked } from '../../models/outbound.js';
import type { HandlerDeps } from '../deps.js';

/**
 * Delivers one notification. A transient failure throws (the queue retries with backoff); a chat
 * that blocked the bot is logged and not retried — retrying would never succeed. A channel with no
 * sender in this instance fails too: another instance may have the token, and if none has it the
 * job ends in the dead-letter queue where an operator sees it, instead of being lost.
 */
export async function notifyCitizen(
  deps: Pick<HandlerDeps, 'log'> & { outbound: ChannelPort },
  payload: { target: ReplyTarget; notification: CitizenNotification },
  ref: string,
): Promise<'sent' | 'blocked'> {
  const result = sentOrBlocked(
    await deps.outbound.send(payload.target, { kind: 'citizen_notification', notification: payload.notification }, ref),
  );
  if (result.status === 'blocked') {
    deps.log.info(
      { channel: payload.target.channel, kind: payload.notification.kind },
      'citizen unreachable (bot blocked); not retried',
    );
  }
  return result.status;
}
