import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { type DecidedRecommendation, mayDecide } from '../../../../handlers/analytics/index.js';
import { officials } from '../../../../handlers/people/index.js';
import { AppError, NotFoundError } from '../../../errors.js';
import { actorOf } from '../../../http/principal.js';
import { viewerOf } from '../../../http/routes/analytics.js';
import type { ConsoleDeps } from '../../deps.js';
import { type FieldErrors, parseForm } from '../../form.js';
import { departmentTitle, renderPage } from '../../render.js';
import { cityToday, type Period, periodTitle, presets, readPeriod } from './period.js';
import { evidenceOf } from './recommendation-evidence.js';

/** The decision form: the recommendation, the decision, the comment, and what the page showed (stale check). */
const decisionForm = z.object({
  id: z.string().min(1).max(200),
  decision: z.enum(['accepted', 'dismissed'], 'Выберите «Принять» или «Отклонить».'),
  comment: z.string().trim().max(2000).optional(),
  /** The decision the page showed: `none`, `accepted` or `dismissed`. */
  shown: z.enum(['none', 'accepted', 'dismissed']),
  from: z.string().max(10),
  to: z.string().max(10),
});

/** A form's verdict on one recommendation, for the page re-rendered with it. */
interface FormState {
  id: string;
  errors: FieldErrors;
  values: Record<string, unknown>;
  message?: string;
}

/**
 * Рекомендации (regulation 2.2.9, 4.3): the rules' recommendations for a period with their evidence;
 * the МЦУ's head and operators accept or dismiss (a dismissal says why), the API's use case and its
 * roles (a department head sees those addressed to their department; an official none). The default
 * period is the last full week, the weekly report's, so a decision here is the one the report reads.
 */
export function recommendationsPages(app: FastifyInstance, deps: ConsoleDeps): void {
  app.get('/recommendations', async (request, reply) => {
    const read = readPeriod(request.query, deps, 'last-week');
    if (!read.ok) {
      // The role first: a forbidden caller learns nothing else.
      if (!mayView(request)) throw new AppError('FORBIDDEN', 'your role may not see recommendations', 403);
      return page(reply, request, deps, { errors: read.errors, values: read.values }, 400);
    }
    const saved = String((request.query as Record<string, unknown>).saved ?? '');
    return page(reply, request, deps, { period: read.period, saved });
  });

  app.post('/recommendations/decision', async (request, reply) => {
    const viewer = viewerOf(request);
    if (!mayDecide(viewer)) throw new AppError('FORBIDDEN', 'only the МЦУ head and staff decide on recommendations', 403);
    const parsed = parseForm(decisionForm, request.body);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const read = readPeriod({ from: body.from, to: body.to }, deps, 'last-week');
    if (!read.ok) throw new AppError('VALIDATION_FAILED', 'invalid period', 400);
    const { period } = read;
    if (!parsed.ok) {
      const state = { id: String(body.id ?? ''), errors: parsed.errors, values: parsed.values };
      return page(reply, request, deps, { period, form: state }, 400);
    }
    const form = parsed.data;
    const comment = form.comment ? form.comment : null;
    if (form.decision === 'dismissed' && comment === null)
      return page(
        reply,
        request,
        deps,
        { period, form: { id: form.id, errors: { comment: 'Напишите, почему рекомендация отклонена.' }, values: form } },
        400,
      );
    const current = await findOne(deps, viewer, period, form.id);
    const decided = current.decision ?? 'none';
    if (decided !== form.shown)
      return page(
        reply,
        request,
        deps,
        {
          period,
          form: {
            id: form.id,
            errors: {},
            values: form,
            message: 'Решение по этой рекомендации уже принято, пока страница была открыта. Проверьте его ниже.',
          },
        },
        409,
      );
    const outcome = await deps.analytics.decideRecommendation({
      id: form.id,
      decision: form.decision,
      comment,
      viewer,
      actor: actorOf(request),
    });
    if (outcome.status === 'forbidden') throw new AppError('FORBIDDEN', outcome.message, 403);
    if (outcome.status === 'not_found') throw new NotFoundError(`recommendation ${form.id}`);
    if (outcome.status === 'invalid')
      return page(
        reply,
        request,
        deps,
        { period, form: { id: form.id, errors: { comment: outcome.message }, values: form } },
        400,
      );
    const back = new URLSearchParams({ from: period.fromDay, to: period.toDay, saved: form.id });
    return reply.redirect(`/console/recommendations?${back}#${anchorOf(form.id)}`, 303);
  });
}

