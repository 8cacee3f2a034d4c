import { appendAudit } from '../../models/audit-repository.js';
import {
  attachMessageToCase,
  insertCase,
  type MessageForProcessing,
  nextCaseNumber,
  touchCase,
} from '../../models/case-repository.js';
import type { CitizenNotification } from '../../models/citizen-notification.js';
import type { Tx } from '../../models/database.js';
import type { ReplyTarget } from '../../models/intake.js';
import type { Assessment } from '../structuring/assess.js';
import { structureCase } from '../structuring/structure-case.js';
import { triageUnstructured } from '../structuring/triage-unstructured.js';
import type { IntakeDeps } from './deps.js';

/** The structurer's view of a stored message (null without domain rules). */
export function assessMessage(deps: IntakeDeps, message: MessageForProcessing, at: Date): Assessment | null {
  const geo = message.geo_lat !== null && message.geo_lon !== null ? { lat: message.geo_lat, lon: message.geo_lon } : null;
  return deps.structuring?.structurer.assess(message.text, at, geo) ?? null;
}

/** Opens a case with a new number for the message, structures it and tells the citizen the number. */
export async function openCaseFor(
  deps: IntakeDeps,
  tx: Tx,
  message: MessageForProcessing,
  assessment: Assessment | null,
  target: ReplyTarget | null,
  now: Date,
): Promise<{ caseId: number; number: string }> {
  const number = await nextCaseNumber(tx, yearIn(now, deps.settings.timeZone));
  const caseId = await insertCase(tx, {
    number,
    status: 'new',
    channel: message.channel,
    sourceId: message.source_id,
    citizenId: message.citizen_id,
    text: message.text,
    triageReason: null,
    at: now,
  });
  await attachMessageToCase(tx, message.id, caseId, now);
  await appendAudit(tx, {
    actor: { type: 'system' },
    action: 'case_opened',
    entity: 'case',
    entityId: caseId,
    details: { number, messageId: message.id },
  });

  if (deps.structuring && assessment) {
    await structureCase({ ...deps.structuring, log: deps.log, jobs: deps.jobs }, tx, {
      caseId,
      text: message.text,
      channel: message.channel,
      assessment,
      at: now,
    });
  } else {
    await triageUnstructured(tx, caseId, now);
  }
  if (target)
    await notify(deps, tx, target, {
      kind: 'case_opened',
      caseNumber: number,
      // An urgent case is promised the urgent policy's first response.
      firstResponse:
        assessment?.urgency.priority === 'urgent'
          ? (deps.settings.firstResponseUrgent ?? deps.settings.firstResponse)
          : deps.settings.firstResponse,
    });
  return { caseId, number };
}

/** Joins the message to an open case (already locked by the caller) and tells the citizen. */
export async function joinCase(
  deps: IntakeDeps,
  tx: Tx,
  message: { id: number },
  open: { id: number; number: string },
  target: ReplyTarget | null,
  details: Record<string, unknown>,
  now: Date,
): Promise<void> {
  await attachMessageToCase(tx, message.id, open.id, now);
  await touchCase(tx, open.id, now);
  await appendAudit(tx, {
    actor: { type: 'system' },
    action: 'message_joined',
    entity: 'case',
    entityId: open.id,
    details: { messageId: message.id, ...details },
  });
  if (target) await notify(deps, tx, target, { kind: 'case_extended', caseNumber: open.number });
}

export async function notify(deps: IntakeDeps, tx: Tx, target: ReplyTarget, notification: CitizenNotification): Promise<void> {
  await deps.jobs.send('notify-citizen', { target, notification }, { tx });
}

/** The calendar year at `at` in the city's time zone (a case at 01:00 on 1 January local time is next year's). */
export function yearIn(at: Date, timeZone: string): number {
  return Number(new Intl.DateTimeFormat('en', { timeZone, year: 'numeric' }).format(at));
}
