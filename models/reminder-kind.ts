import { ROLES, type Role } from '../config/domain.js';

/**
 * What a reminder row (and its `remind` job) is about. The kind is the row's key next to the case,
 * so each planned moment is sent exactly once; it is stored and queued as text (`encodeReminderKind`)
 * and read back only through `parseReminderKind`. Rows and queued jobs carry these texts already:
 * a change to a stored form strands them.
 */
export type ReminderKind =
  /** `before:<percent>`: at that share of the time before the deadline (sla.reminders.before). */
  | { type: 'before'; percent: number }
  /** `escalate:<role>`: an escalation step after the deadline, up the chain (sla.escalation.steps). */
  | { type: 'escalate'; role: Role }
  /**
   * `assigned:<department>:<official id | all>:<ms>`: the case was routed to a department (and maybe
   * a person) at that moment. `at` is null in `assigned:<department>:<id | all>`, the form written
   * before every routing was announced (rows of older versions).
   */
  | { type: 'assigned'; department: string; assigneeId: number | null; at: Date | null }
  /** `reopened:<ms>`: the citizen was not satisfied and the case reopened at that moment. */
  | { type: 'reopened'; at: Date }
  /** `citizen_replied:<ms>`: the citizen answered the official's question at that moment. */
  | { type: 'citizen_replied'; at: Date };

/**
 * Why an official gets a case card on their messenger (the `notify-official` job): a reminder, or the
 * decision on their own request. Stored as text the same way (`encodeOfficialNotice`).
 */
export type OfficialNotice =
  | ReminderKind
  /** `extension:approved` / `extension:rejected`: the operators decided on the official's extension request. */
  | { type: 'extension_decided'; approved: boolean }
  /** `answer:rejected`: an operator returned the official's held answer. */
  | { type: 'answer_returned' }
  /** `consent:withdrawn`: the citizen withdrew their consent (/forget): the case was closed, nothing more to do. */
  | { type: 'consent_withdrawn' };

const DEPARTMENT = '[a-z][a-z0-9]*(?:-[a-z0-9]+)*';
const MOMENT = '(0|[1-9]\\d{0,14})';
const BEFORE = /^before:([1-9]\d?|100)$/;
const ESCALATE = /^escalate:(.+)$/;
const ASSIGNED = new RegExp(`^assigned:(${DEPARTMENT}):([1-9]\\d{0,14}|all)(?::${MOMENT})?$`);
const AT = new RegExp(`^(reopened|citizen_replied):${MOMENT}$`);

/** The stored text of a reminder kind, e.g. `before:80`; throws for a value it could not read back. */
export function encodeReminderKind(kind: ReminderKind): string {
  const text = encode(kind);
  if (parseReminderKind(text) === null)
    throw new Error(`cannot store reminder kind ${JSON.stringify(kind)}: "${text}" would not parse`);
  return text;
}

function encode(kind: ReminderKind): string {
  switch (kind.type) {
    case 'before':
      return `before:${kind.percent}`;
    case 'escalate':
      return `escalate:${kind.role}`;
    case 'assigned': {
      const head = `assigned:${kind.department}:${kind.assigneeId ?? 'all'}`;
      return kind.at === null ? head : `${head}:${kind.at.getTime()}`;
    }
    case 'reopened':
    case 'citizen_replied':
      return `${kind.type}:${kind.at.getTime()}`;
  }
}

/** The reminder kind of a stored text, or null for a text no version of the platform writes. */
export function parseReminderKind(text: string): ReminderKind | null {
  const before = BEFORE.exec(text);
  if (before) return { type: 'before', percent: Number(before[1]) };
  const escalate = ESCALATE.exec(text);
  if (escalate) {
    const role = ROLES.find((r) => r === escalate[1]);
    return role ? { type: 'escalate', role } : null;
  }
  const assigned = ASSIGNED.exec(text);
  if (assigned) {
    const [, department = '', assignee = 'all', at] = assigned;
    return {
      type: 'assigned',
      department,
      assigneeId: assignee === 'all' ? null : Number(assignee),
      at: at === undefined ? null : new Date(Number(at)),
    };
  }
  const moment = AT.exec(text);
  if (moment) return { type: moment[1] as 'reopened' | 'citizen_replied', at: new Date(Number(moment[2])) };
  return null;
}

/** The stored text of an official's notice, e.g. `extension:approved` or a reminder kind. */
export function encodeOfficialNotice(notice: OfficialNotice): string {
  switch (notice.type) {
    case 'extension_decided':
      return notice.approved ? 'extension:approved' : 'extension:rejected';
    case 'answer_returned':
      return 'answer:rejected';
    case 'consent_withdrawn':
      return 'consent:withdrawn';
    default:
      return encodeReminderKind(notice);
  }
}

/** The notice of a stored text, or null for a text no version of the platform writes. */
export function parseOfficialNotice(text: string): OfficialNotice | null {
  if (text === 'extension:approved') return { type: 'extension_decided', approved: true };
  if (text === 'extension:rejected') return { type: 'extension_decided', approved: false };
  if (text === 'answer:rejected') return { type: 'answer_returned' };
  if (text === 'consent:withdrawn') return { type: 'consent_withdrawn' };
  return parseReminderKind(text);
}
