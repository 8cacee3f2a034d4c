import { encodeActor } from '../../models/actor.js';
import { appendAudit } from '../../models/audit-repository.js';
import {
  type BroadcastRow,
  countAudience,
  findBroadcast,
  freezeAudience,
  setApproval,
  skipRemaining,
  transition,
} from '../../models/broadcast-repository.js';
import type { Tx } from '../../models/database.js';
import type { BroadcastStatus } from '../../models/schema.js';
import type { HandlerDeps } from '../deps.js';
import { actorOfCaller, type BroadcastCaller, mayApprove, mayAuthor } from './caller.js';
import { emptyReason } from './compose.js';
import { queueRun } from './jobs.js';
import { type BroadcastOutcome, conflict, forbidden, notFound, ok, type Refusal } from './outcome.js';
import { broadcastSettings } from './settings.js';
import { type BroadcastView, viewOf } from './view.js';

export type LifecycleDeps = Pick<HandlerDeps, 'db' | 'jobs' | 'clock' | 'domain'>;

/** Loads the broadcast under a row lock and checks the caller may act on it; the use case decides in the same transaction. */
async function locked(deps: LifecycleDeps, tx: Tx, caller: BroadcastCaller, id: number): Promise<BroadcastRow | Refusal> {
  if (!mayAuthor(caller, broadcastSettings(deps.domain))) return forbidden('FORBIDDEN', 'your role may not run broadcasts');
  return (await findBroadcast(tx, id, { forUpdate: true })) ?? notFound(id);
}

const isRefusal = (v: BroadcastRow | Refusal): v is Refusal => 'code' in v;

async function finish(deps: LifecycleDeps, id: number, outcome: Refusal | null): Promise<BroadcastOutcome<BroadcastView>> {
  if (outcome) return outcome;
  const b = await findBroadcast(deps.db, id);
  return b ? ok(viewOf(b)) : notFound(id);
}

/** Records a second person's approval (403 for one's own broadcast, or a role that may not approve). */
export async function approveBroadcast(
  deps: LifecycleDeps,
  caller: BroadcastCaller,
  id: number,
): Promise<BroadcastOutcome<BroadcastView>> {
  const settings = broadcastSettings(deps.domain);
  if (!mayApprove(caller, settings)) {
    return forbidden(
      'APPROVER_ROLE',
      `approval needs a person with one of the roles ${settings.approval.roles.join(', ')} (the service token cannot approve)`,
    );
  }
  const refusal = await deps.db.transaction().execute(async (tx): Promise<Refusal | null> => {
    const b = await findBroadcast(tx, id, { forUpdate: true });
    if (!b) return notFound(id);
    if (b.authorId === caller.official.id)
      return forbidden('SELF_APPROVAL', 'a broadcast is approved by a second person, not its author');
    if (b.status !== 'draft') return conflict('NOT_A_DRAFT', `broadcast ${id} is ${b.status}: approve it before it starts`);
    const actor = actorOfCaller(caller);
    await setApproval(tx, id, { id: caller.official.id, actor: encodeActor(actor) }, deps.clock.now());
    await appendAudit(tx, { actor, action: 'broadcast.approved', entity: 'broadcast', entityId: id });
    return null;
  });
  return finish(deps, id, refusal);
}

/**
 * Starts a draft: now (its audience frozen and its sender queued, in one transaction), or at its
 * `scheduledAt`. 409 when it is not a draft or needs an approval it does not have; 422 when the segment
 * reaches nobody.
 */
