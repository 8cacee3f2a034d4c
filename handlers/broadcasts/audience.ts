import type { Segment } from '../../models/broadcast.js';
import { countAudience } from '../../models/broadcast-repository.js';
import type { BroadcastCaller } from './caller.js';
import { mayAuthor } from './caller.js';
import { type ComposeDeps, checkProblem } from './compose.js';
import { checkAgainstDomain } from './input.js';
import { type BroadcastOutcome, forbidden, ok } from './outcome.js';
import { broadcastSettings } from './settings.js';
import type { BroadcastPreview } from './view.js';

/** Who a segment would reach now — the preview's numbers for a segment not saved yet. */
export type SegmentAudience = Omit<BroadcastPreview, 'broadcastId' | 'approved' | 'unsendable'>;

/**
 * Counts a segment being composed, before anything is saved (the console's live count): the same
 * count and the same checks of the domain's ids as the preview and the create, nothing written.
 */
export async function segmentAudience(
  deps: ComposeDeps,
  caller: BroadcastCaller,
  segment: Segment,
): Promise<BroadcastOutcome<SegmentAudience>> {
  const settings = broadcastSettings(deps.domain);
  if (!mayAuthor(caller, settings)) return forbidden('FORBIDDEN', 'your role may not prepare broadcasts');
  const now = deps.clock.now();
  const refusal = checkAgainstDomain({ segment }, deps.domain, now) ?? (await checkProblem(deps.db, segment));
  if (refusal) return refusal;
  const count = await countAudience(deps.db, segment, now);
  const recipients = Object.values(count.byChannel).reduce((a, n) => a + (n ?? 0), 0);
  return ok({
    recipients,
    byChannel: count.byChannel,
    excluded: { optedOut: count.excluded.opted_out, noPrivateChat: count.excluded.no_private_chat },
    needsApproval: recipients > settings.approval.aboveRecipients,
    approvalThreshold: settings.approval.aboveRecipients,
  });
}
