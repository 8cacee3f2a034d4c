import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import {
  type BroadcastListItem,
  type BroadcastPreview,
  type BroadcastReport,
  type BroadcastView,
  broadcastPeople,
  broadcastReasons,
  broadcastSettings,
  type ReasonCount,
} from '../../../../handlers/broadcasts/index.js';
import { BROADCAST_CHANNELS } from '../../../../models/broadcast.js';
import { AppError } from '../../../errors.js';
import type { ConsoleDeps } from '../../deps.js';
import * as fmt from '../../format.js';
import { named, t } from '../../texts-ru.js';
import { canApprove, canAuthor, readerOf } from './access.js';
import { channelWords, emptyWords, PRIORITY_NAMES, reasonWords, STATUS_NAMES, segmentWords } from './words.js';

export const OPS = ['approve', 'start', 'pause', 'resume', 'cancel'] as const;
export type Op = (typeof OPS)[number];

/**
 * What a broadcast's page shows, loaded through the broadcasts' use cases: the report (totals, rate,
 * time left), its people, and — a draft — the preview, or — started — why recipients were not reached.
 */
export interface Detail {
  report: BroadcastReport;
  people: BroadcastListItem;
  preview: BroadcastPreview | null;
  reasons: ReasonCount[];
}

const STATUS_OF_REFUSAL = { invalid: 400, forbidden: 403, not_found: 404, conflict: 409, empty: 422 } as const;

export async function loadDetail(request: FastifyRequest, deps: ConsoleDeps, id: number): Promise<Detail> {
  const caller = readerOf(request, deps);
  const read = { ...deps.query(), domain: deps.domain };
  const [report, people] = await Promise.all([deps.broadcasts.get(caller, id), broadcastPeople(read, caller, id)]);
  if (report.status !== 'ok') throw new AppError(report.code, report.message, STATUS_OF_REFUSAL[report.status]);
  if (people.status !== 'ok') throw new AppError(people.code, people.message, STATUS_OF_REFUSAL[people.status]);
  const draft = report.value.status === 'draft';
  const [preview, reasons] = await Promise.all([
    draft ? deps.broadcasts.preview(caller, id) : null,
    draft ? null : broadcastReasons(read, caller, id),
  ]);
  return {
    report: report.value,
    people: people.value,
    preview: preview?.status === 'ok' ? preview.value : null,
    reasons: reasons?.status === 'ok' ? reasons.value : [],
  };
}

/** What the author and an approver saw: a change of the draft since (through the API) makes a stale form. */
export function versionOf(b: BroadcastView): string {
  const content = [b.title, b.text, b.photoUrl, b.allowSplit, b.segment, b.priority, b.scheduledAt];
  return createHash('sha256').update(JSON.stringify(content)).digest('hex').slice(0, 16);
}

interface Control {
  op: Op;
  label: string;
  kind: 'primary' | 'danger' | '';
}

/** The buttons a person may press in this state: a role that may not act gets none. */
function controlsOf(request: FastifyRequest, deps: ConsoleDeps, d: Detail): Control[] {
  const author = canAuthor(request, deps);
  const b = d.report;
  const cancel: Control = { op: 'cancel', label: 'Отменить рассылку', kind: 'danger' };
  switch (b.status) {
    case 'draft': {
      const out: Control[] = [];
      const p = d.preview;
      const blocked = !p || p.recipients === 0 || (p.needsApproval && !p.approved);
      const later = b.scheduledAt !== null && b.scheduledAt.getTime() > deps.clock.now().getTime();
      if (author && !blocked)
        out.push({
          op: 'start',
          label: later ? `Запланировать на ${fmt.dateTime(b.scheduledAt, deps.domain.city)}` : 'Запустить',
          kind: 'primary',
        });
      if (mayApproveThis(request, deps, d)) out.push({ op: 'approve', label: 'Одобрить', kind: '' });
      if (author) out.push(cancel);
      return out;
    }
    case 'scheduled':
      return author ? [cancel] : [];
    case 'running':
      return author ? [{ op: 'pause', label: 'Пауза', kind: '' }, cancel] : [];
    case 'paused':
      return author ? [{ op: 'resume', label: 'Продолжить', kind: 'primary' }, cancel] : [];
    default:
      return [];
  }
}

const isAuthorOf = (request: FastifyRequest, d: Detail) =>
  d.people.authorId !== null && d.people.authorId === request.console?.person.id;

