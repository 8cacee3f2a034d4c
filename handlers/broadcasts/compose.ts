import { encodeActor } from '../../models/actor.js';
import { appendAudit } from '../../models/audit-repository.js';
import type { BroadcastChannel, Segment } from '../../models/broadcast.js';
import {
  type AudienceCount,
  countAudience,
  findBroadcast,
  insertBroadcast,
  listBroadcasts,
  problemExists,
  updateDraft,
} from '../../models/broadcast-repository.js';
import type { Executor } from '../../models/database.js';
import type { HandlerDeps } from '../deps.js';
import { actorOfCaller, type BroadcastCaller, mayAuthor, mayRead } from './caller.js';
import { type BroadcastPatch, broadcastInputSchema, checkAgainstDomain, type ParsedBroadcastInput } from './input.js';
import { type BroadcastOutcome, conflict, forbidden, invalid, notFound, ok, type Refusal } from './outcome.js';
import { broadcastSettings } from './settings.js';
import { type BroadcastPreview, type BroadcastView, viewOf } from './view.js';

export type ComposeDeps = Pick<HandlerDeps, 'db' | 'clock' | 'domain'>;

const mayNotAuthor = (): Refusal => forbidden('FORBIDDEN', 'your role may not prepare broadcasts');

/** Refuses a segment naming a problem that does not exist (400, the field named). */
export async function checkProblem(db: Executor, segment: Segment | undefined): Promise<Refusal | null> {
  if (segment?.kind !== 'problem') return null;
  return (await problemExists(db, segment.problemId))
    ? null
    : invalid('UNKNOWN_ID', `unknown problem ${segment.problemId}`, 'segment.problemId');
}

/** Creates a draft (nothing is sent until it is started). */
export async function createBroadcast(
  deps: ComposeDeps,
  caller: BroadcastCaller,
  input: ParsedBroadcastInput,
): Promise<BroadcastOutcome<BroadcastView>> {
  if (!mayAuthor(caller, broadcastSettings(deps.domain))) return mayNotAuthor();
  const now = deps.clock.now();
  const refusal = checkAgainstDomain(input, deps.domain, now) ?? (await checkProblem(deps.db, input.segment));
  if (refusal) return refusal;
  const row = await deps.db.transaction().execute(async (tx) => {
    const b = await insertBroadcast(
      tx,
      {
        title: input.title,
        text: input.text,
        photoUrl: input.photoUrl ?? null,
        allowSplit: input.allowSplit,
        segment: input.segment,
        priority: input.priority,
        authorId: caller.kind === 'person' ? caller.official.id : null,
        author: encodeActor(actorOfCaller(caller)),
        scheduledAt: input.scheduledAt ?? null,
      },
      now,
    );
    await appendAudit(tx, {
      actor: actorOfCaller(caller),
      action: 'broadcast.created',
      entity: 'broadcast',
      entityId: b.id,
      details: { segment: input.segment, priority: input.priority },
    });
    return b;
  });
  return ok(viewOf(row));
}

/** Changes a draft; a change withdraws an approval given before it. */
export async function updateBroadcast(
  deps: ComposeDeps,
  caller: BroadcastCaller,
  id: number,
  patch: BroadcastPatch,
): Promise<BroadcastOutcome<BroadcastView>> {
  if (!mayAuthor(caller, broadcastSettings(deps.domain))) return mayNotAuthor();
  const parsed = patch;
  const b = await findBroadcast(deps.db, id);
  if (!b) return notFound(id);
  if (b.status !== 'draft') return conflict('NOT_A_DRAFT', `broadcast ${id} is ${b.status}: only a draft can be changed`);
  const merged = {
    title: parsed.title ?? b.title,
    text: parsed.text ?? b.text,
    priority: parsed.priority ?? b.priority,
    allowSplit: parsed.allowSplit ?? b.allowSplit,
  };
  const refusal =
    checkAgainstDomain({ ...merged, segment: parsed.segment, scheduledAt: parsed.scheduledAt }, deps.domain, deps.clock.now()) ??
    (await checkProblem(deps.db, parsed.segment));
  if (refusal) return refusal;
  const changed = await updateDraft(deps.db, id, {
    ...(parsed.title !== undefined ? { title: parsed.title } : {}),
    ...(parsed.text !== undefined ? { text: parsed.text } : {}),
    ...(parsed.photoUrl !== undefined ? { photoUrl: parsed.photoUrl } : {}),
    ...(parsed.allowSplit !== undefined ? { allowSplit: parsed.allowSplit } : {}),
    ...(parsed.segment !== undefined ? { segment: parsed.segment } : {}),
    ...(parsed.priority !== undefined ? { priority: parsed.priority } : {}),
    ...(parsed.scheduledAt !== undefined ? { scheduledAt: parsed.scheduledAt } : {}),
  });
  if (!changed) return conflict('NOT_A_DRAFT', `broadcast ${id} is no longer a draft`);
  await appendAudit(deps.db, {
    actor: actorOfCaller(caller),
    action: 'broadcast.changed',
    entity: 'broadcast',
    entityId: id,
    details: { fields: Object.keys(parsed) },
  });
  const after = await findBroadcast(deps.db, id);
  return after ? ok(viewOf(after)) : notFound(id);
}

/** Why a segment reaches nobody, in words an operator can act on. */
export function emptyReason(segment: Segment, count: AudienceCount): string {
  const left =
    count.excluded.opted_out + count.excluded.no_private_chat > 0
      ? ` (${count.excluded.opted_out} unsubscribed from broadcasts, ${count.excluded.no_private_chat} never wrote to the bot in a private chat)`
      : '';
  switch (segment.kind) {
    case 'subscribers':
      return `no active subscriber matches these districts, topics and channels${left}`;
    case 'problem':
      return `no citizen of problem ${segment.problemId}'s cases can be written to${left}`;
    case 'cases':
      return `no citizen of the matching cases can be written to${left}`;
  }
}

/** Who a broadcast would reach now, per channel, and whether it needs a second person's approval. */
export async function previewBroadcast(
  deps: ComposeDeps & { senders?: readonly BroadcastChannel[] },
  caller: BroadcastCaller,
  id: number,
): Promise<BroadcastOutcome<BroadcastPreview>> {
  const settings = broadcastSettings(deps.domain);
  if (!mayRead(caller, settings)) return mayNotAuthor();
  const b = await findBroadcast(deps.db, id);
  if (!b) return notFound(id);
  const count = await countAudience(deps.db, b.segment, deps.clock.now());
  const recipients = Object.values(count.byChannel).reduce((a, n) => a + (n ?? 0), 0);
  const unsendable = deps.senders
    ? (Object.keys(count.byChannel) as BroadcastChannel[]).filter((c) => !deps.senders?.includes(c))
    : [];
  return ok({
    broadcastId: id,
    recipients,
    byChannel: count.byChannel,
    excluded: { optedOut: count.excluded.opted_out, noPrivateChat: count.excluded.no_private_chat },
    needsApproval: recipients > settings.approval.aboveRecipients,
    approvalThreshold: settings.approval.aboveRecipients,
    approved: b.approvedAt !== null,
    unsendable,
  });
}

export async function listAllBroadcasts(
  deps: ComposeDeps,
  caller: BroadcastCaller,
  limit = 50,
): Promise<BroadcastOutcome<BroadcastView[]>> {
  if (!mayRead(caller, broadcastSettings(deps.domain))) return mayNotAuthor();
  return ok((await listBroadcasts(deps.db, limit)).map(viewOf));
}

export { broadcastInputSchema };
