import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { type Cursor, casesPage } from '../../../handlers/cases/index.js';
import { CASE_STATUSES } from '../../../models/case-lifecycle.js';
import { CHANNELS } from '../../../models/intake.js';
import { AppError } from '../../errors.js';
import { departmentScope } from '../../http/principal.js';
import { sendCaseExport } from '../../http/routes/exports.js';
import type { ConsoleDeps } from '../deps.js';
import { consoleText, parseForm } from '../form.js';
import { renderPage } from '../render.js';

const PAGE_SIZE = 50;
const blank = (v: unknown) => (v === '' ? undefined : v);
/** A real calendar day (not 2026-02-30, not 2026-99-99) in the years the API accepts. */
const isDay = (v: string) => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) return false;
  const d = new Date(`${v}T00:00:00Z`);
  return (
    !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v && d.getUTCFullYear() >= 2000 && d.getUTCFullYear() <= 2100
  );
};
const day = z.preprocess(blank, z.string().refine(isDay, 'Дата в виде ГГГГ-ММ-ДД (такой день есть в календаре).').optional());
const key = (max: number) => consoleText(max);

/** The list's filters, all in the URL (a list can be shared as a link); unknown keys are ignored. */
export const caseListFilters = z.object({
  status: z.preprocess(blank, z.enum(CASE_STATUSES).optional()),
  category: key(80),
  department: key(80),
  district: key(80),
  priority: z.preprocess(blank, z.enum(['urgent', 'normal']).optional()),
  channel: z.preprocess(blank, z.enum(CHANNELS).optional()),
  problem: z.preprocess(blank, z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional()),
  q: key(200),
  /** `no`: without the duplicates merged into another case, as the heat map counts (its cells link here). */
  merged: z.preprocess(blank, z.enum(['no']).optional()),
  from: day,
  to: day,
  after: z.preprocess(blank, z.string().max(200).optional()),
});
export type CaseListFilters = z.infer<typeof caseListFilters>;

/** The filters as the case query takes them: days in the city's time zone become instants. */
export function caseQuery(filters: CaseListFilters, deps: Pick<ConsoleDeps, 'domain'>) {
  const { from, to, after: _after, merged, ...rest } = filters;
  return {
    ...rest,
    ...(merged === 'no' ? { merged: false } : {}),
    ...(from ? { from: cityMidnight(from, deps.domain.city.timezone) } : {}),
    ...(to ? { to: cityMidnight(nextDay(to), deps.domain.city.timezone) } : {}),
  };
}

/**
 * Обращения: every case the person may see, filtered by the URL, 50 a page (keyset: «Дальше»), with
 * «Выгрузить CSV / XLSX» of the whole filtered list — the same filters, the same department scope.
 */
export function casesPages(app: FastifyInstance, deps: ConsoleDeps): void {
  app.get('/cases', async (request, reply) => {
    const parsed = parseForm(caseListFilters, request.query);
    const filters = parsed.ok ? parsed.data : ({} as CaseListFilters);
    const scope = scopeFor(request, filters);
    const page = parsed.ok
      ? await casesPage(
          deps.query(),
          { ...caseQuery(filters, deps), ...(scope ? { department: scope } : {}) },
          {
            limit: PAGE_SIZE,
            ...withAfter(filters.after),
          },
        )
      : { items: [], next: null };
    const { after: _after, ...shown } = parsed.ok ? filters : (parsed.values as Record<string, unknown>);
    return renderPage(
      reply,
      request,
      deps,
      'cases',
      {
        title: 'Обращения',
        section: 'cases',
        filters: shown,
        errors: parsed.ok ? {} : parsed.errors,
        scope,
        items: page.items,
        next: page.next ? encodeAfter(page.next) : null,
        first: Boolean(filters.after),
        options: options(deps),
      },
      parsed.ok ? 200 : 400,
    );
  });

  for (const format of ['csv', 'xlsx'] as const) {
    app.get(`/cases.${format}`, async (request, reply) => {
      const parsed = parseForm(caseListFilters, request.query);
      if (!parsed.ok) throw new AppError('VALIDATION_FAILED', 'invalid filters', 400);
      scopeFor(request, parsed.data);
      return sendCaseExport(
        request,
        reply,
        { ...deps.query(), domain: deps.domain },
        { format, filters: caseQuery(parsed.data, deps) },
      );
    });
  }
}

/** The person's department when their role sees only it; another department in the filter is 403. */
function scopeFor(request: FastifyRequest, filters: CaseListFilters): string | null {
  const scope = departmentScope(request);
  if (scope !== null && filters.department !== undefined && filters.department !== scope)
    throw new AppError('FORBIDDEN', 'this department is not yours', 403);
  return scope;
}

/** The filter form's choices, from the domain file. */
export function options(deps: Pick<ConsoleDeps, 'domain'>) {
  const { domain } = deps;
  return {
    statuses: CASE_STATUSES,
    channels: CHANNELS,
    categories: domain.categories.map((c) => ({ id: c.id, name: c.name })),
    departments: domain.departments.map((d) => ({ id: d.id, name: d.name })),
    districts: domain.districts.map((d) => ({ id: d.id, name: d.name })),
  };
}

function encodeAfter(cursor: Cursor): string {
  return Buffer.from(JSON.stringify({ at: cursor.at.toISOString(), id: cursor.id })).toString('base64url');
}

function withAfter(value: string | undefined): { after?: Cursor } {
  if (!value) return {};
  try {
    const raw = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as { at?: unknown; id?: unknown };
    const at = new Date(String(raw.at));
    if (Number.isNaN(at.getTime()) || !Number.isSafeInteger(raw.id)) return {};
    return { after: { at, id: raw.id as number } };
  } catch {
    return {};
  }
}

function nextDay(isoDay: string): string {
  const d = new Date(`${isoDay}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** The instant a day starts in the city (the offset of that day, so a DST zone would be right too). */
export function cityMidnight(isoDay: string, timeZone: string): Date {
  const utc = new Date(`${isoDay}T00:00:00Z`);
  const local = new Date(utc.toLocaleString('en-US', { timeZone }));
  const base = new Date(utc.toLocaleString('en-US', { timeZone: 'UTC' }));
  return new Date(utc.getTime() - (local.getTime() - base.getTime()));
}
