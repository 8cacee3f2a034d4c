import type { DomainConfig } from '../../../../config/domain.js';
import type { MessageView } from '../../../../handlers/cases/index.js';
import { parseActor } from '../../../../models/actor.js';
import type { Attachment } from '../../../../models/intake.js';
import { dateTime } from '../../format.js';
import { named, t } from '../../texts-ru.js';
import { ANSWER_KINDS, ANSWER_STATES, ATTACHMENT_TYPES, AUDIT_ACTIONS, EXTENSION_STATES, GATE_PROBLEMS } from './texts.js';

/**
 * A case's history as people read it: the thread (the citizen's messages, the answers and the questions
 * put to the citizen, in time order) and the audit trail's lines, with names instead of stored actors.
 */
type Who = (storedActor: string) => string;

export interface ThreadItem {
  at: Date;
  dir: 'in' | 'out';
  who: string;
  label: string;
  text: string;
  /** What came with it; `href` opens the file when the console can fetch it (a Telegram file id). */
  attachments: { text: string; href: string | null }[];
  /** The answer's delivery state and the gate's verdict; the message's edits. */
  notes: string[];
  permalink: string | null;
}

/** A stored actor (`official:17`, `system` …) as a name or a role word. */
export function actorLabel(stored: string, names: ReadonlyMap<number, string>): string {
  const a = parseActor(stored);
  if (!a) return stored;
  switch (a.type) {
    case 'official':
    case 'operator':
      return names.get(a.officialId) ?? `сотрудник №${a.officialId}`;
    case 'citizen':
      return 'Житель';
    case 'account':
      return `аккаунт ${named(t.channel, a.channel)}`;
    case 'platform':
      return named(t.channel, a.channel);
    case 'api':
      return a.author ? `API (${a.author})` : 'API';
    case 'system':
      return 'Система';
    case 'cli':
      return 'Командная строка';
    case 'sandbox':
      return 'Песочница';
  }
}

/** The gate's verdict stored with an answer, in words. */
export function verdictOf(quality: Record<string, unknown>): string | null {
  if (typeof quality.copyOf === 'number') return 'копия ответа на основное обращение';
  const problems = Array.isArray(quality.problems) ? quality.problems.map(String) : null;
  if (!problems) return null;
  if (problems.length === 0) return 'проверка: ответ по существу';
  return `проверка: похоже на отписку — ${problems.map((p) => GATE_PROBLEMS[p] ?? p).join(', ')}`;
}

function attachmentLine(a: Partial<Attachment>): string {
  const kind = ATTACHMENT_TYPES[a.type ?? 'other'] ?? 'вложение';
  const size = typeof a.size === 'number' ? `, ${Math.max(1, Math.round(a.size / 1024))} КБ` : '';
  return `${kind}${a.name ? ` «${a.name}»` : ''}${size}`;
}

interface AnswerRow {
  id: number;
  kind: string;
  text: string;
  author: string;
  quality: Record<string, unknown>;
  state: string;
  createdAt: Date;
}
interface AuditRow {
  actor: string;
  action: string;
  details: Record<string, unknown>;
  createdAt: Date;
}

export function buildThread(
  messages: readonly MessageView[],
  answers: readonly AnswerRow[],
  audit: readonly AuditRow[],
  photos: ReadonlyMap<number, number>,
  who: Who,
  /** The address of a message's n-th attachment, null when it cannot be opened. */
  fileHref: (message: Pick<MessageView, 'id' | 'channel'>, n: number, a: Partial<Attachment>) => string | null = () => null,
): ThreadItem[] {
  const items: ThreadItem[] = [];
  for (const m of messages) {
    const attachments = (m.attachments as Partial<Attachment>[]).map((a, n) => ({
      text: attachmentLine(a),
      href: fileHref(m, n, a),
    }));
    if (m.geo) attachments.push({ text: `геометка ${m.geo.lat.toFixed(5)}, ${m.geo.lon.toFixed(5)}`, href: null });
    items.push({
      at: m.platformAt,
      dir: 'in',
      who: m.author?.displayName ?? (m.author?.username ? `@${m.author.username}` : 'Житель'),
      label: 'Сообщение жителя',
      text: m.text,
      attachments,
      notes: [...(m.editedAt ? ['изменено жителем'] : []), ...(m.deletedAt ? ['удалено жителем'] : [])],
      permalink: m.permalink,
    });
  }
  for (const a of answers) {
    const verdict = verdictOf(a.quality);
    items.push({
      at: a.createdAt,
      dir: 'out',
      who: who(a.author),
      label: ANSWER_KINDS[a.kind] ?? a.kind,
      text: a.text,
      attachments: Array.from({ length: photos.get(a.id) ?? 0 }, () => ({ text: 'фото', href: null })),
      notes: [ANSWER_STATES[a.state] ?? a.state, ...(verdict ? [verdict] : [])],
      permalink: null,
    });
  }
  for (const e of audit) {
    if (e.action !== 'paused' || typeof e.details.question !== 'string') continue;
    items.push({
      at: e.createdAt,
      dir: 'out',
      who: who(e.actor),
      label: 'Вопрос жителю',
      text: e.details.question,
      attachments: [],
      notes: [],
      permalink: null,
    });
  }
  // Stable: at the same instant the citizen's message comes before what answers it.
  return items.sort((x, y) => x.at.getTime() - y.at.getTime());
}

