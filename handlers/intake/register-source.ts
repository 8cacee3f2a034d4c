import { appendAudit } from '../../models/audit-repository.js';
import { inTransaction } from '../../models/database.js';
import type { Channel, IncomingMessage } from '../../models/intake.js';
import { upsertSource } from '../../models/intake-repository.js';
import type { IntakeDeps } from './deps.js';

/** The bot was added to a chat: register it as a source waiting for an operator's approval. */
export async function registerSource(
  deps: Pick<IntakeDeps, 'db'>,
  input: { channel: Channel; source: IncomingMessage['source'] },
): Promise<{ id: number; status: string }> {
  return inTransaction(deps.db, async (tx) => {
    const source = await upsertSource(tx, input.channel, input.source, 'pending');
    await appendAudit(tx, {
      actor: { type: 'platform', channel: input.channel },
      action: 'source_registered',
      entity: 'source',
      entityId: source.id,
      details: { kind: input.source.kind, status: source.status },
    });
    return source;
  });
}
