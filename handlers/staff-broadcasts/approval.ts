import type { Segment } from '../../models/broadcast.js';
import { countAudience, findBroadcast } from '../../models/broadcast-repository.js';
import type { JobPayload } from '../../models/jobs.js';
import type { BroadcastApproval, ChannelPort } from '../../models/outbound.js';
import { activeOfficialsWithRoles, findOfficial } from '../../models/people-repository.js';
import { deliveryAccounts } from '../../models/staff-account-repository.js';
import { broadcastSettings } from '../broadcasts/index.js';
import type { HandlerDeps } from '../deps.js';
import { deliverToPersonAt } from '../reminders/index.js';

export type ApprovalNoticeDeps = Pick<HandlerDeps, 'db' | 'clock' | 'domain' | 'log'> & { outbound: ChannelPort };

/** How many the segment reaches now (what the approver decides on). */
async function audienceSize(deps: Pick<HandlerDeps, 'db' | 'clock'>, segment: Segment): Promise<number> {
  const count = await countAudience(deps.db, segment, deps.clock.now());
  return Object.values(count.byChannel).reduce((a, n) => a + (n ?? 0), 0);
}

export type ApprovalNoticeOutcome = { status: 'sent'; people: number } | { status: 'stale' | 'nobody' };

/** The people who may approve a broadcast of `authorId` and can be written to: its author never approves it. */
export async function reachableApprovers(deps: Pick<HandlerDeps, 'db' | 'domain'>, authorId: number | null): Promise<number[]> {
  const people = await activeOfficialsWithRoles(deps.db, broadcastSettings(deps.domain).approval.roles);
  const ids: number[] = [];
  for (const p of people) if (p.id !== authorId && (await deliveryAccounts(deps.db, p.id)).length > 0) ids.push(p.id);
  return ids;
}

/**
 * The `broadcast-approval` job. `requested`: every person who may approve (the author aside) gets the
 * broadcast with «Одобрить», on their preferred messenger; `approved`: the author gets «Запустить». A
 * broadcast no longer a draft (or already approved, for a request) is stale: nothing is sent. One
 * approver's failure does not stop the others; the job is retried only when nobody got it.
 */
export async function notifyBroadcastApproval(
  deps: ApprovalNoticeDeps,
  payload: JobPayload<'broadcast-approval'>,
): Promise<ApprovalNoticeOutcome> {
  const b = await findBroadcast(deps.db, payload.broadcastId);
  if (b?.status !== 'draft') return { status: 'stale' };
  if (payload.step === 'requested' && b.approvedAt !== null) return { status: 'stale' };
  const settings = broadcastSettings(deps.domain);
  const nameOf = async (id: number | null, fallback: string) =>
    (id !== null ? (await findOfficial(deps.db, id))?.name : null) ?? fallback;
  const approval: BroadcastApproval = {
    step: payload.step,
    broadcastId: b.id,
    title: b.title,
    text: b.text,
    recipients: await audienceSize(deps, b.segment),
    threshold: settings.approval.aboveRecipients,
    by: payload.step === 'requested' ? await nameOf(b.authorId, b.author) : await nameOf(b.approvedById, b.approvedBy ?? '—'),
  };
  const message = { kind: 'broadcast_approval', approval } as const;
  if (payload.step === 'approved') {
    if (b.authorId === null) return { status: 'nobody' };
    const where = await deliverToPersonAt(deps, b.authorId, message, `broadcast-approved:${b.id}`);
    return where ? { status: 'sent', people: 1 } : { status: 'nobody' };
  }
  const approvers = await reachableApprovers(deps, b.authorId);
  let sent = 0;
  let firstError: unknown = null;
  for (const id of approvers) {
    try {
      if (await deliverToPersonAt(deps, id, message, `broadcast-approval:${b.id}:${id}`)) sent += 1;
    } catch (error) {
      firstError ??= error;
      deps.log.warn({ err: error, broadcastId: b.id, officialId: id }, 'approval request not delivered to one approver');
    }
  }
  // Retrying would ask again those who got it (Telegram has no idempotency key): only when nobody did.
  if (sent === 0 && firstError) throw firstError;
  return sent > 0 ? { status: 'sent', people: sent } : { status: 'nobody' };
}
