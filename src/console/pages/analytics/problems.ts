import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { PROBLEM_STATUSES } from '../../../../handlers/analytics/index.js';
import { AppError } from '../../../errors.js';
import { requireAction } from '../../../http/principal.js';
import { sendProblemsExport } from '../../../http/routes/analytics-exports.js';
import type { ConsoleDeps } from '../../deps.js';
import { parseForm } from '../../form.js';
import { renderPage } from '../../render.js';
import { options } from '../cases.js';

const PAGE_SIZE = 50;
/** The export's rows: the whole filtered list, up to this many (the API's own export stops at 500). */
const EXPORT_MAX = 10_000;
/** The trend windows offered, in days (the API takes any of 1–365). */
export const WINDOWS = [7, 30, 90] as const;

const blank = (v: unknown) => (v === '' ? undefined : v);
const key = z.preprocess(blank, z.string().trim().min(1).max(80).optional());

/** The list's filters, all in the URL; unknown keys are ignored. */
export const problemFilters = z.object({
  status: z.preprocess(blank, z.enum(PROBLEM_STATUSES).optional()),
  category: key,
  district: key,
  sort: z.preprocess(blank, z.enum(['volume', 'growth']).default('volume')),
  window: z.preprocess(blank, z.coerce.number().int().min(1).max(365).default(30)),
  page: z.preprocess(blank, z.coerce.number().int().min(1).max(10_000).default(1)),
});
type ProblemFilters = z.infer<typeof problemFilters>;

/**
 * Проблемы: the city's problem list (regulation 2.2.7) — lifecycle, volume and trend — filtered by the
 * URL, 50 a page; each problem opens the list of its cases. Roles that see all cases (the API's rule).
 */
export function problemsPages(app: FastifyInstance, deps: ConsoleDeps): void {
  app.get('/problems', async (request, reply) => {
    requireAction(request, 'cases:all');
    const parsed = parseForm(problemFilters, request.query);
    const known = parsed.ok ? unknownNames(parsed.data, deps) : {};
    const errors = parsed.ok ? known : parsed.errors;
    const filters = parsed.ok ? parsed.data : undefined;
    let items: Awaited<ReturnType<typeof listPage>>['items'] = [];
    let more = false;
    if (filters && Object.keys(known).length === 0) ({ items, more } = await listPage(deps, filters));
    const { page: _page, ...shown } = filters ?? (parsed.ok ? {} : (parsed.values as Record<string, unknown>));
    return renderPage(
      reply,
      request,
      deps,
      'problems',
      {
        title: 'Проблемы',
        section: 'problems',
        filters: shown,
        errors,
        page: filters?.page ?? 1,
        more,
        items,
        options: { ...options(deps), statuses: PROBLEM_STATUSES, windows: WINDOWS },
        window: filters?.window ?? 30,
      },
      Object.keys(errors).length > 0 ? 400 : 200,
    );
  });

  for (const format of ['csv', 'xlsx'] as const) {
    app.get(`/problems.${format}`, async (request, reply) => {
      requireAction(request, 'cases:all');
      const parsed = parseForm(problemFilters, request.query);
      if (!parsed.ok) throw new AppError('VALIDATION_FAILED', 'invalid filters', 400);
      const { page: _page, ...query } = parsed.data;
      return sendProblemsExport(request, reply, deps.analytics, deps, { format, query: { ...query, limit: EXPORT_MAX } });
    });
  }
}

/** One page of the list, and whether there is a next one (one row more is asked for). */
async function listPage(deps: ConsoleDeps, f: ProblemFilters) {
  const { page, window, ...rest } = f;
  const outcome = await deps.analytics.problems({
    ...rest,
    windowDays: window,
    limit: PAGE_SIZE + 1,
    offset: (page - 1) * PAGE_SIZE,
  });
  if (outcome.status !== 'ok') throw new AppError(outcome.code, outcome.message, 400);
  return { items: outcome.items.slice(0, PAGE_SIZE), more: outcome.items.length > PAGE_SIZE };
}

/** A category or district the domain file does not have, as a field message (the use case would refuse it). */
function unknownNames(f: ProblemFilters, deps: ConsoleDeps): Record<string, string> {
  const errors: Record<string, string> = {};
  if (f.category !== undefined && !deps.domain.categories.some((c) => c.id === f.category))
    errors.category = 'Такой категории нет в справочнике.';
  if (f.district !== undefined && !deps.domain.districts.some((d) => d.id === f.district))
    errors.district = 'Такого района нет в справочнике.';
  return errors;
}
