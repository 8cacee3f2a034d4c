import type { FastifyRequest } from 'fastify';
import { caseAnswers } from '../../../../handlers/answers/index.js';
import {
  answerPhotos,
  assignees,
  caseAudit,
  caseDetail,
  caseState,
  listExtensions,
  peopleNames,
  WORKING_STATUSES,
} from '../../../../handlers/cases/index.js';
import { type WorkingCalendar, workingTimeBetween } from '../../../../lib/deadlines/index.js';
import { parseActor } from '../../../../models/actor.js';
import { answerOnPage } from '../../../../models/answer-target.js';
import { canTransition } from '../../../../models/case-lifecycle.js';
import { caseCard } from '../../../../models/case-query.js';
import { NotFoundError } from '../../../errors.js';
import { requireCaseScope } from '../../../http/principal.js';
import { can } from '../../auth.js';
import type { ConsoleDeps } from '../../deps.js';
import { attachmentHref } from './attachment-href.js';
import { actorLabel, auditLine, buildThread } from './history.js';

/** Statuses a case may be merged from or into (handlers/cases/merge.ts), and routed by hand in (reassign.ts). */
const OPEN_STATUSES: readonly string[] = ['new', 'triage', ...WORKING_STATUSES];

export type CaseDetail = NonNullable<Awaited<ReturnType<typeof caseDetail>>>;

/** Everything the case page shows, read in one round of bounded queries (no loop over rows). */
export async function loadCase(deps: ConsoleDeps, request: FastifyRequest, key: number | string) {
  const q = deps.query();
  const c = await caseDetail(q, key);
  if (!c) throw new NotFoundError(`case ${key}`);
  requireCaseScope(request, c.department);
  const triage = can(request, 'triage');
  const [state, answers, audit, extensions, photos, people, card] = await Promise.all([
    caseState(q, c.id),
    caseAnswers(q, c.id),
    caseAudit(q, c.id),
    listExtensions(q, { caseId: c.id }),
    answerPhotos(q, c.id),
    triage ? assignees(q) : Promise.resolve([]),
    caseCard(q.db, c.id),
  ]);
  const ids = [
    ...audit.map((a) => a.actor),
    ...answers.map((a) => a.author),
    ...extensions.flatMap((e) => [e.requestedBy, e.decidedBy ?? '']),
    ...audit.flatMap((a) => (typeof a.details.assigneeId === 'number' ? [`official:${a.details.assigneeId}`] : [])),
  ]
    .map(parseActor)
    .flatMap((a) => (a && (a.type === 'official' || a.type === 'operator') ? [a.officialId] : []));
  const names = await peopleNames(q, ids);
  const who = (stored: string) => actorLabel(stored, names);
  const now = deps.clock.now();
  const paused = state?.pausedAt ?? null;
  const merged = state?.mergedInto ?? null;
  const pending = extensions.find((e) => e.state === 'pending') ?? null;
  const answered = answers.some((a) => a.state !== 'held' && a.state !== 'rejected');
  const working = merged === null && WORKING_STATUSES.includes(c.status);
  const allowed = {
    take: merged === null && canTransition(c.status, 'in_progress'),
    final: merged === null && canTransition(c.status, 'answered'),
    interim: merged === null && (canTransition(c.status, 'interim_replied') || c.status === 'interim_replied'),
    extension:
      working &&
      pending === null &&
      c.deadlineAt !== null &&
      c.latestDeadlineAt !== null &&
      c.latestDeadlineAt.getTime() > c.deadlineAt.getTime(),
    question: working,
    return: working,
    merge: triage && merged === null && OPEN_STATUSES.includes(c.status),
    reassign: triage && merged === null && OPEN_STATUSES.includes(c.status),
  };
  const calendar = deps.actions().calendar;
  const left = (at: Date | null) => (at ? workingTimeBetween(calendar, paused ?? now, at) : null);
  const closed = c.status === 'answered' || c.status === 'closed';
  return {
    c,
    version: c.updatedAt.toISOString(),
    state,
    paused,
    deadlines: [
      {
        key: 'first',
        label: 'Первый ответ',
        at: c.firstResponseDueAt,
        done: answered,
        leftMinutes: answered ? null : left(c.firstResponseDueAt),
      },
      {
        key: 'final',
        label: 'Окончательный ответ',
        at: c.deadlineAt,
        done: closed,
        leftMinutes: closed ? null : left(c.deadlineAt),
      },
    ].filter((d) => d.at !== null),
    latestDeadlineAt: c.latestDeadlineAt,
    provisional: c.deadlineProvisional ? provisionalNote(calendar, c.createdAt, c.deadlineAt ?? c.firstResponseDueAt) : null,
    thread: buildThread(c.messages, answers, audit, photos, who, (m, n, a) => attachmentHref(deps, c.number, m, n, a)),
    answers: answers.map((a) => ({ ...a, who: who(a.author), photos: photos.get(a.id) ?? 0 })),
    timeline: audit.map((a) => auditLine(a, who, deps.domain)),
    extensions: extensions.map((e) => ({ ...e, who: who(e.requestedBy), decider: e.decidedBy ? who(e.decidedBy) : null })),
    pending,
    allowed,
    people,
    /** A channel's comment (MAX): the answer is given on the page; here it is only recorded. */
    onPage: answerOnPage(card?.answer_place),
    pageLink: card?.permalink ?? null,
  };
}

export type CasePage = Awaited<ReturnType<typeof loadCase>>;

/**
 * Why a deadline is provisional, for «Сроки»: the first year from registration to the deadline the
 * calendar still lacks, or (the year imported since) that it was counted before the import.
 */
function provisionalNote(calendar: WorkingCalendar, from: Date, to: Date | null): string {
  const first = Number(calendar.localDateOf(from).slice(0, 4));
  const last = to ? Number(calendar.localDateOf(to).slice(0, 4)) : first;
  for (let y = first; y <= last; y++)
    if (!calendar.knowsYear(y)) return `Срок предварительный: производственный календарь на ${y} год не загружен`;
  return 'Срок предварительный: рассчитан до загрузки производственного календаря';
}

/** Working minutes as «12 ч 30 мин» (no days: a working day is not 24 hours). */
export function workingHours(minutes: number): string {
  const m = Math.round(Math.abs(minutes));
  const h = Math.floor(m / 60);
  const rest = m % 60;
  return h > 0 ? `${h} ч ${rest} мин` : `${rest} мин`;
}
