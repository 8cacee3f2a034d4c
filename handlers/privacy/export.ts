import type { Actor } from '../../models/actor.js';
import { appendAudit } from '../../models/audit-repository.js';
import { type CitizenExport, citizenExport, findCitizens } from '../../models/citizen-export-query.js';
import type { HandlerDeps } from '../deps.js';

export type { CitizenExport } from '../../models/citizen-export-query.js';
export { findCitizens };

/**
 * Everything stored about one citizen, for an operator answering their request (152-ФЗ ст. 14), with
 * the actor recorded: `citizen_exported` names who took the data out and how much, never the data.
 */
export async function exportCitizen(
  deps: Pick<HandlerDeps, 'db' | 'clock'>,
  input: { citizenId: number; actor: Actor },
): Promise<(CitizenExport & { exportedAt: string }) | undefined> {
  const data = await citizenExport(deps.db, input.citizenId);
  if (!data) return undefined;
  await appendAudit(deps.db, {
    actor: input.actor,
    action: 'citizen_exported',
    entity: 'citizen',
    entityId: input.citizenId,
    details: { messages: data.messages.length, cases: data.cases.length, pageComments: data.pageComments.length },
  });
  return { exportedAt: deps.clock.now().toISOString(), ...data };
}
