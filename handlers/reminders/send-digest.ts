import { findDigest, markDigest } from '../../models/digest-repository.js';
import { type ChannelPort, sentOrBlocked } from '../../models/outbound.js';
import { findOfficial } from '../../models/people-repository.js';
import type { HandlerDeps } from '../deps.js';
import { buildDigest, digestMoments, hasContent } from './digest-content.js';

export type { Digest } from './digest-content.js';

import { quietHoursEnd } from './reminders.js';

/** The digest is sent through the channel port, its own dependency. */
export type SendDigestDeps = Pick<HandlerDeps, 'db' | 'clock' | 'calendar' | 'domain' | 'log'> & { outbound: ChannelPort };

export type SendDigestOutcome = 'sent' | 'already' | 'blocked' | 'skipped';

/**
 * One person's digest, built from the cases as they are now. The claimed row is stamped after the
 * send: a duplicate job finds it stamped. A person deactivated since, a digest that would arrive
 * on another day or in the quiet hours, and one with nothing left in it are recorded and not sent;
 * a chat that blocked the bot is recorded and not retried. Other failures throw so the queue retries.
 */
export async function sendDigest(
  deps: SendDigestDeps,
  payload: { officialId: number; localDate: string },
): Promise<SendDigestOutcome> {
  const { officialId, localDate } = payload;
  const row = await findDigest(deps.db, officialId, localDate);
  if (!row) return 'skipped';
  if (row.sentAt) return 'already';
  const now = deps.clock.now();
  const skip = async (why: string): Promise<'skipped'> => {
    await markDigest(deps.db, officialId, localDate, `skipped:${why}`, now);
    return 'skipped';
  };

  const person = await findOfficial(deps.db, officialId);
  if (!person?.active || !person.telegramUserId) return skip('inactive');
  const at = digestMoments(deps.calendar, now);
  if (at.date !== localDate || quietHoursEnd(now, deps.domain)) return skip('late');
  const digest = await buildDigest(deps, person, at);
  if (!hasContent(digest)) return skip('empty');

  // Officials and staff work in Telegram: their bound account is where the digest goes.
  const result = sentOrBlocked(
    await deps.outbound.send(
      { channel: 'telegram', chatId: person.telegramUserId },
      { kind: 'digest', digest },
      `digest:${officialId}:${localDate}`,
    ),
  );
  if (result.status === 'blocked') {
    await markDigest(deps.db, officialId, localDate, 'blocked', now);
    deps.log.info({ officialId }, 'digest not delivered: the official blocked the bot; not retried');
    return 'blocked';
  }
  await markDigest(deps.db, officialId, localDate, 'sent', now);
  return 'sent';
}