function mayApproveThis(request: FastifyRequest, deps: ConsoleDeps, d: Detail): boolean {
  return d.report.status === 'draft' && canApprove(request, deps) && !isAuthorOf(request, d) && d.report.approvedAt === null;
}

/** The approval's state in words (a draft): needed or not, given by whom, or why this person cannot give it. */
function approvalOf(request: FastifyRequest, deps: ConsoleDeps, d: Detail) {
  const p = d.preview;
  if (!p) return null;
  const settings = broadcastSettings(deps.domain);
  const roles = settings.approval.roles.map((r) => (deps.domain.roles as Record<string, string>)[r] ?? r).join('; ');
  const approved =
    d.report.approvedAt !== null
      ? `Одобрена: ${d.people.approverName ?? d.report.approvedBy ?? '—'}, ${fmt.dateTime(d.report.approvedAt, deps.domain.city)}.`
      : null;
  const needed = p.needsApproval
    ? `Получателей больше ${fmt.number(p.approvalThreshold)}: запуск — только после одобрения второго человека (${roles}).`
    : `Одобрение не нужно: получателей не больше ${fmt.number(p.approvalThreshold)}.`;
  const self =
    p.needsApproval && d.report.approvedAt === null && canApprove(request, deps) && isAuthorOf(request, d)
      ? 'Вы автор этой рассылки: свою рассылку одобрить нельзя — её одобряет второй человек.'
      : null;
  return { needed, approved, self, waiting: p.needsApproval && d.report.approvedAt === null };
}

const eta = (seconds: number | null) => (seconds === null ? '—' : seconds < 60 ? 'меньше минуты' : fmt.hours(seconds / 3600));

/** The progress block (a fragment of its own, polled every 3 s while the broadcast is running). */
export function progressOf(request: FastifyRequest, deps: ConsoleDeps, d: Detail) {
  const b = d.report;
  const row = (name: string, s: BroadcastReport['totals']) => ({
    name,
    total: s.pending + s.sending + s.sent + s.blocked + s.failed + s.skipped,
    sent: s.sent,
    blocked: s.blocked,
    failed: s.failed,
    skipped: s.skipped,
    waiting: s.pending + s.sending,
  });
  const channels = BROADCAST_CHANNELS.filter((c) => b.byChannel[c]).map((c) =>
    row(named(t.channel, c), b.byChannel[c] as BroadcastReport['totals']),
  );
  const all = row('Всего', b.totals);
  const minutes = b.startedAt && b.finishedAt ? (b.finishedAt.getTime() - b.startedAt.getTime()) / 60_000 : null;
  return {
    id: b.id,
    status: b.status,
    statusName: STATUS_NAMES[b.status],
    running: b.status === 'running',
    finished: b.status === 'done' || b.status === 'cancelled',
    startedAt: b.startedAt,
    finishedAt: b.finishedAt,
    scheduledAt: b.scheduledAt,
    channels,
    all,
    share: all.total > 0 ? (all.total - all.waiting) / all.total : null,
    rate: b.ratePerMinute,
    eta: eta(b.etaSeconds),
    duration: minutes === null ? null : minutes < 1 ? 'меньше минуты' : fmt.hours(minutes / 60),
    // An average over less than a minute says nothing.
    averageRate: minutes !== null && minutes >= 1 ? Math.round(all.sent / minutes) : null,
    reasons: d.reasons.map((r) => ({ status: named(t.recipientStatus, r.status), reason: reasonWords(r.reason), n: r.n })),
    controls: controlsOf(request, deps, d),
    version: versionOf(b),
    csrf: request.console?.csrfToken ?? '',
    city: deps.domain.city,
  };
}

/** The whole page's data. */
export function pageOf(request: FastifyRequest, deps: ConsoleDeps, d: Detail, notice: { text: string; alert: boolean } | null) {
  const b = d.report;
  const p = d.preview;
  return {
    title: `Рассылка: ${b.title}`,
    section: 'broadcasts',
    b,
    statusName: STATUS_NAMES[b.status],
    priorityName: PRIORITY_NAMES[b.priority],
    segmentText: segmentWords(b.segment, deps.domain),
    authorName: d.people.authorName ?? b.author,
    notice,
    preview: p
      ? {
          ...p,
          channelsText: channelWords(p.byChannel),
          unsendableText: p.unsendable.map((c) => named(t.channel, c)).join(', '),
          emptyText: p.recipients === 0 ? emptyWords(b.segment, p.excluded) : null,
        }
      : null,
    approval: approvalOf(request, deps, d),
    progress: progressOf(request, deps, d),
  };
}