export async function startBroadcast(
  deps: LifecycleDeps,
  caller: BroadcastCaller,
  id: number,
): Promise<BroadcastOutcome<BroadcastView>> {
  const settings = broadcastSettings(deps.domain);
  const refusal = await deps.db.transaction().execute(async (tx): Promise<Refusal | null> => {
    const b = await locked(deps, tx, caller, id);
    if (isRefusal(b)) return b;
    if (b.status !== 'draft') return conflict('ALREADY_STARTED', `broadcast ${id} is already ${b.status}`);
    const now = deps.clock.now();
    const count = await countAudience(tx, b.segment, now);
    const recipients = Object.values(count.byChannel).reduce((a, n) => a + (n ?? 0), 0);
    if (recipients === 0) return { status: 'empty', code: 'EMPTY_SEGMENT', message: emptyReason(b.segment, count) };
    if (recipients > settings.approval.aboveRecipients && b.approvedAt === null) {
      return conflict(
        'APPROVAL_REQUIRED',
        `${recipients} recipients is above ${settings.approval.aboveRecipients}: a second person (${settings.approval.roles.join(', ')}) must approve it first`,
      );
    }
    const actor = actorOfCaller(caller);
    if (b.scheduledAt && b.scheduledAt.getTime() > now.getTime()) {
      await transition(tx, id, ['draft'], 'scheduled', now);
      await appendAudit(tx, { actor, action: 'broadcast.scheduled', entity: 'broadcast', entityId: id, details: { recipients } });
      return null;
    }
    await begin(deps, tx, b, now);
    await appendAudit(tx, { actor, action: 'broadcast.started', entity: 'broadcast', entityId: id, details: { recipients } });
    return null;
  });
  return finish(deps, id, refusal);
}

/** Running now: the audience frozen, the sender queued (in the caller's transaction). Returns the recipients. */
export async function begin(deps: Pick<LifecycleDeps, 'jobs'>, tx: Tx, b: BroadcastRow, now: Date): Promise<number> {
  await transition(tx, b.id, ['draft', 'scheduled'], 'running', now);
  const n = await freezeAudience(tx, b.id, b.segment, now);
  await queueRun(deps.jobs, b, { tx });
  return n;
}

const PAST = { pause: 'broadcast.paused', resume: 'broadcast.resumed', cancel: 'broadcast.cancelled' } as const;

async function move(
  deps: LifecycleDeps,
  caller: BroadcastCaller,
  id: number,
  from: readonly BroadcastStatus[],
  to: BroadcastStatus,
  action: 'pause' | 'resume' | 'cancel',
  after?: (tx: Tx, b: BroadcastRow) => Promise<void>,
): Promise<BroadcastOutcome<BroadcastView>> {
  const refusal = await deps.db.transaction().execute(async (tx): Promise<Refusal | null> => {
    const b = await locked(deps, tx, caller, id);
    if (isRefusal(b)) return b;
    if (!from.includes(b.status)) return conflict('WRONG_STATE', `broadcast ${id} is ${b.status}: cannot ${action} it`);
    await transition(tx, id, from, to, deps.clock.now());
    await after?.(tx, b);
    await appendAudit(tx, { actor: actorOfCaller(caller), action: PAST[action], entity: 'broadcast', entityId: id });
    return null;
  });
  return finish(deps, id, refusal);
}

/** Stops sending after the batch in flight; the rest waits. */
export const pauseBroadcast = (deps: LifecycleDeps, caller: BroadcastCaller, id: number) =>
  move(deps, caller, id, ['running'], 'paused', 'pause');

/** Continues a paused broadcast where it stopped. */
export const resumeBroadcast = (deps: LifecycleDeps, caller: BroadcastCaller, id: number) =>
  move(deps, caller, id, ['paused'], 'running', 'resume', async (tx, b) => {
    await queueRun(deps.jobs, b, { tx });
  });

/** Cancels: what was not sent is skipped («cancelled»); the sender ends and the author gets the summary. */
export const cancelBroadcast = (deps: LifecycleDeps, caller: BroadcastCaller, id: number) =>
  move(deps, caller, id, ['draft', 'scheduled', 'running', 'paused'], 'cancelled', 'cancel', async (tx, b) => {
    await skipRemaining(tx, id, 'cancelled');
    if (b.status !== 'draft') await queueRun(deps.jobs, b, { tx });
  });
