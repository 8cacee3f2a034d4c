import { inTransaction } from '../../models/database.js';
import type { IncomingMessage, IntakeOutcome, SourceKind } from '../../models/intake.js';
import {
  applyEdit,
  claimInboundEvent,
  findCitizen,
  insertMessage,
  markDeleted,
  setForceNewCase,
  upsertCitizen,
  upsertSource,
} from '../../models/intake-repository.js';
import type { IntakeDeps } from './deps.js';
import { sanitizeIncoming } from './sanitize.js';

/** Sources that need an operator's approval before their messages are captured. */
const NEEDS_APPROVAL: readonly SourceKind[] = ['discussion_group', 'city_chat', 'official_channel'];

/**
 * Stores one incoming platform event exactly once, with its `process-message` job, in one
 * transaction. The adapter acknowledges the platform only after this resolves; if it throws,
 * nothing was stored and the platform must deliver the event again.
 *
 * Private chats need the citizen's consent first: without it nothing personal is stored.
 */
export async function receiveMessage(deps: IntakeDeps, raw: IncomingMessage): Promise<IntakeOutcome> {
  const input = sanitizeIncoming(raw);
  const now = deps.clock.now();
  return inTransaction(deps.db, async (tx) => {
    if (input.eventId !== null && !(await claimInboundEvent(tx, input.channel, input.eventId))) {
      return { status: 'duplicate' };
    }
    const initial = NEEDS_APPROVAL.includes(input.source.kind) ? 'pending' : 'active';
    const source = await upsertSource(tx, input.channel, input.source, initial);
    if (source.status === 'pending') return { status: 'ignored', reason: 'source_pending' };
    if (source.status === 'rejected') return { status: 'ignored', reason: 'source_rejected' };
    const key = { channel: input.channel, sourceId: source.id, externalId: input.externalId };

    let citizenId: number | null = null;
    let newCase = false;
    if (input.kind === 'private') {
      if (!input.author) return { status: 'ignored', reason: 'unknown_message' };
      const known = await findCitizen(tx, input.channel, input.author.externalId);
      if (!known || known.consent === 'unknown') return { status: 'consent_required' };
      if (known.consent === 'declined') return { status: 'declined' };
      const citizen = await upsertCitizen(tx, input.channel, input.author, now);
      citizenId = citizen.id;
      newCase = citizen.force_new_case;
    } else if (input.author) {
      citizenId = (await upsertCitizen(tx, input.channel, input.author, now)).id;
    }

    if (input.action === 'delete') {
      const id = await markDeleted(tx, key, input.platformAt);
      return id === undefined ? { status: 'ignored', reason: 'unknown_message' } : { status: 'updated', messageId: id };
    }
    if (input.action === 'edit') {
      const id = await applyEdit(tx, key, input.text, input.platformAt);
      if (id !== undefined) return { status: 'updated', messageId: id };
      // An edit of something we never saw (posted before we listened): keep it as a new message.
    }
    if (!input.text.trim() && input.attachments.length === 0 && !input.geo) {
      return { status: 'ignored', reason: 'empty' };
    }

    const messageId = await insertMessage(tx, input, { sourceId: source.id, citizenId, newCase, receivedAt: now });
    if (messageId === undefined) return { status: 'duplicate' };
    if (input.opensCase) await deps.jobs.send('process-message', { messageId }, { tx });
    if (newCase && citizenId !== null) await setForceNewCase(tx, citizenId, false);
    return { status: 'stored', messageId };
  });
}
