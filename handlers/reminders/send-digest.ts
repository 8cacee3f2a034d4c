import { findDigest, markDigest } from '../../models/digest-repository.js';
import type { ChannelPort } from '../../models/outbound.js';
import { findOfficial } from '../../models/people-repository.js';
import { deliveryAccounts } from '../../models/staff-account-repository.js';
import type { HandlerDeps } from '../deps.js';
import { deliverToPerson } from './deliver-to-person.js';
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
 * a person whose every messenger blocked the bot (or who has none bound) is recorded as `blocked` and
 * not retried. Other failures throw so the queue retries.
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
  if (!person?.active) return skip('inactive');
  // Unbound or blocked everywhere since the digest was planned: nothing to build it for.
  if ((await deliveryAccounts(deps.db, officialId)).length === 0) return skip('unreachable');
  const at = digestMoments(deps.calendar, now);
  if (at.date !== localDate || quietHoursEnd(now, deps.domain)) return skip('late');
  const digest = await buildDigest(deps, person, at);
  if (!hasContent(digest)) return skip('empty');

  // The person's preferred messenger, else another they bound; one blocked there is not tried again.
  const result = await deliverToPerson(deps, officialId, { kind: 'digest', digest }, `digest:${officialId}:${localDate}`);
  if (result === 'unreachable') {
    await markDigest(deps.db, officialId, localDate, 'blocked', now);
    deps.log.info('digest not delivered: no messenger the person bound reaches them (blocked or unbound); not retried');
    return 'blocked';
  }
  await markDigest(deps.db, officialId, localDate, 'sent', now);
  return 'sent';
}
