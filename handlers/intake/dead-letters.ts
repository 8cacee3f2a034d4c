import { resetDecideFailures } from '../../models/case-repository.js';
import {
  type DeadLetterRow,
  deadLetterById,
  listDeadLetters,
  markReplayed,
  requeueParkedEvent,
  storeInbound,
} from '../../models/inbox-repository.js';
import type { HandlerDeps } from '../deps.js';
import type { EdgeOutcome } from '../inbox/accept.js';
import { parseStorable } from '../inbox/storable.js';
import { DECISION_SOURCE } from './process-unprocessed.js';

/** How a dead letter's source is checked again on replay: the inbox channel and the edge check. */
export interface ReplaySource {
  channel: string;
  check: (value: unknown) => EdgeOutcome;
}

export type DeadLetterDeps = Pick<HandlerDeps, 'db' | 'clock'> & {
  /** By dead-letter source (`telegram-webhook`, `vk-callback`, …); set by the composition root. */
  sources: Readonly<Record<string, ReplaySource>>;
  /** Wakes the local inbox worker after a replay. */
  wake?: () => void;
};

export type ReplayOutcome =
  | { status: 'requeued'; inboxId: number }
  /** A stored message whose case could not be decided: the next sweep (within a minute) tries again. */
  | { status: 'decision_retried'; messageId: number }
  | { status: 'stored'; eventId: string; repeated: boolean }
  | { status: 'not_found' }
  | { status: 'already_replayed'; at: Date }
  | { status: 'still_malformed'; reason: string }
  | { status: 'not_replayable'; reason: string };

export function deadLetters(
  deps: Pick<DeadLetterDeps, 'db'>,
  query: { limit: number; beforeId?: number; source?: string; replayed?: boolean },
): Promise<DeadLetterRow[]> {
  return listDeadLetters(deps.db, query);
}

/**
 * Gives a dead letter another chance. A parked inbox event goes back to the inbox with fresh
 * attempts (after a fix, or once what it needed exists). A body refused at the edge is checked
 * again by today's rules; if it passes now it enters the inbox like a new delivery.
 */
export async function replayDeadLetter(deps: DeadLetterDeps, id: number): Promise<ReplayOutcome> {
  const letter = await deadLetterById(deps.db, id);
  if (!letter) return { status: 'not_found' };
  if (letter.replayedAt) return { status: 'already_replayed', at: letter.replayedAt };
  if (letter.inboxId !== null) {
    if (!(await requeueParkedEvent(deps.db, letter.inboxId))) return { status: 'not_replayable', reason: 'event_not_parked' };
    await markReplayed(deps.db, id, deps.clock.now());
    deps.wake?.();
    return { status: 'requeued', inboxId: letter.inboxId };
  }
  if (letter.source === DECISION_SOURCE) {
    const messageId = Number((letter.raw as { messageId?: unknown }).messageId);
    if (!(await resetDecideFailures(deps.db, messageId))) return { status: 'not_replayable', reason: 'message_already_decided' };
    await markReplayed(deps.db, id, deps.clock.now());
    return { status: 'decision_retried', messageId };
  }
  const source = deps.sources[letter.source];
  if (!source) return { status: 'not_replayable', reason: `no_edge_for_source:${letter.source}` };
  const text = textOf(letter.raw);
  let value: unknown = letter.raw;
  if (text !== null) {
    const parsed = parseStorable(text);
    if (!parsed.ok) return { status: 'still_malformed', reason: parsed.reason };
    value = parsed.value;
  }
  const outcome = source.check(value);
  if (!outcome.ok) return { status: 'still_malformed', reason: outcome.reason };
  const stored = await storeInbound(deps.db, [
    { channel: source.channel, eventId: outcome.eventId, lane: outcome.lane, payload: outcome.payload },
  ]);
  await markReplayed(deps.db, id, deps.clock.now());
  deps.wake?.();
  return { status: 'stored', eventId: outcome.eventId, repeated: stored === 0 };
}

/** The body text of a letter kept as text (`{ rawBody }`, or `{ body }` from before the inbox). */
function textOf(raw: unknown): string | null {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return null;
  const keys = Object.keys(raw);
  const r = raw as Record<string, unknown>;
  if (keys.length === 1 && typeof r.rawBody === 'string') return r.rawBody;
  if (keys.length === 1 && typeof r.body === 'string') return r.body;
  return null;
}
