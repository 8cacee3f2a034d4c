import { parseActor } from '../../models/actor.js';
import type { Tx } from '../../models/database.js';
import type { ReplyTarget } from '../../models/intake.js';
import type { JobQueue } from '../../models/jobs.js';
import { findOfficial } from '../../models/people-repository.js';
import { privateOrigin } from '../../models/poll-repository.js';
import { encodeOfficialNotice, type OfficialNotice } from '../../models/reminder-kind.js';
import { replyTargetFor } from '../../models/reply-target.js';

/** The citizen's private chat for a case (its first message's), or null when they wrote in public. */
export async function citizenChat(tx: Tx, caseId: number): Promise<ReplyTarget | null> {
  const origin = await privateOrigin(tx, caseId);
  return origin?.kind === 'private' ? replyTargetFor(origin.channel, origin.platform_ids) : null;
}

/**
 * Tells the official behind a stored actor (who asked for an extension, whose answer was returned)
 * in Telegram, with the case card under `notice`; nothing for other actors or someone no longer
 * active or bound.
 */
export async function tellActingOfficial(
  tx: Tx,
  jobs: JobQueue<Tx>,
  storedActor: string,
  caseId: number,
  notice: OfficialNotice,
): Promise<void> {
  const actor = parseActor(storedActor);
  const official = actor?.type === 'official' ? await findOfficial(tx, actor.officialId) : undefined;
  if (official?.active && official.telegramUserId)
    await jobs.send(
      'notify-official',
      { telegramUserId: official.telegramUserId, caseId, kind: encodeOfficialNotice(notice) },
      { tx },
    );
}
