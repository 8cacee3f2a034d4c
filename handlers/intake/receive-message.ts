import { inTransaction, type Tx } from '../../models/database.js';
import type { Channel, IncomingMessage, IntakeOutcome, SourceKind } from '../../models/intake.js';
import {
  activeSourceGeneration,
  cachedActiveSource,
  clearForceNewCase,
  rememberActiveSources,
  resolveIntake,
  type SourceRef,
  type StoreRow,
  storeIntake,
  upsertSources,
} from '../../models/intake-batch-repository.js';
import { applyEdit, markDeleted } from '../../models/intake-repository.js';
import type { IntakeDeps } from './deps.js';
import { sanitizeIncoming } from './sanitize.js';

/** Sources that need an operator's approval before their messages are captured. */
const NEEDS_APPROVAL: readonly SourceKind[] = ['discussion_group', 'city_chat', 'official_channel'];

const key = (...parts: (string | number)[]) => parts.join('\u0000');

type Outcomes = (IntakeOutcome | undefined)[];
type ActiveSource = { channel: Channel; externalId: string; id: number };

/**
 * Stores one incoming message exactly once, in one transaction. Its case is decided right after
 * by the same unit of work (see `bindIntake`), or by the sweep of unprocessed messages if that
 * unit of work died in between. If this throws, nothing was stored.
 *
 * Private chats need the citizen's consent first: without it nothing personal is stored.
 */
export async function receiveMessage(deps: IntakeDeps, input: IncomingMessage): Promise<IntakeOutcome> {
  const [outcome] = await receiveBatch(deps, [input]);
  if (!outcome) throw new Error('intake returned no outcome');
  return outcome;
}

/**
 * The same for a micro-batch: every message of the batch is stored by set-based statements in ONE
 * transaction (one commit, one WAL flush), and outcomes come back in input order. Duplicates inside
 * the batch are recognised like re-deliveries.
 *
 * A batch of new messages from sources known to be active, none in a private chat (the bulk of
 * traffic: city chats, comments), needs a single statement besides the job; anything else first
 * claims its events and reads sources and consent in one statement, then decides as below.
 */
export async function receiveBatch(deps: IntakeDeps, raw: readonly IncomingMessage[]): Promise<IntakeOutcome[]> {
  const inputs = raw.map(sanitizeIncoming);
  const now = deps.clock.now();
  const readAt = activeSourceGeneration();
  const learned: ActiveSource[] = [];
  // An edit or deletion of a message that arrives new in the same batch runs after it (its own step).
  const outcomes = await inTransaction(deps.db, async (tx) => {
    const all: IntakeOutcome[] = [];
    for (const chunk of inOrderChunks(inputs)) all.push(...(await intake(deps, tx, chunk, now, learned)));
    return all;
  });
  // Only after the commit: a source created by a rolled-back transaction does not exist.
  rememberActiveSources(deps.db, learned, readAt);
  return outcomes;
}

