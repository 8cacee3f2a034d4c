import type { DomainConfig } from '../../config/domain.js';
import { addDuration, type ClockMode, pointAt } from '../../lib/deadlines/index.js';
import { rescheduleReminders } from '../../models/case-actions-repository.js';
import { inTransaction, type Tx } from '../../models/database.js';
import type { JobQueue } from '../../models/jobs.js';
import { encodeOfficialNotice, encodeReminderKind, parseReminderKind, type ReminderKind } from '../../models/reminder-kind.js';
import { insertReminders, lockReminder, markReminder, recipientById, recipients } from '../../models/reminder-repository.js';
import type { HandlerDeps } from '../deps.js';

const CLOSED = ['answered', 'closed'];
/** pg-boss may start a job a little before its time; a reminder that early still counts as due. */
const EARLY_TOLERANCE_MS = 5_000;

/**
 * Plans a case's reminders when its deadline is set: at the configured shares of the time before the
 * deadline (e.g. 50 %, 80 %, 100 %) and the escalation steps after it. One row per reminder makes
 * delivery exactly-once; one delayed job per row makes it on time.
 */
export async function planReminders(
  tx: Tx,
  deps: Pick<HandlerDeps, 'jobs' | 'calendar' | 'domain'>,
  c: { caseId: number; start: Date; deadline: Date; mode: ClockMode },
): Promise<void> {
  const items = reminderPoints(deps, c);
  await insertReminders(tx, c.caseId, items);
  for (const item of items)
    await deps.jobs.send('remind', { caseId: c.caseId, kind: encodeReminderKind(item.kind) }, { tx, startAfter: item.dueAt });
}

/**
 * The deadline moved (an approved extension, the end of a pause): reminders not sent yet move to
 * their new points and get new jobs; the old jobs find their reminder not yet due and do nothing.
 */
export async function replanReminders(
  tx: Tx,
  deps: Pick<HandlerDeps, 'jobs' | 'calendar' | 'domain'>,
  c: { caseId: number; start: Date; deadline: Date; mode: ClockMode },
): Promise<void> {
  for (const item of await rescheduleReminders(tx, c.caseId, reminderPoints(deps, c)))
    await deps.jobs.send('remind', { caseId: c.caseId, kind: encodeReminderKind(item.kind) }, { tx, startAfter: item.dueAt });
}

function reminderPoints(
  deps: Pick<HandlerDeps, 'calendar' | 'domain'>,
  c: { start: Date; deadline: Date; mode: ClockMode },
): { kind: ReminderKind; dueAt: Date }[] {
  const sla = deps.domain.sla;
  return [
    ...sla.reminders.before.map((percent) => ({
      kind: { type: 'before', percent } as const,
      dueAt: pointAt(deps.calendar, c.start, c.deadline, percent / 100, c.mode),
    })),
    ...sla.escalation.steps.map((s) => ({
      kind: { type: 'escalate', role: s.role } as const,
      dueAt: addDuration(deps.calendar, c.deadline, s.after),
    })),
  ];
}

/**
 * A new case for a department: its officials (or its assignee) get the card at once — in quiet
 * hours at their end, unless urgent. The kind names the department, the assignee and the moment,
 * so every routing is announced once, a re-route to the same department too.
 */
export async function announceAssignment(
  tx: Tx,
  jobs: JobQueue<Tx>,
  a: { caseId: number; department: string; assigneeId: number | null; at: Date },
): Promise<void> {
  await tellCaseTeam(tx, jobs, {
    caseId: a.caseId,
    kind: { type: 'assigned', department: a.department, assigneeId: a.assigneeId, at: a.at },
    at: a.at,
  });
}

/**
 * Something happened to a case its people must know now (the citizen reopened it, answered a
 * question): the assignee, else the department's officials, get the card — through the same
 * exactly-once reminder row and the same quiet hours.
 */
export async function tellCaseTeam(
  tx: Tx,
  jobs: JobQueue<Tx>,
  a: { caseId: number; kind: Extract<ReminderKind, { type: 'assigned' | 'reopened' | 'citizen_replied' }>; at: Date },
): Promise<void> {
  await insertReminders(tx, a.caseId, [{ kind: a.kind, dueAt: a.at }]);
  await jobs.send('remind', { caseId: a.caseId, kind: encodeReminderKind(a.kind) }, { tx });
}

