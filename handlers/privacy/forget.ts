import { maskPersonalData } from '../../lib/privacy/mask.js';
import type { Actor } from '../../models/actor.js';
import { appendAudit } from '../../models/audit-repository.js';
import { inTransaction, type Tx } from '../../models/database.js';
import type { Channel } from '../../models/intake.js';
import { findCitizen } from '../../models/intake-repository.js';
import type { JobQueue } from '../../models/jobs.js';
import {
  anonymisePageComments,
  citizenState,
  closeOpenCasesOf,
  lockCitizens,
  pageCommentsBy,
} from '../../models/privacy-repository.js';
import { scrubStoredUpdates } from '../../models/privacy-scrub.js';
import { encodeOfficialNotice } from '../../models/reminder-kind.js';
import { recipientById, recipients } from '../../models/reminder-repository.js';
import { insertAlert } from '../../models/structuring-repository.js';
import type { HandlerDeps } from '../deps.js';
import { anonymiseInTx } from './anonymise.js';

/** The note on every case closed because its citizen withdrew consent (the console's history shows it). */
export const CONSENT_WITHDRAWN_NOTE = 'житель отозвал согласие на обработку персональных данных';

export type ForgetOutcome =
  /** Anonymised; these cases were still being worked on and are closed now. */
  | { status: 'forgotten'; citizenId: number; closedCases: string[] }
  /** Nobody by that id wrote with consent: only the stored platform updates and their page comments were scrubbed. */
  | { status: 'nothing_stored' }
  /** Already anonymised (or being anonymised right now by another run). */
  | { status: 'already' }
  | { status: 'not_found' };

export type ForgetDeps = Pick<HandlerDeps, 'db' | 'clock' | 'jobs'>;

/** Who asks: the person themselves in a messenger, or an operator naming a citizen by id. */
export type ForgetWho =
  | { sender: { channel: Channel; externalId: string }; via: 'forget' }
  | { citizenId: number; actor: Actor; via: 'operator' };

/**
 * Withdraws consent and anonymises one citizen at once, in one transaction: the stored platform updates
 * naming them are scrubbed, the cases still being worked on are closed with {@link CONSENT_WITHDRAWN_NOTE}
 * (audited; the assignee or the department's officials get the card, else the operators an alert), subscriptions end, then
 * everything else as the retention job does (handlers/privacy/anonymise.ts).
 */
export async function forgetCitizen(deps: ForgetDeps, who: ForgetWho): Promise<ForgetOutcome> {
  const now = deps.clock.now();
  return inTransaction(deps.db, async (tx) => {
    const found =
      'sender' in who ? await findCitizen(tx, who.sender.channel, who.sender.externalId) : await citizenState(tx, who.citizenId);
    const actor: Actor = 'sender' in who ? { type: 'citizen', channel: who.sender.channel } : who.actor;
    if (!found) {
      if (!('sender' in who)) return { status: 'not_found' };
      // Nothing but the updates themselves (a /start, a message before consent) and comments under official
      // pages (which need no citizen row) was stored about them.
      const scrubbed = await scrubStoredUpdates(tx, who.sender, now);
      const comments = await pageCommentsBy(tx, who.sender);
      await anonymisePageComments(
        tx,
        comments.map((c) => ({ ...c, text: maskPersonalData(c.text) })),
      );
      await appendAudit(tx, {
        actor,
        action: 'citizen_forgotten',
        entity: 'citizen',
        entityId: null,
        details: { ...scrubbed, pageComments: comments.length },
      });
      return { status: 'nothing_stored' };
    }
    const [citizen] = await lockCitizens(tx, [found.id]);
    if (!citizen) return { status: 'already' };
    const scrubbed = await scrubStoredUpdates(tx, { channel: citizen.channel, externalId: citizen.external_id }, now);
    await appendAudit(tx, {
      actor,
      action: 'consent_withdrawn',
      entity: 'citizen',
      entityId: citizen.id,
      details: { via: who.via, inboxEvents: scrubbed.events, deadLetters: scrubbed.deadLetters },
    });
    const closed = await closeOpenCasesOf(tx, citizen.id, now);
    for (const c of closed) {
      await appendAudit(tx, {
        actor,
        action: 'status_changed',
        entity: 'case',
        entityId: c.id,
        details: { from: c.from, to: 'closed', comment: CONSENT_WITHDRAWN_NOTE, reason: 'consent_withdrawn' },
      });
      await tellCaseTeam(tx, deps.jobs, c, now);
    }
    await anonymiseInTx(tx, [citizen], { reason: who.via === 'forget' ? 'forget' : 'operator', actor, now });
    return { status: 'forgotten', citizenId: citizen.id, closedCases: closed.map((c) => c.number) };
  });
}

/**
 * The assignee, else the department's officials and head, get the case card headed «житель отозвал
 * согласие»; a case nobody of a department could be told about (still in triage, or a department without
 * officials) goes to the operators as an alert instead: someone may be about to route it.
 */
async function tellCaseTeam(
  tx: Tx,
  jobs: JobQueue<Tx>,
  c: { id: number; from: string; department: string | null; assignee_id: number | null },
  now: Date,
): Promise<void> {
  const assignee = c.assignee_id === null ? undefined : await recipientById(tx, c.assignee_id);
  const to =
    assignee !== undefined
      ? [assignee]
      : c.department
        ? await recipients(tx, { department: c.department, roles: ['official', 'department_head'] })
        : [];
  if (to.length === 0) {
    const alertId = await insertAlert(
      tx,
      { kind: 'consent_withdrawn', caseId: c.id, problemId: null, details: { from: c.from, department: c.department } },
      now,
    );
    await jobs.send('notify-operators', { alertId }, { tx });
    return;
  }
  const kind = encodeOfficialNotice({ type: 'consent_withdrawn' });
  for (const officialId of to) await jobs.send('notify-official', { officialId, caseId: c.id, kind }, { tx });
}
