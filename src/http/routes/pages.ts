import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { DomainConfig } from '../../../config/domain.js';
import {
  mayWrite,
  PAGE_PLATFORMS,
  PAGE_STATUSES,
  type PageCaller,
  type PageListFilters,
  type PageOutcome,
  type PagesApi,
  pageInputSchema,
  pagePatchSchema,
} from '../../../handlers/pages/index.js';
import type { Clock } from '../../../lib/clock.js';
import { AppError, NotFoundError, ServiceUnavailableError } from '../../errors.js';
import { type ExportFormat, FILE_NAMES, pageColumns, SHEET_NAMES, sendExport } from '../export/index.js';
import { idParam, positiveId, safeText, wholeNumber } from '../input.js';
import { parseInput } from '../parse-input.js';
import { principalOf } from '../principal.js';

/** The list's filters; the exports take the same ones without the paging. */
export const pagesQuery = z.strictObject({
  platform: z.enum(PAGE_PLATFORMS).optional(),
  /** The owner department's id. */
  owner: safeText(80).optional(),
  status: z.enum(PAGE_STATUSES).optional(),
  limit: wholeNumber(1, 500).default(100),
  /** `nextCursor` of the previous answer: the pages after it. */
  cursor: positiveId.optional(),
});
export const pagesExportQuery = pagesQuery.omit({ limit: true, cursor: true });
export const pageCreateBody = pageInputSchema;
export const pagePatchBody = pagePatchSchema;

/** What the routes need besides the registry: the clock and the city (the exports' file date and zone), and monitoring. */
export interface PageRouteDeps {
  clock: Clock;
  domain: Pick<DomainConfig, 'city'>;
  /**
   * One monitoring round for one page, now (handlers/page-monitoring's `refreshPage`, bound by the
   * composition root); absent where monitoring is not wired: `POST …/refresh` answers 503.
   */
  refresh?: ((pageId: number) => Promise<unknown>) | undefined;
}

// A duplicate is bad input like an unknown department (the rule): 400 with PAGE_EXISTS naming the page.
const HTTP_STATUS = { invalid: 400, forbidden: 403, not_found: 404, conflict: 400 } as const;

/** The caller as the registry sees it: the service token (audited as `api:dashboard`) or a person. */
export function pageCallerOf(request: FastifyRequest): PageCaller {
  const p = principalOf(request);
  return p.kind === 'service'
    ? { kind: 'service', actor: { type: 'api', author: 'dashboard' } }
    : { kind: 'person', official: p.official };
}

/** A use case's answer as HTTP: the value, or the refusal's status with its code and message (the field named). */
export function unwrapPage<T>(outcome: PageOutcome<T>): T {
  if (outcome.status === 'ok') return outcome.value;
  if (outcome.status === 'not_found') throw new NotFoundError(outcome.message.replace(/ not found$/, ''));
  const message = outcome.status === 'invalid' && outcome.field ? `${outcome.field}: ${outcome.message}` : outcome.message;
  throw new AppError(outcome.code, message, HTTP_STATUS[outcome.status]);
}

/**
 * The registry of official pages (docs/architecture/official-pages.md), bearer token: list with each
 * page's latest figures and score, register, read with its history, change — closing is
 * `PATCH {"status": "closed"}`, there is no DELETE: a closed page keeps its snapshots, posts and comments —
 * ask monitoring for a round now, and the CSV/XLSX exports of the list. Reading: `cases:all` every page,
 * a department's staff theirs; writing and refreshing: `people:manage`.
 */
export function pageRoutes(api: PagesApi, deps: () => PageRouteDeps) {
  const pagesExport = (format: ExportFormat) => (request: FastifyRequest, reply: FastifyReply) =>
    sendPagesExport(request, reply, api, deps(), { format, filters: parseInput(pagesExportQuery, request.query) });

  return (app: FastifyInstance) => {
    app.get('/api/v1/pages', async (request) => {
      const { limit, cursor, ...filters } = parseInput(pagesQuery, request.query);
      const page = unwrapPage(await api.list(pageCallerOf(request), filters, { limit, after: cursor }));
      return { items: page.items, nextCursor: page.next === null ? null : String(page.next) };
    });

    app.post('/api/v1/pages', async (request, reply) => {
      const input = parseInput(pageCreateBody, request.body ?? {});
      return reply.code(201).send(unwrapPage(await api.create(pageCallerOf(request), input)));
    });

    app.get('/api/v1/pages/:id', async (request) => {
      const { id } = parseInput(idParam, request.params);
      return unwrapPage(await api.get(pageCallerOf(request), id));
    });

    app.patch('/api/v1/pages/:id', async (request) => {
      const { id } = parseInput(idParam, request.params);
      const patch = parseInput(pagePatchBody, request.body ?? {});
      return unwrapPage(await api.update(pageCallerOf(request), id, patch));
    });

    app.post('/api/v1/pages/:id/refresh', async (request) => {
      const { id } = parseInput(idParam, request.params);
      const caller = pageCallerOf(request);
      if (!mayWrite(caller)) throw new AppError('FORBIDDEN', 'your role may not ask for a monitoring round (people:manage)', 403);
      unwrapPage(await api.get(caller, id));
      const refresh = deps().refresh;
      if (!refresh) throw new ServiceUnavailableError('monitoring is not available in this instance');
      const outcome = await refresh(id);
      return { outcome, page: unwrapPage(await api.get(caller, id)) };
    });

    // Each path written out, so the API's input test and the OpenAPI check find it.
    app.get('/api/v1/exports/pages.csv', pagesExport('csv'));
    app.get('/api/v1/exports/pages.xlsx', pagesExport('xlsx'));
  };
}

/**
 * Streams the pages of `filters` as CSV or XLSX — the same rows as the list, with the same scope (a
 * department's staff get their pages); the API's export and the console's «Выгрузить» answer with this.
 */
export async function sendPagesExport(
  request: FastifyRequest,
  reply: FastifyReply,
  api: Pick<PagesApi, 'rows'>,
  deps: Pick<PageRouteDeps, 'clock' | 'domain'>,
  input: { format: ExportFormat; filters: PageListFilters },
) {
  const pages = unwrapPage(api.rows(pageCallerOf(request), input.filters));
  return sendExport(request, reply, {
    format: input.format,
    name: FILE_NAMES.pages,
    sheetName: SHEET_NAMES.pages,
    columns: pageColumns(),
    pages,
    timeZone: deps.domain.city.timezone,
    now: deps.clock.now(),
  });
}
