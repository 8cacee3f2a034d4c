import type { Logger } from 'pino';
import type { DomainConfig } from '../../config/domain.js';
import type { Clock } from '../../models/clock.js';
import { type Db, inTransaction, type Tx } from '../../models/database.js';
import { addDuration, type ClockMode, pointAt, type WorkingCalendar } from '../../models/deadlines/index.js';
import type { JobQueue } from '../../models/jobs.js';
import { insertReminders, lockReminder, markReminder, recipients } from '../../models/reminder-repository.js';

const CLOSED = ['answered', 'closed'];

/**
 * Plans a case's reminders when its deadline is set: at the configured shares of the time before the
 * deadline (e.g. 50 %, 80 %, 100 %) and the escalation steps after it. One row per reminder makes
 * delivery exactly-once; one delayed job per row makes it on time.
 */
export async function planReminders(
  tx: Tx,
  deps: { jobs: JobQueue<Tx>; calendar: WorkingCalendar; domain: DomainConfig },
  c: { caseId: number; start: Date; deadline: Date; mode: ClockMode },
): Promise<void> {
  const sla = deps.domain.sla;
  const items = [
    ...sla.reminders.before.map((p) => ({
      kind: `before:${p}`,
      dueAt: pointAt(deps.calendar, c.start, c.deadline, p / 100, c.mode),
    })),
    ...sla.escalation.steps.map((s) => ({ kind: `escalate:${s.role}`, dueAt: addDuration(deps.calendar, c.deadline, s.after) })),
  ];
  await insertReminders(tx, c.caseId, items);
  for (const item of items) await deps.jobs.send('remind', { caseId: c.caseId, kind: item.kind }, { tx, startAfter: item.dueAt });
}

export interface RemindDeps {
  db: Db;
  clock: Clock;
  jobs: JobQueue<Tx>;
  log: Logger;
  domain: DomainConfig;
}

/**
 * Sends one reminder or escalation step, once: the row is locked and stamped in the same transaction
 * that enqueues the messages, so a second worker (or a retry after a crash) finds it sent. A case
 * already answered is not chased; outside urgent cases, quiet hours push the reminder to their end.
 */
export async function remind(
  deps: RemindDeps,
  payload: { caseId: number; kind: string },
): Promise<'sent' | 'already' | 'skipped' | 'deferred'> {
  const now = deps.clock.now();
  return inTransaction(deps.db, async (tx) => {
    const r = await lockReminder(tx, payload.caseId, payload.kind);
    if (!r) return 'skipped';
    if (r.sent_at) return 'already';
    if (CLOSED.includes(r.status)) {
      await markReminder(tx, payload.caseId, payload.kind, `skipped:${r.status}`, now);
      return 'skipped';
    }
    const quietEnd = quietHoursEnd(now, deps.domain);
    if (quietEnd && r.priority !== 'urgent') {
      await deps.jobs.send('remind', payload, { tx, startAfter: quietEnd });
      return 'deferred';
    }
    const to = await whoToRemind(tx, payload.kind, r.department);
    await markReminder(tx, payload.caseId, payload.kind, to.length > 0 ? 'sent' : 'skipped:nobody', now);
    for (const telegramUserId of to) {
      await deps.jobs.send('notify-official', { telegramUserId, caseId: payload.caseId, kind: payload.kind }, { tx });
    }
    if (to.length === 0)
      deps.log.warn({ caseId: payload.caseId, kind: payload.kind }, 'reminder has nobody to go to (no bound official)');
    return 'sent';
  });
}

/** Before the deadline: the department's officials; after it, up the chain, one role per step. */
async function whoToRemind(tx: Tx, kind: string, department: string | null): Promise<string[]> {
  if (kind.startsWith('before:')) return department ? recipients(tx, { department, roles: ['official', 'department_head'] }) : [];
  const role = kind.slice('escalate:'.length);
  if (role === 'department_head') return department ? recipients(tx, { department, roles: ['department_head'] }) : [];
  return recipients(tx, { roles: [role] });
}

/** When `at` falls in the quiet hours (city time), the moment they end; otherwise null. */
export function quietHoursEnd(at: Date, domain: DomainConfig): Date | null {
  const { start, end } = domain.sla.quietHours;
  const tz = domain.city.timezone;
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone: tz,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  const hhmm = `${parts.hour}:${parts.minute}`;
  const inQuiet = start > end ? hhmm >= start || hhmm < end : hhmm >= start && hhmm < end;
  if (!inQuiet) return null;
  // The end of the quiet hours on the right local day: today if we are past midnight, else tomorrow.
  const offsetMs =
    at.getTime() -
    Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute));
  const [eh, em] = end.split(':').map(Number) as [number, number];
  const localEnd = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), eh, em) + offsetMs;
  return new Date(hhmm < end ? localEnd : localEnd + 86_400_000);
}
