import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  AT_RISK_WINDOW,
  type DeadlineCursor,
  type OverdueListFilters,
  overdueExportPages,
  overdueList,
  overdueWindow,
} from '../../../handlers/cases/index.js';
import { AppError } from '../../errors.js';
import { EXPORT_FORMATS, sendExport } from '../../http/export/index.js';
import { departmentScope } from '../../http/principal.js';
import type { ConsoleDeps } from '../deps.js';
import { consoleText, parseForm } from '../form.js';
import { OVERDUE_TEXTS, overdueColumns, stepText } from '../overdue-columns.js';
import { renderPage } from '../render.js';

const PAGE_SIZE = 50;
const EXPORT_PAGE_SIZE = 1_000;
const blank = (v: unknown) => (v === '' ? undefined : v);

/** The list's filters, all in the URL; `after` is the keyset cursor of «Дальше». */
const filtersSchema = z.object({
  state: z.preprocess(blank, z.enum(['overdue', 'risk']).optional()),
  department: consoleText(80),
  priority: z.preprocess(blank, z.enum(['urgent', 'normal']).optional()),
  after: z.preprocess(blank, z.string().max(200).optional()),
});
type Filters = z.infer<typeof filtersSchema>;

/**
 * Сроки: open cases past their final deadline or at risk (before the end of the next working day,
 * AT_RISK_WINDOW), the most overdue first, with the escalation step each reached; counts per
 * department; an official sees their department only. «Выгрузить» gives the whole filtered list.
 */
export function overduePages(app: FastifyInstance, deps: ConsoleDeps): void {
  app.get('/overdue', async (request, reply) => {
    const parsed = parseForm(filtersSchema, request.query);
    const filters = parsed.ok ? parsed.data : ({} as Filters);
    const scope = scopeFor(request, filters);
    const d = listDeps(deps);
    const list = parsed.ok
      ? await overdueList(d, listFilters(filters, scope), { limit: PAGE_SIZE, after: decodeAfter(filters.after) })
      : { ...overdueWindow(d), items: [], next: null, counts: [] };
    const { after: _after, ...shown } = parsed.ok ? filters : (parsed.values as Record<string, unknown>);
    const departments = new Map(deps.domain.departments.map((d) => [d.id, d.name]));
    return renderPage(
      reply,
      request,
      deps,
      'overdue',
      {
        title: 'Сроки',
        section: 'overdue',
        filters: shown,
        errors: parsed.ok ? {} : parsed.errors,
        scope,
        until: list.until,
        window: AT_RISK_WINDOW,
        counts: list.counts
          .map((c) => ({ ...c, name: c.department ? (departments.get(c.department) ?? c.department) : null }))
          .sort((a, b) => b.overdue - a.overdue || b.risk - a.risk || String(a.name).localeCompare(String(b.name), 'ru')),
        items: list.items.map((item) => ({
          ...item,
          reachedText: stepText(deps.domain, item.reached),
          nextText: stepText(deps.domain, item.next),
        })),
        next: list.next ? encodeAfter(list.next) : null,
        first: Boolean(filters.after),
        stateNames: OVERDUE_TEXTS.state,
        departments: deps.domain.departments.map((d) => ({ id: d.id, name: d.name })),
        categories: new Map(deps.domain.categories.map((c) => [c.id, c.name])),
        departmentNames: departments,
      },
      parsed.ok ? 200 : 400,
    );
  });

  for (const format of EXPORT_FORMATS) {
    app.get(`/overdue.${format}`, async (request, reply) => {
      const parsed = parseForm(filtersSchema, request.query);
      if (!parsed.ok) throw new AppError('VALIDATION_FAILED', 'invalid filters', 400);
      const scope = scopeFor(request, parsed.data);
      const d = listDeps(deps);
      const window = overdueWindow(d);
      return sendExport(request, reply, {
        format,
        name: OVERDUE_TEXTS.file,
        sheetName: OVERDUE_TEXTS.sheet,
        columns: overdueColumns(deps.domain),
        pages: overdueExportPages(d, listFilters(parsed.data, scope), { pageSize: EXPORT_PAGE_SIZE, now: window }),
        timeZone: deps.domain.city.timezone,
        now: window.now,
      });
    });
  }
}

/** Reads need the working calendar (the at-risk window), which the actions' deps carry. */
function listDeps(deps: ConsoleDeps) {
  const { db, clock } = deps.query();
  return { db, clock, calendar: deps.actions().calendar };
}

function listFilters(filters: Filters, scope: string | null): OverdueListFilters {
  return {
    state: filters.state ?? 'all',
    department: scope ?? filters.department,
    priority: filters.priority,
  };
}

/** The person's department when their role sees only it; another department in the filter is 403. */
function scopeFor(request: FastifyRequest, filters: Filters): string | null {
  const scope = departmentScope(request);
  if (scope !== null && filters.department !== undefined && filters.department !== scope)
    throw new AppError('FORBIDDEN', 'this department is not yours', 403);
  return scope;
}

function encodeAfter(cursor: DeadlineCursor): string {
  return Buffer.from(JSON.stringify({ at: cursor.at.toISOString(), id: cursor.id })).toString('base64url');
}

function decodeAfter(value: string | undefined): DeadlineCursor | undefined {
  if (!value) return undefined;
  try {
    const raw = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as { at?: unknown; id?: unknown };
    const at = new Date(String(raw.at));
    if (Number.isNaN(at.getTime()) || !Number.isSafeInteger(raw.id)) return undefined;
    return { at, id: raw.id as number };
  } catch {
    return undefined;
  }
}
