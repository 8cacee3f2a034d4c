import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import QRCode from 'qrcode';
import { z } from 'zod';
import { ROLES } from '../../../../config/domain.js';
import {
  deactivate,
  grantableRoles,
  INVITE_CHANNELS,
  inviteAgain,
  inviteLinks,
  inviteOfficial,
  officials,
} from '../../../../handlers/people/index.js';
import { AppError, NotFoundError } from '../../../errors.js';
import { EXPORT_FORMATS, sendExport } from '../../../http/export/index.js';
import { positiveId } from '../../../http/input.js';
import { personOr, requireAction } from '../../../http/principal.js';
import { personOf } from '../../auth.js';
import type { ConsoleDeps } from '../../deps.js';
import { errorPage } from '../../errors.js';
import { consoleText, type FieldErrors, parseForm, parseParams, storableText, UNSAFE_TEXT_MESSAGE } from '../../form.js';
import { renderPage } from '../../render.js';
import { ADMIN_EXPORTS, peopleColumns } from './columns.js';

const PAGE_SIZE = 50;
const blank = (v: unknown) => (v === '' ? undefined : v);
const CHANNEL_TITLES: Record<string, string> = { telegram: 'Telegram', max: 'MAX' };

const listQuery = z.object({
  status: z.preprocess(blank, z.enum(['active', 'inactive']).optional()),
  department: consoleText(80),
  role: z.preprocess(blank, z.enum(ROLES).optional()),
  page: z.preprocess(blank, z.coerce.number().int().min(1).max(100_000).optional()),
});
const flashQuery = z.object({ done: z.enum(['deactivated']).optional() }).catch({});
const idParams = z.object({ id: positiveId });

/** The invite form; the department must be one of the domain file's. */
function inviteForm(deps: ConsoleDeps) {
  const departments = new Set(deps.domain.departments.map((d) => d.id));
  return z.object({
    name: z
      .string({ message: 'Заполните поле.' })
      .trim()
      .min(1, 'Укажите имя.')
      .max(200)
      .refine(storableText, UNSAFE_TEXT_MESSAGE),
    role: z.enum(ROLES, { message: 'Выберите роль из списка.' }),
    department: z
      .string({ message: 'Выберите подразделение.' })
      .refine((d) => departments.has(d), 'Выберите подразделение из списка.'),
  });
}

/**
 * Сотрудники: everyone invited, an invite for a new person (links for Telegram and MAX and their QR
 * codes, shown once: only the token's hash is stored), another invite, deactivation (which ends the
 * person's console sessions) — the same use cases as /api/v1/officials.
 */
export function peoplePages(app: FastifyInstance, deps: ConsoleDeps): void {
  const schema = inviteForm(deps);

  app.get('/people', async (request, reply) => {
    requireAction(request, 'people:manage');
    return page(reply, request, deps, {}, 200);
  });

  // «Выгрузить»: everyone the filters select, not only this page.
  for (const format of EXPORT_FORMATS) {
    app.get(`/people.${format}`, async (request, reply) => {
      requireAction(request, 'people:manage');
      const parsed = parseForm(listQuery, request.query);
      if (!parsed.ok) throw new AppError('VALIDATION_FAILED', 'invalid filters', 400);
      const { page: _page, ...filters } = parsed.data;
      const rows = await matchingPeople(deps, filters);
      return sendExport(request, reply, {
        format,
        name: ADMIN_EXPORTS.people.file,
        sheetName: ADMIN_EXPORTS.people.sheet,
        columns: peopleColumns(deps.domain, CHANNEL_TITLES),
        pages: (async function* () {
          yield rows;
        })(),
        timeZone: deps.domain.city.timezone,
        now: deps.query().clock.now(),
      });
    });
  }

  app.post('/people/invite', async (request, reply) => {
    requireAction(request, 'people:manage');
    const form = parseForm(schema, request.body);
    if (!form.ok) return page(reply, request, deps, { errors: form.errors, values: form.values }, 400);
    // A role above the inviter's is not offered; a forged form asking for one is refused.
    if (!grantableRoles(personOf(request), deps.domain).includes(form.data.role))
      throw new AppError('FORBIDDEN', 'your role may not grant this role', 403);
    const d = { ...deps.query(), domain: deps.domain };
    const outcome = await inviteOfficial(d, { ...form.data, actor: personOr(request, { type: 'api', author: null }) });
    if (outcome.status === 'role_not_grantable') throw new AppError('FORBIDDEN', 'your role may not grant this role', 403);
    // The form's schema checked both against the same domain file; the use case has the last word.
    if (outcome.status !== 'created') throw new AppError('VALIDATION_FAILED', outcome.status, 400);
    return invitePage(reply, request, deps, { ...outcome, name: form.data.name, again: false });
  });

  app.post('/people/:id/invite', async (request, reply) => {
    requireAction(request, 'people:manage');
    const { id } = parseParams(idParams, request.params);
    const outcome = await inviteAgain(deps.query(), { officialId: id, actor: personOr(request, { type: 'api', author: null }) });
    if (outcome.status === 'not_found') throw new NotFoundError(`active official ${id}`);
    const person = (await officials(deps.query())).find((p) => p.id === id);
    return invitePage(reply, request, deps, { ...outcome, name: person?.name ?? `№${id}`, again: true });
  });

  app.post('/people/:id/deactivate', async (request, reply) => {
    requireAction(request, 'people:manage');
    const { id } = parseParams(idParams, request.params);
    if (id === personOf(request).id)
      return errorPage(
        reply,
        request,
        deps,
        422,
        'Нельзя отключить самого себя. Попросите другого сотрудника с правом управлять людьми.',
      );
    const done = await deactivate(deps.query(), { officialId: id, actor: personOr(request, { type: 'api', author: null }) });
    if (!done) return errorPage(reply, request, deps, 409, 'Этот сотрудник уже отключён (или его нет). Ничего не изменено.');
    return reply.redirect('/console/people?done=deactivated', 303);
  });
}

