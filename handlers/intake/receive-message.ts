import { inTransaction } from '../../models/database.js';
import type { IncomingMessage, IntakeOutcome, SourceKind } from '../../models/intake.js';
import {
  claimInboundEvents,
  clearForceNewCase,
  findCitizens,
  insertMessages,
  type MessageInsert,
  upsertCitizens,
  upsertSources,
} from '../../models/intake-batch-repository.js';
import { applyEdit, markDeleted } from '../../models/intake-repository.js';
import type { IntakeDeps } from './deps.js';
import { sanitizeIncoming } from './sanitize.js';

/** Sources that need an operator's approval before their messages are captured. */
const NEEDS_APPROVAL: readonly SourceKind[] = ['discussion_group', 'city_chat', 'official_channel'];

const key = (...parts: (string | number)[]) => parts.join('\u0000');

/**
 * Stores one incoming platform event exactly once, with its `process-message` job, in one
 * transaction. The adapter acknowledges the platform only after this resolves; if it throws,
 * nothing was stored and the platform must deliver the event again.
 *
 * Private chats need the citizen's consent first: without it nothing personal is stored.
 */
export async function receiveMessage(deps: IntakeDeps, input: IncomingMessage): Promise<IntakeOutcome> {
  const [outcome] = await receiveBatch(deps, [input]);
  if (!outcome) throw new Error('intake returned no outcome');
  return outcome;
}

/**
 * The same for a micro-batch: every message of the batch is stored by one set-based statement per
 * table in ONE transaction (one commit, one WAL flush), and outcomes come back in input order.
 * Duplicates inside the batch are recognised like re-deliveries.
 */
export async function receiveBatch(deps: IntakeDeps, raw: readonly IncomingMessage[]): Promise<IntakeOutcome[]> {
  const inputs = raw.map(sanitizeIncoming);
  const now = deps.clock.now();
  return inTransaction(deps.db, async (tx) => {
    const outcomes: (IntakeOutcome | undefined)[] = new Array(inputs.length);

    // 1. The event ledger: a re-delivered event (or the same event twice in this batch) stops here.
    const claimed = await claimInboundEvents(
      tx,
      inputs.flatMap((i) => (i.eventId === null ? [] : [{ channel: i.channel, eventId: i.eventId }])),
    );
    const seenEvents = new Set<string>();
    inputs.forEach((input, index) => {
      if (input.eventId === null) return;
      const k = key(input.channel, input.eventId);
      if (!claimed.has(k) || seenEvents.has(k)) outcomes[index] = { status: 'duplicate' };
      seenEvents.add(k);
    });
    const live = () => inputs.map((input, index) => ({ input, index })).filter(({ index }) => outcomes[index] === undefined);

    // 2. Sources: private chats and official pages are active at once; groups wait for an operator.
    const sources = await upsertSources(
      tx,
      uniqueBy(
        live().map(({ input }) => ({
          channel: input.channel,
          source: input.source,
          initialStatus: NEEDS_APPROVAL.includes(input.source.kind) ? ('pending' as const) : ('active' as const),
        })),
        (s) => key(s.channel, s.source.externalId),
      ),
    );
    const sourceOf = (input: IncomingMessage) => sources.get(key(input.channel, input.source.externalId));
    for (const { input, index } of live()) {
      const status = sourceOf(input)?.status;
      if (status === 'pending') outcomes[index] = { status: 'ignored', reason: 'source_pending' };
      else if (status === 'rejected') outcomes[index] = { status: 'ignored', reason: 'source_rejected' };
    }

    // 3. Citizens: in a private chat nothing personal is stored without consent.
    const privateAuthors = live().flatMap(({ input }) =>
      input.kind === 'private' && input.author ? [{ channel: input.channel, externalId: input.author.externalId }] : [],
    );
    const known = await findCitizens(
      tx,
      uniqueBy(privateAuthors, (a) => key(a.channel, a.externalId)),
    );
    for (const { input, index } of live()) {
      if (input.kind !== 'private') continue;
      if (!input.author) {
        outcomes[index] = { status: 'ignored', reason: 'unknown_message' };
        continue;
      }
      const consent = known.get(key(input.channel, input.author.externalId))?.consent ?? 'unknown';
      if (consent === 'unknown') outcomes[index] = { status: 'consent_required' };
      else if (consent === 'declined') outcomes[index] = { status: 'declined' };
    }
    const citizens = await upsertCitizens(
      tx,
      uniqueBy(
        live().flatMap(({ input }) => (input.author ? [{ channel: input.channel, author: input.author }] : [])),
        (a) => key(a.channel, a.author.externalId),
      ),
      now,
    );
    const citizenOf = (input: IncomingMessage) =>
      input.author ? citizens.get(key(input.channel, input.author.externalId)) : undefined;

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

    // 5. New messages, one INSERT for the batch; the unique key turns repeats into no-ops.
    const toInsert: (MessageInsert & { index: number; messageKey: string })[] = [];
    const seenMessages = new Set<string>();
    const consumedNewCase = new Set<number>();
    for (const { input, index } of live()) {
      if (!input.text.trim() && input.attachments.length === 0 && !input.geo) {
        outcomes[index] = { status: 'ignored', reason: 'empty' };
        continue;
      }
      const sourceId = sourceOf(input)?.id ?? 0;
      const messageKey = key(input.channel, sourceId, input.externalId);
      if (seenMessages.has(messageKey)) {
        outcomes[index] = { status: 'duplicate' };
        continue;
      }
      seenMessages.add(messageKey);
      const citizen = citizenOf(input);
      // «Новое обращение» applies to the citizen's next message only.
      const newCase = input.kind === 'private' && citizen?.force_new_case === true && !consumedNewCase.has(citizen.id);
      if (newCase && citizen) consumedNewCase.add(citizen.id);
      toInsert.push({ input, index, messageKey, sourceId, citizenId: citizen?.id ?? null, newCase });
    }
    const inserted = await insertMessages(tx, toInsert, now);
    const jobs: { messageId: number }[] = [];
    for (const item of toInsert) {
      const messageId = inserted.get(item.messageKey);
      outcomes[item.index] = messageId === undefined ? { status: 'duplicate' } : { status: 'stored', messageId };
      if (messageId !== undefined && item.input.opensCase) jobs.push({ messageId });
    }
    if (jobs.length > 0) await deps.jobs.sendMany('process-message', jobs, { tx });
    await clearForceNewCase(tx, [...consumedNewCase]);

    return outcomes.map((o) => o ?? { status: 'ignored', reason: 'unknown_message' });
  });
}

function uniqueBy<T>(items: T[], keyOf: (item: T) => string): T[] {
  return [...new Map(items.map((item) => [keyOf(item), item])).values()];
}
