import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  mayWrite,
  PAGE_PLATFORMS,
  PAGE_STATUSES,
  type PageListFilters,
  type PageOutcome,
  type PageView,
  pageInputSchema,
  pagePatchSchema,
  parsePageLink,
} from '../../../handlers/pages/index.js';
import { AppError } from '../../errors.js';
import { PAGE_FIGURE_HEADERS } from '../../http/export/texts-ru.js';
import { positiveId } from '../../http/input.js';
import { pageCallerOf, sendPagesExport, unwrapPage } from '../../http/routes/pages.js';
import { can } from '../auth.js';
import type { ConsoleDeps } from '../deps.js';
import { consoleText, type FieldErrors, parseForm, parseParams } from '../form.js';
import { renderPage } from '../render.js';
import { t } from '../texts-ru.js';

const PAGE_SIZE = 50;
const blank = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optionalText = consoleText;

/** The list's filters, in the URL; unknown keys are ignored. */
const listFilters = z.object({
  platform: z.preprocess(blank, z.enum(PAGE_PLATFORMS).optional()),
  owner: optionalText(80),
  status: z.preprocess(blank, z.enum(PAGE_STATUSES).optional()),
  after: z.preprocess(blank, z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional()),
});
const idParams = z.object({ id: positiveId });
const flashQuery = z.object({ done: z.enum(['created', 'saved']).optional() }).catch({});

/** The add and edit forms: what a browser posts (strings, empty for nothing), before the registry's own schema. */
const pageForm = z.object({
  link: z.string({ message: t.pageLink.empty }).trim().min(1, t.pageLink.empty).max(500),
  platform: z.preprocess(blank, z.enum(PAGE_PLATFORMS).optional()),
  title: optionalText(300),
  ownerDepartment: z.string({ message: t.unknownDepartment }).trim().min(1, t.unknownDepartment),
  organisation: optionalText(300),
  responsibleOfficialId: z.preprocess(
    blank,
    z.coerce
      .number({ message: 'Номер сотрудника — целое число.' })
      .int('Номер сотрудника — целое число.')
      .min(1)
      .max(Number.MAX_SAFE_INTEGER)
      .optional(),
  ),
  responsibleName: optionalText(300),
  status: z.preprocess(blank, z.enum(PAGE_STATUSES).default('active')),
});
type PageFormData = z.infer<typeof pageForm>;
/** The edit form also carries the page's `updatedAt` as the form showed it: a page changed since is not overwritten. */
const editForm = pageForm.extend({
  version: z.iso.datetime({ offset: true, error: 'Форма устарела: обновите страницу и повторите.' }),
});
const STALE =
  'Эту страницу изменил другой сотрудник, пока вы редактировали форму. Ваши изменения не сохранены: ниже — данные как они есть сейчас, внесите правку ещё раз.';

/** The form's link checked as the registry will check it, for a Russian message on the field. */
function linkError(form: PageFormData): string | null {
  const parsed = parsePageLink(form.link, form.platform);
  return parsed.status === 'ok' ? null : (t.pageLink[parsed.problem] ?? t.field.invalid);
}

/** The registry's refusal of a form as a message on its field (a conflict: on the link, naming the page). */
function formErrors(outcome: Exclude<PageOutcome<unknown>, { status: 'ok' }>): FieldErrors | null {
  if (outcome.status === 'conflict') return { link: `${t.pageExists} Её номер — ${outcome.existingId}.` };
  if (outcome.status !== 'invalid') return null;
  if (outcome.code === 'UNKNOWN_DEPARTMENT') return { ownerDepartment: t.unknownDepartment };
  if (outcome.code === 'UNKNOWN_OFFICIAL') return { responsibleOfficialId: t.unknownOfficial };
  return { [outcome.field ?? '_form']: t.field.invalid };
}

/**
 * Страницы: the registry of official pages with each page's latest score, last check and why it cannot
 * be read, filtered in the URL, 50 a page; the add form for the registry's keepers (`people:manage`);
 * CSV/XLSX of the whole filtered list; a page's detail with its monitoring history and the edit form —
 * the same use cases and scope as /api/v1/pages (a department's staff see their department's pages).
 */