/** Everyone invited the filters select: a few hundred people at most, so one query and the filters here. */
async function matchingPeople(deps: ConsoleDeps, filters: Omit<z.infer<typeof listQuery>, 'page'>) {
  const everyone = await officials(deps.query());
  return everyone.filter(
    (p) =>
      (filters.status === undefined || p.active === (filters.status === 'active')) &&
      (filters.department === undefined || p.department === filters.department) &&
      (filters.role === undefined || p.role === filters.role),
  );
}

async function page(
  reply: FastifyReply,
  request: FastifyRequest,
  deps: ConsoleDeps,
  form: { errors?: FieldErrors; values?: Record<string, unknown> },
  status: number,
) {
  const parsed = parseForm(listQuery, request.query);
  if (!parsed.ok) throw new AppError('VALIDATION_FAILED', 'invalid filters', 400);
  const { page: pageNo = 1, ...filters } = parsed.data;
  const matching = await matchingPeople(deps, filters);
  const items = matching.slice((pageNo - 1) * PAGE_SIZE, pageNo * PAGE_SIZE);
  return renderPage(
    reply,
    request,
    deps,
    'people',
    {
      title: 'Сотрудники',
      section: 'people',
      filters,
      items,
      total: matching.length,
      pageNo,
      hasNext: matching.length > pageNo * PAGE_SIZE,
      me: personOf(request).id,
      roles: ROLES.map((r) => ({ id: r, name: (deps.domain.roles as Record<string, string>)[r] ?? r })),
      grantRoles: grantableRoles(personOf(request), deps.domain).map((r) => ({
        id: r,
        name: (deps.domain.roles as Record<string, string>)[r] ?? r,
      })),
      departments: deps.domain.departments.map((d) => ({ id: d.id, name: d.name })),
      roleNames: deps.domain.roles as Record<string, string>,
      departmentNames: new Map(deps.domain.departments.map((d) => [d.id, d.name])),
      channelTitles: CHANNEL_TITLES,
      errors: form.errors ?? {},
      values: form.values ?? {},
      flash: flashQuery.parse(request.query).done ? 'Сотрудник отключён: его доступ и сессии консоли закрыты.' : null,
    },
    status,
  );
}

/** The invite, shown once: a link per messenger whose bot runs here, each with its QR code (inline SVG). */
async function invitePage(
  reply: FastifyReply,
  request: FastifyRequest,
  deps: ConsoleDeps,
  invite: { officialId: number; token: string; expiresAt: Date; name: string; again: boolean },
) {
  const links = inviteLinks({ telegram: deps.botUsername(), max: deps.maxBotUsername() }, invite.token);
  const channels = await Promise.all(
    INVITE_CHANNELS.map(async (channel) => {
      const url = links[channel];
      return {
        channel,
        title: CHANNEL_TITLES[channel] ?? channel,
        url,
        qr: url ? await QRCode.toString(url, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' }) : null,
      };
    }),
  );
  return renderPage(reply, request, deps, 'people-invite', {
    title: 'Приглашение',
    section: 'people',
    invite,
    channels,
  });
}