export interface AuditLine {
  at: Date;
  who: string;
  what: string;
  detail: string;
  /** A case this line names (a merge), for a link. */
  link: string | null;
}

/** One line of the timeline: who, when, what, and the details that matter (statuses, reasons, dates). */
export function auditLine(a: AuditRow, who: Who, domain: DomainConfig): AuditLine {
  const d = a.details;
  const s = (k: string) => (typeof d[k] === 'string' ? (d[k] as string) : null);
  const when = (k: string) => (s(k) ? dateTime(s(k), domain.city) : '—');
  const dept = (id: unknown) => domain.departments.find((x) => x.id === id)?.name ?? (typeof id === 'string' ? id : '—');
  const cat = (id: unknown) => domain.categories.find((x) => x.id === id)?.name ?? (typeof id === 'string' ? id : '—');
  const status = () => (s('from') && s('to') ? `${named(t.status, s('from'))} → ${named(t.status, s('to'))}` : '');
  const parts: string[] = [];
  let link: string | null = null;
  switch (a.action) {
    case 'status_changed':
      parts.push(status());
      if (s('comment')) parts.push(`комментарий: ${s('comment')}`);
      break;
    case 'assigned':
      parts.push(dept(d.department));
      if (d.previousDepartment && d.previousDepartment !== d.department) parts.push(`было: ${dept(d.previousDepartment)}`);
      if (typeof d.assigneeId === 'number') parts.push(`исполнитель: ${who(`official:${d.assigneeId}`)}`);
      break;
    case 'reassignment':
      parts.push(`от: ${dept(d.department)}`, `причина: ${s('reason') ?? '—'}`);
      break;
    case 'answer_given':
    case 'answer_held':
      parts.push(ANSWER_KINDS[s('kind') ?? ''] ?? '');
      if (Array.isArray(d.problems) && d.problems.length > 0)
        parts.push(`замечания: ${d.problems.map((p) => GATE_PROBLEMS[String(p)] ?? String(p)).join(', ')}`);
      break;
    case 'extension_requested':
      parts.push(`до ${when('until')}`, `причина: ${s('reason') ?? '—'}`);
      break;
    case 'extension_decided':
      parts.push(EXTENSION_STATES[s('state') ?? ''] ?? '');
      if (s('to')) parts.push(`новый срок ${when('to')}`);
      if (s('comment')) parts.push(`комментарий: ${s('comment')}`);
      break;
    case 'paused':
      parts.push(`вопрос: ${s('question') ?? '—'}`);
      break;
    case 'resumed':
      if (s('to')) parts.push(`новый срок ${when('to')}`);
      break;
    case 'merged':
      parts.push(`в ${s('intoNumber') ?? '—'}`);
      link = s('intoNumber');
      break;
    case 'duplicate_joined':
      parts.push(s('duplicateNumber') ?? '');
      link = s('duplicateNumber');
      break;
    case 'category_corrected':
      parts.push(`${cat(d.from)} → ${cat(d.to)}`);
      break;
  }
  return {
    at: a.createdAt,
    who: who(a.actor),
    what: AUDIT_ACTIONS[a.action] ?? a.action,
    detail: parts.filter(Boolean).join('; '),
    link,
  };
}