async function intake(
  deps: IntakeDeps,
  tx: Tx,
  inputs: IncomingMessage[],
  now: Date,
  learned: ActiveSource[],
): Promise<IntakeOutcome[]> {
  const outcomes: Outcomes = new Array(inputs.length);
  const finish = () => outcomes.map((o): IntakeOutcome => o ?? { status: 'ignored', reason: 'unknown_message' });

  // The same event twice in this batch: only its first occurrence goes on (to the ledger).
  const seenEvents = new Set<string>();
  inputs.forEach((input, index) => {
    if (input.eventId === null) return;
    const k = key(input.channel, input.eventId);
    if (seenEvents.has(k)) outcomes[index] = { status: 'duplicate' };
    seenEvents.add(k);
  });
  const live = () => inputs.map((input, index) => ({ input, index })).filter(({ index }) => outcomes[index] === undefined);
  const cached = inputs.map((input) => cachedActiveSource(deps.db, input.channel, input.source.externalId));

  // Fast path: nothing to decide before the ledger says whether the event is new.
  if (live().every(({ input, index }) => input.action === 'new' && input.kind !== 'private' && cached[index] !== undefined)) {
    const rows = live().map(({ input, index }) => ({
      index,
      input,
      claimEvent: true,
      sourceId: cached[index] as number,
      upsertCitizen: true,
      candidate: !isEmpty(input),
    }));
    const isLive = await store(tx, rows, now, outcomes);
    rows.forEach((row, n) => {
      if (!isLive[n]) outcomes[row.index] = { status: 'duplicate' };
      else if (!row.candidate) outcomes[row.index] = { status: 'ignored', reason: 'empty' };
    });
    return finish();
  }

  // 1. One statement: the event ledger, sources not known to be active, consent in private chats.
  const initialStatus = (input: IncomingMessage) =>
    NEEDS_APPROVAL.includes(input.source.kind) ? ('pending' as const) : ('active' as const);
  const resolved = await resolveIntake(tx, {
    events: live().flatMap(({ input }) => (input.eventId === null ? [] : [{ channel: input.channel, eventId: input.eventId }])),
    sources: live()
      .filter(({ index }) => cached[index] === undefined)
      .map(({ input }) => ({
        channel: input.channel,
        eventId: input.eventId,
        source: input.source,
        initialStatus: initialStatus(input),
      })),
    citizens: uniqueBy(
      live().flatMap(({ input }) =>
        input.kind === 'private' && input.author ? [{ channel: input.channel, externalId: input.author.externalId }] : [],
      ),
      (a) => key(a.channel, a.externalId),
    ),
  });
  // A re-delivered event stops here.
  for (const { input, index } of live()) {
    if (input.eventId !== null && !resolved.claimed.has(key(input.channel, input.eventId))) {
      outcomes[index] = { status: 'duplicate' };
    }
  }

  // 2. Sources: private chats and official pages are active at once; groups wait for an operator.
  const sources = new Map<string, SourceRef>(resolved.sources);
  live().forEach(({ input, index }) => {
    const id = cached[index];
    if (id !== undefined) sources.set(key(input.channel, input.source.externalId), { id, status: 'active' });
  });
  // Created by a concurrent transaction after this statement's snapshot: read again.
  const missing = live().filter(({ input }) => !sources.has(key(input.channel, input.source.externalId)));
  const found =
    missing.length === 0
      ? new Map<string, SourceRef>()
      : await upsertSources(
          tx,
          uniqueBy(
            missing.map(({ input }) => ({ channel: input.channel, source: input.source, initialStatus: initialStatus(input) })),
            (s) => key(s.channel, s.source.externalId),
          ),
        );
  for (const [k, s] of found) sources.set(k, s);
  // What the database said is active is remembered (after the commit); the cache is never extended.
  for (const [k, s] of [...resolved.sources, ...found]) {
    if (s.status !== 'active') continue;
    const [channel, externalId] = k.split('\u0000') as [Channel, string];
    learned.push({ channel, externalId, id: s.id });
  }
  const sourceOf = (input: IncomingMessage) => sources.get(key(input.channel, input.source.externalId));
  for (const { input, index } of live()) {
    const status = sourceOf(input)?.status;
    if (status === 'pending') outcomes[index] = { status: 'ignored', reason: 'source_pending' };
    else if (status === 'rejected') outcomes[index] = { status: 'ignored', reason: 'source_rejected' };
  }

  // 3. Citizens: in a private chat nothing personal is stored without consent.
  for (const { input, index } of live()) {
    if (input.kind !== 'private') continue;
    if (!input.author) {
      outcomes[index] = { status: 'ignored', reason: 'unknown_message' };
      continue;
    }
    const consent = resolved.citizens.get(key(input.channel, input.author.externalId))?.consent ?? 'unknown';
    if (consent === 'unknown') outcomes[index] = { status: 'consent_required' };
    else if (consent === 'declined') outcomes[index] = { status: 'declined' };
  }
  // Every author still live is upserted (with the messages, below), whatever happens to the message.
  const authorsOf = live();

  // 4. Edits and deletions (rare) one by one, in order; an edit of something never seen becomes new.
  for (const { input, index } of live()) {
    if (input.action === 'new') continue;
    const where = { channel: input.channel, sourceId: sourceOf(input)?.id ?? 0, externalId: input.externalId };
    if (input.action === 'delete') {
      const id = await markDeleted(tx, where, input.platformAt);
      outcomes[index] =
        id === undefined ? { status: 'ignored', reason: 'unknown_message' } : { status: 'updated', messageId: id };
    } else {
      const id = await applyEdit(tx, where, input.text, input.platformAt);
      if (id !== undefined) outcomes[index] = { status: 'updated', messageId: id };
    }
  }

  // 5. New messages: the first of each message key is a candidate; the unique key turns repeats into no-ops.
  const candidates = new Set<number>();
  const seenMessages = new Set<string>();
  for (const { input, index } of live()) {
    if (isEmpty(input)) {
      outcomes[index] = { status: 'ignored', reason: 'empty' };
      continue;
    }
    const messageKey = key(input.channel, sourceOf(input)?.id ?? 0, input.externalId);
    if (seenMessages.has(messageKey)) {
      outcomes[index] = { status: 'duplicate' };
      continue;
    }
    seenMessages.add(messageKey);
    candidates.add(index);
  }
  const rows = authorsOf
    .filter(({ input, index }) => input.author !== null || candidates.has(index))
    .map(({ input, index }) => ({
      index,
      input,
      claimEvent: false,
      sourceId: sourceOf(input)?.id ?? 0,
      upsertCitizen: true,
      candidate: candidates.has(index),
    }));
  await store(tx, rows, now, outcomes);
  return finish();
}