export function officialPagesPages(app: FastifyInstance, deps: ConsoleDeps): void {
  app.get('/pages', async (request, reply) => listPage(request, reply, deps, {}, 200));

  for (const format of ['csv', 'xlsx'] as const) {
    app.get(`/pages.${format}`, async (request, reply) => {
      const parsed = parseForm(listFilters, request.query);
      if (!parsed.ok) throw new AppError('VALIDATION_FAILED', 'invalid filters', 400);
      const { after: _after, ...filters } = parsed.data;
      return sendPagesExport(request, reply, deps.pages, deps, { format, filters });
    });
  }

  app.post('/pages', async (request, reply) => {
    const form = parseForm(pageForm, request.body);
    if (!form.ok) return listPage(request, reply, deps, { errors: form.errors, values: form.values }, 400);
    const values = request.body as Record<string, unknown>;
    const wrongLink = linkError(form.data);
    if (wrongLink) return listPage(request, reply, deps, { errors: { link: wrongLink }, values }, 400);
    const input = parseForm(pageInputSchema, form.data);
    if (!input.ok) return listPage(request, reply, deps, { errors: input.errors, values }, 400);
    const outcome = await deps.pages.create(pageCallerOf(request), input.data);
    if (outcome.status === 'ok') return reply.redirect(`/console/pages/${outcome.value.id}?done=created`, 303);
    const errors = formErrors(outcome);
    if (!errors) return unwrapPage(outcome);
    return listPage(request, reply, deps, { errors, values }, 400);
  });

  app.get('/pages/:id', async (request, reply) => detailPage(request, reply, deps, {}, 200));

  app.post('/pages/:id', async (request, reply) => {
    const { id } = parseParams(idParams, request.params);
    const caller = pageCallerOf(request);
    if (!mayWrite(caller)) throw new AppError('FORBIDDEN', 'your role may not change the registry of official pages', 403);
    const form = parseForm(editForm, request.body);
    if (!form.ok) return detailPage(request, reply, deps, { errors: form.errors, values: form.values }, 400);
    const values = request.body as Record<string, unknown>;
    const wrongLink = linkError(form.data);
    if (wrongLink) return detailPage(request, reply, deps, { errors: { link: wrongLink }, values }, 400);
    const d = form.data;
    // The form shows every field: an emptied one is cleared.
    const patch = parseForm(pagePatchSchema, {
      link: d.link,
      ...(d.platform ? { platform: d.platform } : {}),
      title: d.title ?? null,
      ownerDepartment: d.ownerDepartment,
      organisation: d.organisation ?? null,
      responsibleOfficialId: d.responsibleOfficialId ?? null,
      responsibleName: d.responsibleName ?? null,
      status: d.status,
    });
    if (!patch.ok) return detailPage(request, reply, deps, { errors: patch.errors, values }, 400);
    // The registry's use case takes no expected version (it locks the row for its own checks): the
    // form's version is compared here, just before; two saves in the same instant can still race.
    const current = unwrapPage(await deps.pages.get(caller, id));
    if (current.updatedAt.getTime() !== new Date(d.version).getTime())
      return detailPage(request, reply, deps, { alert: STALE }, 409);
    const outcome = await deps.pages.update(caller, id, patch.data);
    if (outcome.status === 'ok') return reply.redirect(`/console/pages/${id}?done=saved`, 303);
    const errors = formErrors(outcome);
    if (!errors) return unwrapPage(outcome);
    return detailPage(request, reply, deps, { errors, values }, 400);
  });
}

interface FormState {
  errors?: FieldErrors;
  values?: Record<string, unknown>;
  /** A conflict to explain above the form (a stale form): the form shows the page as it is now. */
  alert?: string;
}

/** The choices of the filters and the forms, from the domain file. */
function options(deps: ConsoleDeps) {
  return {
    platforms: PAGE_PLATFORMS,
    statuses: PAGE_STATUSES,
    departments: deps.domain.departments.map((d) => ({ id: d.id, name: d.name })),
  };
}

async function listPage(request: FastifyRequest, reply: FastifyReply, deps: ConsoleDeps, form: FormState, status: number) {
  const parsed = parseForm(listFilters, request.query);
  const { after, ...filters }: { after?: number | undefined } & PageListFilters = parsed.ok ? parsed.data : {};
  const caller = pageCallerOf(request);
  const page = unwrapPage(await deps.pages.list(caller, filters, { limit: PAGE_SIZE, after }));
  return renderPage(
    reply,
    request,
    deps,
    'official-pages',
    {
      title: 'Официальные страницы',
      section: 'pages',
      filters: parsed.ok ? filters : {},
      filterErrors: parsed.ok ? {} : parsed.errors,
      items: page.items,
      next: page.next,
      first: after !== undefined,
      canWrite: mayWrite(caller),
      // A department's staff see their department's pages: no owner filter, the department in the title.
      ownDepartment: caller.kind === 'person' && !can(request, 'cases:all') ? caller.official.department : null,
      options: options(deps),
      errors: form.errors ?? {},
      values: form.values ?? {},
    },
    parsed.ok ? status : 400,
  );
}

async function detailPage(request: FastifyRequest, reply: FastifyReply, deps: ConsoleDeps, form: FormState, status: number) {
  const { id } = parseParams(idParams, request.params);
  const caller = pageCallerOf(request);
  const page = unwrapPage(await deps.pages.get(caller, id));
  return renderPage(
    reply,
    request,
    deps,
    'official-page',
    {
      title: page.title ?? page.externalId,
      section: 'pages',
      page,
      canWrite: mayWrite(caller),
      options: options(deps),
      figures: DETAIL_FIGURES.map((key) => ({ key, header: PAGE_FIGURE_HEADERS[key] ?? key })),
      errors: form.errors ?? {},
      values: form.values ?? formValues(page),
      // A re-shown form keeps the version it was rendered with, so fixing a typo cannot skip the check.
      version: typeof form.values?.version === 'string' ? form.values.version : page.updatedAt.toISOString(),
      alert: form.alert ?? null,
      flash: flashText(flashQuery.parse(request.query).done),
    },
    status,
  );
}

/** The history's figure columns (all of them are in the export). */
const DETAIL_FIGURES = ['postsPerWeek', 'daysSinceLastPost', 'answeredShare', 'medianReplyHours', 'overdue'];

function flashText(done: 'created' | 'saved' | undefined): string | null {
  if (done === 'created') return 'Страница добавлена в реестр. Мониторинг прочитает её в ближайший обход.';
  if (done === 'saved') return t.saved;
  return null;
}

/** The edit form's values: the page as it is. */
function formValues(p: PageView): Record<string, unknown> {
  return {
    link: p.url,
    title: p.title ?? '',
    ownerDepartment: p.ownerDepartment,
    organisation: p.organisation ?? '',
    responsibleOfficialId: p.responsibleOfficialId ?? '',
    responsibleName: p.responsibleName ?? '',
    status: p.status,
  };
}
