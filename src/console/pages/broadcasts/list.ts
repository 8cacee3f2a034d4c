import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { type BroadcastListItem, broadcastList } from '../../../../handlers/broadcasts/index.js';
import type { BroadcastStatus } from '../../../../models/schema.js';
import { AppError } from '../../../errors.js';
import { EXPORT_FORMATS, sendExport } from '../../../http/export/index.js';
import type { ConsoleDeps } from '../../deps.js';
import { parseForm } from '../../form.js';
import { renderPage } from '../../render.js';
import { canAuthor, readerOf } from './access.js';
import { BROADCAST_EXPORT, broadcastColumns } from './columns.js';
import { PRIORITY_NAMES, STATUS_NAMES, segmentWords } from './words.js';

const PAGE_SIZE = 30;
const EXPORT_PAGE = 500;
const blank = (v: unknown) => (v === '' ? undefined : v);
const STATUSES = Object.keys(STATUS_NAMES) as [BroadcastStatus, ...BroadcastStatus[]];

/** The list's filters, in the URL: a status, and the page (`before`, an id). */
export const broadcastListFilters = z.object({
  status: z.preprocess(blank, z.enum(STATUSES).optional()),
  before: z.preprocess(
    blank,
    z
      .string()
      .regex(/^[1-9]\d{0,14}$/)
      .transform(Number)
      .optional(),
  ),
});

/** The whole list for a status, newest first, a page at a time (the export). */
async function* allBroadcasts(
  deps: ConsoleDeps,
  caller: ReturnType<typeof readerOf>,
  status: BroadcastStatus | undefined,
): AsyncGenerator<BroadcastListItem[]> {
  for (let before: number | undefined, more = true; more; ) {
    const outcome = await broadcastList({ ...deps.query(), domain: deps.domain }, caller, {
      status,
      beforeId: before,
      limit: EXPORT_PAGE,
    });
    if (outcome.status !== 'ok') throw new AppError(outcome.code, outcome.message, 403);
    yield outcome.value.items;
    before = outcome.value.next ?? undefined;
    more = outcome.value.next !== null;
  }
}

/** «Рассылки»: newest first, 30 a page, a status filter; «Новая рассылка» for those who compose. */
export function listPages(app: FastifyInstance, deps: ConsoleDeps): void {
  // «Выгрузить»: every broadcast of the chosen status, not only this page; the same reader check.
  for (const format of EXPORT_FORMATS) {
    app.get(`/broadcasts.${format}`, async (request, reply) => {
      const caller = readerOf(request, deps);
      const parsed = parseForm(broadcastListFilters, request.query);
      if (!parsed.ok) throw new AppError('VALIDATION_FAILED', 'invalid filters', 400);
      return sendExport(request, reply, {
        format,
        name: BROADCAST_EXPORT.file,
        sheetName: BROADCAST_EXPORT.sheet,
        columns: broadcastColumns(deps.domain),
        pages: allBroadcasts(deps, caller, parsed.data.status),
        timeZone: deps.domain.city.timezone,
        now: deps.query().clock.now(),
      });
    });
  }

  app.get('/broadcasts', async (request, reply) => {
    const caller = readerOf(request, deps);
    const parsed = parseForm(broadcastListFilters, request.query);
    const filters = parsed.ok ? parsed.data : {};
    const outcome = await broadcastList({ ...deps.query(), domain: deps.domain }, caller, {
      status: filters.status,
      beforeId: filters.before,
      limit: PAGE_SIZE,
    });
    if (outcome.status !== 'ok') throw new AppError(outcome.code, outcome.message, 403);
    return renderPage(
      reply,
      request,
      deps,
      'broadcasts',
      {
        title: 'Рассылки',
        section: 'broadcasts',
        filters: { status: filters.status },
        errors: parsed.ok ? {} : parsed.errors,
        items: outcome.value.items.map((b) => ({ ...b, segmentText: segmentWords(b.segment, deps.domain) })),
        next: outcome.value.next,
        first: filters.before !== undefined,
        canAuthor: canAuthor(request, deps),
        statusNames: STATUS_NAMES,
        priorityNames: PRIORITY_NAMES,
      },
      parsed.ok ? 200 : 400,
    );
  });
}