/**
 * Upserts citizens and inserts messages (one statement), sets each candidate's outcome and
 * consumes «Новое обращение» (it applies to the citizen's next message only). Returns, per row, whether its event was new (always, for rows without a claim).
 */
async function store(tx: Tx, rows: (StoreRow & { index: number })[], now: Date, outcomes: Outcomes): Promise<boolean[]> {
  const results = await storeIntake(tx, rows, now);
  const consumedNewCase = new Set<number>();
  results.forEach((result, n) => {
    const row = rows[n];
    if (!row || !result.live || !row.candidate) return;
    outcomes[row.index] =
      result.picked && result.messageId !== undefined
        ? { status: 'stored', messageId: result.messageId }
        : { status: 'duplicate' };
    if (result.newCase && result.citizenId !== null) consumedNewCase.add(result.citizenId);
  });
  await clearForceNewCase(tx, [...consumedNewCase]);
  return results.map((r) => r.live);
}

function isEmpty(input: IncomingMessage): boolean {
  return !input.text.trim() && input.attachments.length === 0 && !input.geo;
}

function uniqueBy<T>(items: T[], keyOf: (item: T) => string): T[] {
  return [...new Map(items.map((item) => [keyOf(item), item])).values()];
}

/**
 * Splits a batch where an edit or deletion follows the new message it refers to: the steps of one
 * chunk (edits before inserts) would otherwise apply the edit before the message exists.
 */
export function inOrderChunks(inputs: IncomingMessage[]): IncomingMessage[][] {
  const chunks: IncomingMessage[][] = [];
  let current: IncomingMessage[] = [];
  let fresh = new Set<string>();
  for (const input of inputs) {
    const k = key(input.channel, input.source.externalId, input.externalId);
    if (input.action !== 'new' && fresh.has(k)) {
      chunks.push(current);
      current = [];
      fresh = new Set();
    }
    current.push(input);
    if (input.action === 'new') fresh.add(k);
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