/** Kinds that need the case's department (they wait while it is in triage). */
function needsDepartment(kind: ReminderKind): boolean {
  return kind.type === 'before' || kind.type === 'assigned' || (kind.type === 'escalate' && kind.role === 'department_head');
}

export type RemindDeps = Pick<HandlerDeps, 'db' | 'clock' | 'jobs' | 'log' | 'domain'> & {
  /** Told how late a sent reminder went out (seconds after it was due; the metrics' histogram). */
  onSent?: (latenessSeconds: number) => void;
};

/**
 * Sends one reminder or escalation step, once: the row is locked and stamped in the same transaction
 * that enqueues the messages, so a second worker (or a retry after a crash) finds it sent. A case
 * already answered is not chased; outside urgent cases, quiet hours push the reminder to their end.
 */
export async function remind(
  deps: RemindDeps,
  payload: { caseId: number; kind: string },
): Promise<'sent' | 'already' | 'skipped' | 'deferred' | 'early'> {
  const kind = parseReminderKind(payload.kind);
  // The job schema refuses such a text already; a direct caller gets the same answer.
  if (!kind) throw new Error(`unknown reminder kind "${payload.kind}" (case ${payload.caseId})`);
  const now = deps.clock.now();
  const sent: { dueAt?: Date } = {};
  const result = await inTransaction(deps.db, async (tx) => {
    const r = await lockReminder(tx, payload.caseId, kind);
    if (!r) return 'skipped';
    if (r.sent_at) return 'already';
    // Waiting for the citizen: the clock is stopped; the end of the pause replans what is left.
    if (r.paused_at && (kind.type === 'before' || kind.type === 'escalate')) return 'early';
    // In triage (no department yet) the department's reminders wait: assigning the case replans them.
    if (r.department === null && needsDepartment(kind)) return 'early';
    if (CLOSED.includes(r.status)) {
      await markReminder(tx, payload.caseId, kind, `skipped:${r.status}`, now);
      return 'skipped';
    }
    // The deadline moved after this job was queued: the job queued with the new time will send it.
    if (r.due_at.getTime() > now.getTime() + EARLY_TOLERANCE_MS) return 'early';
    const quietEnd = quietHoursEnd(now, deps.domain);
    if (quietEnd && r.priority !== 'urgent') {
      await deps.jobs.send('remind', payload, { tx, startAfter: quietEnd });
      return 'deferred';
    }
    sent.dueAt = effectiveDue(r.due_at, r.priority, deps.domain);
    const to = await whoToRemind(tx, kind, r.department, r.assignee_id);
    await markReminder(tx, payload.caseId, kind, to.length > 0 ? 'sent' : 'skipped:nobody', now);
    for (const officialId of to)
      await deps.jobs.send('notify-official', { officialId, caseId: payload.caseId, kind: encodeOfficialNotice(kind) }, { tx });
    if (to.length === 0)
      deps.log.warn(
        { caseId: payload.caseId, kind: payload.kind },
        'reminder has nobody to go to (no official a messenger reaches)',
      );
    return 'sent';
  });
  // After the commit: a rolled-back send is retried and measured then, once.
  if (result === 'sent' && sent.dueAt) deps.onSent?.(Math.max(0, now.getTime() - sent.dueAt.getTime()) / 1000);
  return result;
}

/**
 * When a reminder is due in earnest: its time, or — for a non-urgent case whose time fell in the quiet
 * hours — their end, when remind() sends it on purpose; lateness counts from here, not from the night.
 */
function effectiveDue(dueAt: Date, priority: string, domain: DomainConfig): Date {
  return priority === 'urgent' ? dueAt : (quietHoursEnd(dueAt, domain) ?? dueAt);
}

/**
 * Before the deadline: the assignee (whoever took the case or was assigned it), else the
 * department's officials; after it, up the chain, one role per step. People, by id: each gets the
 * card on their own messenger.
 */
async function whoToRemind(tx: Tx, kind: ReminderKind, department: string | null, assigneeId: number | null): Promise<number[]> {
  if (kind.type === 'escalate') {
    if (kind.role === 'department_head') return department ? recipients(tx, { department, roles: ['department_head'] }) : [];
    return recipients(tx, { roles: [kind.role] });
  }
  if (assigneeId !== null) {
    const assignee = await recipientById(tx, assigneeId);
    if (assignee) return [assignee];
  }
  return department ? recipients(tx, { department, roles: ['official', 'department_head'] }) : [];
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
