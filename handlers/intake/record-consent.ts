import { appendAudit } from '../../models/audit-repository.js';
import { inTransaction } from '../../models/database.js';
import type { Author, Channel } from '../../models/intake.js';
import { setConsent } from '../../models/intake-repository.js';
import type { IntakeDeps } from './deps.js';

/** Records a citizen's answer to the personal-data consent question. */
export async function recordConsent(
  deps: Pick<IntakeDeps, 'db' | 'clock'>,
  input: { channel: Channel; author: Author; consent: 'given' | 'declined' },
): Promise<void> {
  const now = deps.clock.now();
  await inTransaction(deps.db, async (tx) => {
    await setConsent(tx, input.channel, input.author, input.consent, now);
    await appendAudit(tx, {
      actor: { type: 'citizen', channel: input.channel },
      action: input.consent === 'given' ? 'consent_given' : 'consent_declined',
      entity: 'citizen',
      entityId: `${input.channel}:${input.author.externalId}`,
    });
  });
}
