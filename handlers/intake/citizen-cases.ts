import { type CitizenCaseSummary, listCitizenCases } from '../../models/case-repository.js';
import type { Channel } from '../../models/intake.js';
import { findCitizen, setForceNewCase } from '../../models/intake-repository.js';
import { cancelCommentRequests } from '../../models/poll-repository.js';
import type { IntakeDeps } from './deps.js';

export type CitizenCasesResult = { status: 'ok'; cases: CitizenCaseSummary[] } | { status: 'consent_required' };

/** A citizen's own cases with their states (for /status); nothing without consent. */
export async function citizenCases(
  deps: Pick<IntakeDeps, 'db'>,
  sender: { channel: Channel; externalId: string },
): Promise<CitizenCasesResult> {
  const citizen = await findCitizen(deps.db, sender.channel, sender.externalId);
  if (citizen?.consent !== 'given') return { status: 'consent_required' };
  return { status: 'ok', cases: await listCitizenCases(deps.db, citizen.id) };
}

/** «Новое обращение»: the citizen's next message opens a new case instead of joining the open one. */
export async function requestNewCase(
  deps: Pick<IntakeDeps, 'db'>,
  sender: { channel: Channel; externalId: string },
): Promise<'ok' | 'consent_required'> {
  const citizen = await findCitizen(deps.db, sender.channel, sender.externalId);
  if (citizen?.consent !== 'given') return 'consent_required';
  await setForceNewCase(deps.db, citizen.id, true);
  // «Добавить комментарий» pressed before: the next message is a new case, not the poll's comment.
  await cancelCommentRequests(deps.db, citizen.id);
  return 'ok';
}
