import { parseActor } from '../../models/actor.js';
import type { Tx } from '../../models/database.js';
import type { ReplyTarget } from '../../models/intake.js';
import type { JobQueue } from '../../models/jobs.js';
import { privateOrigin } from '../../models/poll-repository.js';
import { encodeOfficialNotice, type OfficialNotice } from '../../models/reminder-kind.js';
import { recipientById } from '../../models/reminder-repository.js';
import { replyTargetFor } from '../../models/reply-target.js';

/** The citizen's private chat for a case (its first message's), or null when they wrote in public. */
export async function citizenChat(tx: Tx, caseId: number): Promise<ReplyTarget | null> {
  const origin = await privateOrigin(tx, caseId);
  return origin?.kind === 'private' ? replyTargetFor(origin.channel, origin.platform_ids) : null;
}

/**
 * Tells the official behind a stored actor (who asked for an extension, whose answer was returned)
 * on their messenger, with the case card under `notice`; nothing for other actors or someone no
 * longer active or reachable.
 */
export async function tellActingOfficial(
  tx: Tx,
  jobs: JobQueue<Tx>,
  storedActor: string,
  caseId: number,
  notice: OfficialNotice,
): Promise<void> {
  const actor = parseActor(storedActor);
  const officialId = actor?.type === 'official' ? await recipientById(tx, actor.officialId) : undefined;
  if (officialId !== undefined)
    await jobs.send('notify-official', { officialId, caseId, kind: encodeOfficialNotice(notice) }, { tx });
}
