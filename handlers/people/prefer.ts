import type { Actor } from '../../models/actor.js';
import { appendAudit } from '../../models/audit-repository.js';
import { inTransaction } from '../../models/database.js';
import type { Channel } from '../../models/intake.js';
import { findOfficial } from '../../models/people-repository.js';
import { setPreferredChannel } from '../../models/staff-account-repository.js';
import type { HandlerDeps } from '../deps.js';

export type PreferOutcome = { status: 'ok' } | { status: 'not_found' | 'not_bound' };

/**
 * Where a person's cards, reminders and digest go first, when they have bound more than one
 * messenger (binding sets it to the messenger bound last). Only a messenger they have an account on.
 */
export async function preferChannel(
  deps: Pick<HandlerDeps, 'db'>,
  input: { officialId: number; channel: Channel; actor: Actor },
): Promise<PreferOutcome> {
  return inTransaction(deps.db, async (tx) => {
    const person = await findOfficial(tx, input.officialId);
    if (!person?.active) return { status: 'not_found' };
    if (!(await setPreferredChannel(tx, input.officialId, input.channel))) return { status: 'not_bound' };
    await appendAudit(tx, {
      actor: input.actor,
      action: 'official_preferred_channel',
      entity: 'official',
      entityId: input.officialId,
      details: { channel: input.channel },
    });
    return { status: 'ok' };
  });
}
