import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { decideSource, sourcesPage, sourceVersion } from '../../../../handlers/cases/index.js';
import { CHANNELS } from '../../../../models/intake.js';
import { AppError, NotFoundError } from '../../../errors.js';
import { EXPORT_FORMATS, sendExport } from '../../../http/export/index.js';
import { positiveId } from '../../../http/input.js';
import { actorOf, requireAction } from '../../../http/principal.js';
import type { ConsoleDeps } from '../../deps.js';
import { parseForm, parseParams } from '../../form.js';
import { renderPage } from '../../render.js';
import { named, t } from '../../texts-ru.js';
import { ADMIN_EXPORTS, sourceColumns } from './columns.js';

const PAGE_SIZE = 50;
const EXPORT_PAGE = 1_000;
const blank = (v: unknown) => (v === '' ? undefined : v);

/** The sources' states as operators read them. */
export const SOURCE_STATUS_NAMES: Readonly<Record<string, string>> = {
  pending: 'ждёт решения',
  active: 'подключён',
  rejected: 'остановлен',
};

const listQuery = z.object({
  status: z.preprocess(blank, z.enum(['pending', 'active', 'rejected']).optional()),
  channel: z.preprocess(blank, z.enum(CHANNELS).optional()),
  after: z.preprocess(blank, z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional()),
});
const flashQuery = z.object({ done: z.enum(['approved', 'rejected']).optional() }).catch({});
const params = z.object({
  id: positiveId,
  decision: z.enum(['approve', 'reject']),
});
/** The version is the source's updated_at as the page showed it: a source changed since is not decided again. */
const decisionForm = z.object({
  version: z.string().max(40),
  official: z.preprocess((v) => v === 'on' || v === 'true' || v === '1', z.boolean()).optional(),
});

/**
 * Источники: chats, communities and channels the bot was added to — approve (optionally as the city's
 * official one) or stop, with the same use case as POST /api/v1/sources/:id/approve|reject.
 */
export function sourcesPages(app: FastifyInstance, deps: ConsoleDeps): void {
  app.get('/sources', async (request, reply) => {
    requireAction(request, 'triage');
    return page(reply, request, deps, null, 200);
  });

  // «Выгрузить»: every source the filters select, in the list's order, not only this page.
  for (const format of EXPORT_FORMATS) {
    app.get(`/sources.${format}`, async (request, reply) => {
      requireAction(request, 'triage');
      const parsed = parseForm(listQuery, request.query);
      if (!parsed.ok) throw new AppError('VALIDATION_FAILED', 'invalid filters', 400);
      const { after: _after, ...filters } = parsed.data;
      return sendExport(request, reply, {
        format,
        name: ADMIN_EXPORTS.sources.file,
        sheetName: ADMIN_EXPORTS.sources.sheet,
        columns: sourceColumns(SOURCE_STATUS_NAMES),
        pages: allSources(deps, filters),
        timeZone: deps.domain.city.timezone,
        now: deps.query().clock.now(),
      });
    });
  }

  app.post('/sources/:id/:decision', async (request, reply) => {
    requireAction(request, 'triage');
    const { id, decision } = parseParams(params, request.params);
    const form = parseForm(decisionForm, request.body);
    if (!form.ok) throw new AppError('VALIDATION_FAILED', 'invalid source decision form', 400);
    const current = await sourceVersion(deps.query(), id);
    if (!current) throw new NotFoundError(`source ${id}`);
    if (current.updatedAt.toISOString() !== form.data.version)
      return page(
        reply,
        request,
        deps,
        `Источник №${id} изменил другой сотрудник, пока вы смотрели страницу: сейчас он ${SOURCE_STATUS_NAMES[current.status] ?? current.status}${current.official ? ' (официальный)' : ''}. Ничего не изменено — проверьте и решите ещё раз.`,
        409,
      );
    const changed = await decideSource(deps.query(), {
      id,
      decision: decision === 'approve' ? 'active' : 'rejected',
      ...(decision === 'approve' ? { official: form.data.official === true } : {}),
      actor: actorOf(request),
    });
    if (!changed) throw new NotFoundError(`source ${id}`);
    const back = queryOf(request);
    return reply.redirect(
      `/console/sources${back}${back ? '&' : '?'}done=${decision === 'approve' ? 'approved' : 'rejected'}`,
      303,
    );
  });
}

async function* allSources(deps: ConsoleDeps, filters: { status?: string | undefined; channel?: string | undefined }) {
  for (let after: number | undefined, more = true; more; ) {
    const list = await sourcesPage(deps.query(), { limit: EXPORT_PAGE, afterId: after, ...filters });
    yield list.items;
    after = list.next ?? undefined;
    more = list.next !== null;
  }
}

async function page(reply: FastifyReply, request: FastifyRequest, deps: ConsoleDeps, alert: string | null, status: number) {
  const parsed = parseForm(listQuery, request.query);
  if (!parsed.ok) throw new AppError('VALIDATION_FAILED', 'invalid filters', 400);
  const { after, ...filters } = parsed.data;
  const list = await sourcesPage(deps.query(), { limit: PAGE_SIZE, afterId: after, ...filters });
  const flash = flashQuery.parse(request.query).done;
  return renderPage(
    reply,
    request,
    deps,
    'sources',
    {
      title: 'Источники',
      section: 'sources',
      filters,
      items: list.items.map((s) => ({
        ...s,
        version: s.updatedAt.toISOString(),
        kindName: named(t.sourceKind, s.kind),
        channelName: named(t.channel, s.channel),
        statusName: SOURCE_STATUS_NAMES[s.status] ?? s.status,
      })),
      next: list.next,
      first: after !== undefined,
      channels: CHANNELS,
      statusNames: SOURCE_STATUS_NAMES,
      flash: flash === 'approved' ? 'Источник подключён.' : flash === 'rejected' ? 'Источник остановлен.' : null,
      alert,
    },
    status,
  );
}

/** The list's filters to return to after a decision (only the known ones, re-encoded). */
function queryOf(request: FastifyRequest): string {
  const parsed = listQuery.safeParse(request.query ?? {});
  if (!parsed.success) return '';
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(parsed.data)) if (v !== undefined) search.set(k, String(v));
  const s = search.toString();
  return s ? `?${s}` : '';
}
