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
 * reaches nobody. A scheduled one is checked again when the sweep freezes its audience (./sweep.ts).
 */
export async function startBroadcast(
  deps: LifecycleDeps,
  caller: BroadcastCaller,
  id: number,
): Promise<BroadcastOutcome<BroadcastView>> {
  const refusal = await deps.db
    .transaction()
    .execute(async (tx): Promise<Refusal | null> => {
      const b = await locked(deps, tx, caller, id);
      if (isRefusal(b)) return b;
      if (b.status !== 'draft') return conflict('ALREADY_STARTED', `broadcast ${id} is already ${b.status}`);
      const now = deps.clock.now();
      const audience = await checkAudience(deps, tx, b, now);
      if (audience.refusal) return audience.refusal;
      const { recipients } = audience;
      const actor = actorOfCaller(caller);
      if (b.scheduledAt && b.scheduledAt.getTime() > now.getTime()) {
        await transition(tx, id, ['draft'], 'scheduled', now);
        await appendAudit(tx, {
          actor,
          action: 'broadcast.scheduled',
          entity: 'broadcast',
          entityId: id,
          details: { recipients },
        });
        return null;
      }
      const frozen = await begin(deps, tx, b, now);
      await appendAudit(tx, {
        actor,
        action: 'broadcast.started',
        entity: 'broadcast',
        entityId: id,
        details: { recipients: frozen },
      });
      return null;
    })
    .catch(notStartedRefusal);
  return finish(deps, id, refusal);
}

/** Who the audience is now, and why it may not start: nobody (422), or above the threshold unapproved (409). */
export type AudienceCheck = { recipients: number; refusal: Refusal | null };

/** Counts the audience now and checks it against the approval rule (before anything is frozen). */
export async function checkAudience(
  deps: Pick<LifecycleDeps, 'domain'>,
  tx: Tx,
  b: BroadcastRow,
  now: Date,
): Promise<AudienceCheck> {
  const count = await countAudience(tx, b.segment, now);
  const recipients = Object.values(count.byChannel).reduce((a, n) => a + (n ?? 0), 0);
  return { recipients, refusal: audienceRefusal(deps, b, recipients, () => emptyReason(b.segment, count)) };
}

function audienceRefusal(
  deps: Pick<LifecycleDeps, 'domain'>,
  b: Pick<BroadcastRow, 'approvedAt'>,
  recipients: number,
  why: () => string,
): Refusal | null {
  const { approval } = broadcastSettings(deps.domain);
  if (recipients === 0) return { status: 'empty', code: 'EMPTY_SEGMENT', message: why() };
  if (recipients > approval.aboveRecipients && b.approvedAt === null) {
    return conflict(
      'APPROVAL_REQUIRED',
      `${recipients} recipients is above ${approval.aboveRecipients}: a second person (${approval.roles.join(', ')}) must approve it first`,
    );
  }
  return null;
}

/**
 * Thrown inside a start's transaction when the audience as frozen may not start (it grew above the
 * approval threshold, or emptied, since it was counted): the freeze is rolled back with it.
 */
export class NotStarted extends Error {
  override name = 'NotStarted';
  constructor(
    readonly refusal: Refusal,
    readonly recipients: number,
  ) {
    super(refusal.message);
  }
}

const notStartedRefusal = (error: unknown): Refusal => {
  if (error instanceof NotStarted) return error.refusal;
  throw error;
};

/**
 * Running now: the audience frozen, the sender queued (in the caller's transaction). Returns the
 * recipients. Whatever path starts it (the API, the staff bot, the scheduled sweep), the frozen audience
 * is checked once more — nobody, or above the approval threshold without an approval — and then
 * NotStarted is thrown, so the caller's transaction rolls the freeze back.
 */
export async function begin(deps: Pick<LifecycleDeps, 'jobs' | 'domain'>, tx: Tx, b: BroadcastRow, now: Date): Promise<number> {
  await transition(tx, b.id, ['draft', 'scheduled'], 'running', now);
  const n = await freezeAudience(tx, b.id, b.segment, now);
  const refusal = audienceRefusal(deps, b, n, () =>
    emptyReason(b.segment, { byChannel: {}, excluded: { opted_out: 0, no_private_chat: 0 } }),
  );
  if (refusal) throw new NotStarted(refusal, n);
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
