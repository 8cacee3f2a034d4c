import { type DeadLetterInput, type InboxInput, storeInbound } from '../../models/inbox-repository.js';
import type { HandlerDeps } from '../deps.js';
import { clean } from './storable.js';

/** The outcome of checking one platform payload at the edge (see bots/*\/edge.ts). */
export type EdgeOutcome =
  | { ok: true; eventId: string; lane: string; payload: unknown }
  | { ok: false; reason: string; raw: unknown };

/** One checked payload and where it came from: the inbox channel and, for dead letters, the source. */
export interface Arrival {
  channel: string;
  source: string;
  outcome: EdgeOutcome;
}

/** A body that is not even JSON is kept as its text (NUL made storable). */
export const rawBody = (text: string): { rawBody: string } => ({ rawBody: clean(text) });

/**
 * Commits checked events to the inbox and refused ones to the dead letters, in one transaction:
 * the only work before the platform is acknowledged. Throws when nothing could be stored — the
 * caller then answers the platform with a retryable error (503, offset not advanced).
 */
export async function acceptEvents(
  deps: Pick<HandlerDeps, 'db'>,
  arrivals: readonly Arrival[],
): Promise<{ stored: number; repeated: number; parked: number }> {
  const events: InboxInput[] = [];
  const dead: DeadLetterInput[] = [];
  for (const { channel, source, outcome: o } of arrivals) {
    if (o.ok) events.push({ channel, eventId: o.eventId, lane: o.lane, payload: o.payload });
    else dead.push({ source, reason: o.reason.slice(0, 500), raw: o.raw });
  }
  const stored = await storeInbound(deps.db, events, dead);
  return { stored, repeated: events.length - stored, parked: dead.length };
}

/** The same for one batch from one source (a poll's updates, a wall's items). */
export function acceptFrom(
  deps: Pick<HandlerDeps, 'db'>,
  input: { channel: string; source: string; outcomes: readonly EdgeOutcome[] },
): Promise<{ stored: number; repeated: number; parked: number }> {
  return acceptEvents(
    deps,
    input.outcomes.map((outcome) => ({ channel: input.channel, source: input.source, outcome })),
  );
}
