import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { assignCase, TRIAGE_STATUSES, triageQueueWatermark } from '../../../handlers/cases/index.js';
import { correctCategory } from '../../../handlers/structuring/index.js';
import { AppError } from '../../errors.js';
import { actorOf } from '../../http/principal.js';
import { sendCaseExport } from '../../http/routes/exports.js';
import { can } from '../auth.js';
import type { ConsoleDeps } from '../deps.js';
import { parseForm } from '../form.js';
import { EventStreams, LiveFeed } from '../live.js';
import { renderFragment } from '../render.js';
import { options } from './cases.js';
import { caseIdParam, categoryForm, departmentForm, triageFilters } from './triage/model.js';
import { answer, listData, page, refuse } from './triage/respond.js';
import { problem, type Refusal, verdictOf } from './triage/verdict.js';

/** The page's own query beyond the filters: what the last form did (after its redirect, without JS). */
const pageQuery = triageFilters.extend({
  done: z.preprocess((v) => (v === '' ? undefined : v), z.string().max(40).optional()),
  to: z.preprocess((v) => (v === '' ? undefined : v), z.string().max(80).optional()),
});

export interface TriageLiveOptions {
  /** How often the one poller of this process reads the queue's watermark while someone watches. */
  pollMs: number;
  heartbeatMs?: number;
}

/**
 * Разбор: the cases waiting for a category or a department (the bot's /queue), urgent first, then the
 * oldest, with the classifier's guesses. One click sets the category (the operators' correction: the
 * case is routed and the classifier learns it) or the department (routing by hand); both check that
 * the case is still as the page showed it. The list refreshes itself when the queue changes (SSE).
 */
export function triagePages(app: FastifyInstance, deps: ConsoleDeps, live: TriageLiveOptions = { pollMs: 2_000 }): void {
  const streams = new EventStreams(
    new LiveFeed({
      read: () => triageQueueWatermark(deps.query()),
      intervalMs: live.pollMs,
      onError: (err) => app.log.warn({ err }, 'triage live feed: the watermark read failed'),
    }),
    live.heartbeatMs ? { heartbeatMs: live.heartbeatMs } : {},
  );
  app.addHook('preClose', async () => streams.close());

  app.get('/triage', async (request, reply) => {
    requireTriage(request);
    const parsed = parseForm(pageQuery, request.query);
    if (!parsed.ok) throw new AppError('VALIDATION_FAILED', 'invalid filters', 400);
    const { done, to, ...filters } = parsed.ok ? parsed.data : ({} as z.infer<typeof pageQuery>);
    const department = to ? options(deps).departments.find((d) => d.id === to) : undefined;
    return page(request, reply, deps, filters, {
      done: done && department ? { number: done, department: department.name } : null,
    });
  });

  app.get('/triage/rows', async (request, reply) => {
    requireTriage(request);
    const parsed = parseForm(triageFilters, request.query);
    if (!parsed.ok) throw new AppError('VALIDATION_FAILED', 'invalid filters', 400);
    const data = await listData(request, deps, parsed.data, null);
    return renderFragment(reply, 'triage-list', data);
  });

  // «Выгрузить»: the whole queue the list shows (new and triage, the same filters), as the cases list exports.
  for (const format of ['csv', 'xlsx'] as const) {
    app.get(`/triage.${format}`, async (request, reply) => {
      requireTriage(request);
      const parsed = parseForm(triageFilters, request.query);
      if (!parsed.ok) throw new AppError('VALIDATION_FAILED', 'invalid filters', 400);
      const { district, channel, priority } = parsed.data;
      return sendCaseExport(
        request,
        reply,
        { ...deps.query(), domain: deps.domain },
        {
          format,
          filters: { district, channel, priority, statuses: TRIAGE_STATUSES },
        },
      );
    });
  }

  app.get('/triage/events', async (request, reply) => {
    requireTriage(request);
    streams.open(request, reply);
  });

  app.post('/triage/:id/category', async (request, reply) => {
    requireTriage(request);
    const { id } = parseId(request);
    const form = parseForm(categoryForm, request.body);
    if (!form.ok) return refuse(request, reply, deps, id, form.values, invalid(id, 'category', form.errors));
    const d = deps.actions();
    const outcome = await correctCategory(
      { ...d, actions: d },
      {
        caseId: id,
        category: form.data.category,
        actor: actorOf(request),
        expect: { updatedAt: new Date(form.data.version), statuses: TRIAGE_STATUSES },
      },
    );
    const name = options(deps).categories.find((c) => c.id === form.data.category)?.name ?? form.data.category;
    return answer(request, reply, deps, id, form.data, verdictOf(id, { form: 'category', ...outcome }, name));
  });

  app.post('/triage/:id/department', async (request, reply) => {
    requireTriage(request);
    const { id } = parseId(request);
    const form = parseForm(departmentForm, request.body);
    if (!form.ok) return refuse(request, reply, deps, id, form.values, invalid(id, 'department', form.errors));
    const outcome = await assignCase(deps.actions(), {
      caseId: id,
      department: form.data.department,
      actor: actorOf(request),
      expect: { updatedAt: new Date(form.data.version), statuses: TRIAGE_STATUSES },
    });
    const name = options(deps).departments.find((x) => x.id === form.data.department)?.name ?? form.data.department;
    return answer(request, reply, deps, id, form.data, verdictOf(id, { form: 'department', ...outcome }, name));
  });
}

/** Only the operators and the head of the МЦУ; a forged request from anyone else is 403. */
function requireTriage(request: FastifyRequest): void {
  if (!can(request, 'triage')) throw new AppError('FORBIDDEN', 'triage is for the МЦУ operators', 403);
}

function parseId(request: FastifyRequest): { id: number } {
  const parsed = caseIdParam.safeParse(request.params);
  if (!parsed.success) throw new AppError('NOT_FOUND', 'no such case', 404);
  return parsed.data;
}

/** A form's field error on its row (the version field's error is the row's message). */
function invalid(caseId: number, field: 'category' | 'department', errors: Record<string, string>): Refusal {
  const message = errors[field] ?? errors.version ?? Object.values(errors)[0] ?? 'Неверное значение.';
  return problem(400, { caseId, ...(errors[field] ? { field } : {}), message });
}