/** Who may open the page: the use case's rule (every recommendation for staff, a department head their own). */
function mayView(request: FastifyRequest): boolean {
  const person = request.console?.person;
  return person !== undefined && person.role !== 'official';
}

/** The recommendation `id` of the period as the viewer sees it; 404 when no rule gives it now. */
async function findOne(deps: ConsoleDeps, viewer: ReturnType<typeof viewerOf>, period: Period, id: string) {
  const outcome = await deps.analytics.recommendations({ from: period.from, to: period.to, viewer });
  if (outcome.status === 'forbidden') throw new AppError('FORBIDDEN', outcome.message, 403);
  if (outcome.status !== 'ok') throw new AppError(outcome.code, outcome.message, 400);
  const found = outcome.report.items.find((r) => r.id === id);
  if (!found) throw new NotFoundError(`recommendation ${id}`);
  return found;
}

/** An element id for a recommendation (its id has dots and tildes). */
export function anchorOf(id: string): string {
  return `rec-${id.replace(/[^a-z0-9-]/gi, '-')}`;
}

async function page(
  reply: FastifyReply,
  request: FastifyRequest,
  deps: ConsoleDeps,
  data: { period?: Period; errors?: FieldErrors; values?: Record<string, unknown>; form?: FormState; saved?: string },
  status = 200,
) {
  const viewer = viewerOf(request);
  const { period } = data;
  let items: DecidedRecommendation[] = [];
  if (period) {
    const outcome = await deps.analytics.recommendations({ from: period.from, to: period.to, viewer });
    if (outcome.status === 'forbidden') throw new AppError('FORBIDDEN', outcome.message, 403);
    if (outcome.status !== 'ok') throw new AppError(outcome.code, outcome.message, 400);
    items = outcome.report.items;
  }
  const person = request.console?.person;
  const scoped = person?.role === 'department_head';
  const names = items.some((r) => r.decidedBy?.startsWith('official:'))
    ? new Map((await officials(deps.query())).map((o) => [`official:${o.id}`, o.name]))
    : new Map<string, string>();
  return renderPage(
    reply,
    request,
    deps,
    'recommendations',
    {
      title: 'Рекомендации',
      section: 'recommendations',
      scopeName: scoped && person ? departmentTitle(deps, person.department) : null,
      period: period ?? null,
      periodTitle: period ? periodTitle(period) : '',
      filters: period ? { from: period.fromDay, to: period.toDay } : (data.values ?? {}),
      errors: data.errors ?? {},
      presets: presets(cityToday(deps)),
      action: '/console/recommendations',
      items: items.map((r) => ({
        ...r,
        anchor: anchorOf(r.id),
        addresseeName: r.addressee.kind === 'mcu' ? 'МЦУ' : departmentTitle(deps, r.addressee.id),
        evidenceRows: evidenceOf(r, deps.domain),
        decider:
          r.decidedBy === null ? null : (names.get(r.decidedBy) ?? (r.decidedBy.startsWith('api:') ? 'через API' : r.decidedBy)),
      })),
      mayDecide: mayDecide(viewer),
      form: data.form ?? null,
      saved: data.saved && items.some((r) => r.id === data.saved) ? data.saved : null,
    },
    status,
  );
}
