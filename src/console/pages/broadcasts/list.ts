import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { broadcastList } from '../../../../handlers/broadcasts/index.js';
import type { BroadcastStatus } from '../../../../models/schema.js';
import { AppError } from '../../../errors.js';
import type { ConsoleDeps } from '../../deps.js';
import { parseForm } from '../../form.js';
import { renderPage } from '../../render.js';
import { canAuthor, readerOf } from './access.js';
import { PRIORITY_NAMES, STATUS_NAMES, segmentWords } from './words.js';

const PAGE_SIZE = 30;
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

/** «Рассылки»: newest first, 30 a page, a status filter; «Новая рассылка» for those who compose. */
export function listPages(app: FastifyInstance, deps: ConsoleDeps): void {
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
    return renderPage(reply, request, deps, 'broadcasts', {
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
    });
  });
}
