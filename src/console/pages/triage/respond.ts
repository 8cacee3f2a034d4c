import type { FastifyReply, FastifyRequest } from 'fastify';
import { TRIAGE_STATUSES, triageCase, triageQueuePage } from '../../../../handlers/cases/index.js';
import type { ConsoleDeps } from '../../deps.js';
import { errorPage } from '../../errors.js';
import { parseForm } from '../../form.js';
import { query } from '../../format.js';
import { renderFragment, renderPage } from '../../render.js';
import { options } from '../cases.js';
import {
  decodeCursor,
  encodeCursor,
  PAGE_SIZE,
  queryFilters,
  type RowProblem,
  rowView,
  shownFilters,
  type TriageListFilters,
  type TriageRowView,
  triageFilters,
} from './model.js';
import type { Refusal, Verdict } from './verdict.js';

/**
 * How Разбор answers: the page, the list alone (a live refresh), and a form's verdict — with htmx a
 * fragment that replaces the row, without JS a redirect back (303) or the page with the problem.
 */
/** What the use case said: htmx's fragment, or without JS a redirect back (303) or the page with the problem. */
export async function answer(
  request: FastifyRequest,
  reply: FastifyReply,
  deps: ConsoleDeps,
  caseId: number,
  filters: TriageListFilters,
  verdict: Verdict,
): Promise<FastifyReply> {
  if (verdict.kind === 'not_found') return errorPage(reply, request, deps, 404, 'Такого обращения нет.');
  if (verdict.kind === 'problem') return refuse(request, reply, deps, caseId, filters, verdict);
  const department = options(deps).departments.find((x) => x.id === verdict.department);
  const row = await triageCase(deps.query(), caseId);
  if (request.headers['hx-request'])
    return renderFragment(reply, 'triage-done', {
      number: row?.number ?? '',
      department: department?.name ?? verdict.department,
    });
  const back = { ...shownFilters(filters, true), done: row?.number, to: verdict.department };
  return reply.redirect(`/console/triage${query(back)}`, 303);
}

/** A refusal (400 field, 409 stale, 422 cannot): the row again with the message, or the whole page with it. */
export async function refuse(
  request: FastifyRequest,
  reply: FastifyReply,
  deps: ConsoleDeps,
  caseId: number,
  values: Record<string, unknown>,
  verdict: Refusal,
): Promise<FastifyReply> {
  const filters = parseForm(triageFilters, values);
  const shown = filters.ok ? filters.data : {};
  const found = await triageCase(deps.query(), caseId);
  const still = found && (TRIAGE_STATUSES as readonly string[]).includes(found.status);
  const gone = found && !still ? rowView(deps, found) : null;
  if (request.headers['hx-request'])
    return renderFragment(
      reply,
      'triage-row',
      {
        ...fragmentData(request, deps, shown),
        row: still ? rowView(deps, found) : null,
        gone,
        problem: verdict.problem,
        // The message also goes to the page's status line: a refresh of the list would wipe the row's.
        oob: true,
      },
      verdict.status,
    );
  return page(request, reply, deps, shown, { problem: verdict.problem, gone }, verdict.status);
}

export async function page(
  request: FastifyRequest,
  reply: FastifyReply,
  deps: ConsoleDeps,
  filters: Partial<TriageListFilters>,
  extra: { done?: { number: string; department: string } | null; problem?: RowProblem; gone?: TriageRowView | null },
  status = 200,
): Promise<FastifyReply> {
  const data = await listData(request, deps, filters, extra.problem ?? null);
  return renderPage(
    reply,
    request,
    deps,
    'triage',
    { title: 'Разбор', section: 'triage', ...data, done: extra.done ?? null, gone: extra.gone ?? null },
    status,
  );
}

/** The list (page or refresh): one page of the queue, its count, the next page's cursor. */
export async function listData(
  request: FastifyRequest,
  deps: ConsoleDeps,
  filters: Partial<TriageListFilters>,
  problem: RowProblem | null,
) {
  const after = decodeCursor(filters.after);
  const list = await triageQueuePage(deps.query(), queryFilters(filters), {
    limit: PAGE_SIZE,
    ...(after ? { after } : {}),
  });
  return {
    ...fragmentData(request, deps, filters),
    items: list.items.map((c) => rowView(deps, c)),
    total: list.total,
    next: list.next ? encodeCursor(list.next) : null,
    first: Boolean(after),
    problem,
  };
}

/** What every fragment of the section needs (renderFragment adds no layout data). */
function fragmentData(request: FastifyRequest, deps: ConsoleDeps, filters: Partial<TriageListFilters>) {
  return {
    filters: shownFilters(filters),
    page: shownFilters(filters, true),
    options: options(deps),
    city: deps.domain.city,
    csrf: request.console?.csrfToken ?? '',
  };
}
