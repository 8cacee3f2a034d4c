import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  BROADCAST_SPLIT_LIMIT,
  BROADCAST_TEXT_LIMIT,
  broadcastSettings,
  segmentAudience,
} from '../../../../handlers/broadcasts/index.js';
import { AppError } from '../../../errors.js';
import type { ConsoleDeps } from '../../deps.js';
import { errorPage } from '../../errors.js';
import type { FieldErrors } from '../../form.js';
import { renderFragment, renderPage } from '../../render.js';
import { authorOf } from './access.js';
import { BROADCAST_CHANNELS, cityLocalNow, parseCompose, parseSegment, refusalField } from './form.js';
import { LIMIT_WORDS } from './words.js';

const STATUS_OF_REFUSAL = { invalid: 400, forbidden: 403, not_found: 404, conflict: 409, empty: 422 } as const;

/**
 * «Новая рассылка»: the form, its live counts (the audience as the segment changes, the text's length
 * as it is typed — both htmx fragments, nothing saved) and the create, which saves a draft and shows it.
 */
export function composePages(app: FastifyInstance, deps: ConsoleDeps): void {
  app.get('/broadcasts/new', async (request, reply) => {
    authorOf(request, deps);
    return renderCompose(request, reply, deps, { kind: 'subscribers', priority: 'normal' }, {});
  });

  app.post('/broadcasts', async (request, reply) => {
    const caller = authorOf(request, deps);
    const values = (request.body ?? {}) as Record<string, unknown>;
    const parsed = parseCompose(values, deps.domain.city.timezone);
    if (!parsed.ok) return renderCompose(request, reply, deps, values, parsed.errors, 400);
    const outcome = await deps.broadcasts.create(caller, parsed.value);
    if (outcome.status === 'ok') return reply.redirect(`/console/broadcasts/${outcome.value.id}?done=created`, 303);
    if (outcome.status === 'invalid') return renderCompose(request, reply, deps, values, refusalField(outcome), 400);
    return errorPage(reply, request, deps, STATUS_OF_REFUSAL[outcome.status]);
  });

  // The live audience: the segment's fields as they are now, counted as the preview counts; nothing saved.
  app.post('/broadcasts/audience', async (request, reply) => {
    const caller = authorOf(request, deps);
    const segment = parseSegment(request.body, deps.domain.city.timezone);
    if (!segment.ok) return renderFragment(reply, 'broadcasts-audience', { errors: segment.errors, audience: null });
    const outcome = await segmentAudience({ ...deps.query(), domain: deps.domain }, caller, segment.value);
    if (outcome.status === 'ok') return renderFragment(reply, 'broadcasts-audience', { errors: {}, audience: outcome.value });
    if (outcome.status === 'invalid')
      return renderFragment(reply, 'broadcasts-audience', { errors: refusalField(outcome), audience: null });
    throw new AppError(outcome.code, outcome.message, STATUS_OF_REFUSAL[outcome.status]);
  });

  // The text's length against the smallest messenger limit, as it is typed.
  app.post('/broadcasts/length', async (request, reply) => {
    authorOf(request, deps);
    const body = (request.body ?? {}) as Record<string, unknown>;
    return renderFragment(reply, 'broadcasts-length', lengthOf(body));
  });
}

/** What the counter says: the trimmed length (what the API counts), the limit, whether it goes in parts. */
export function lengthOf(values: Record<string, unknown>) {
  const text = typeof values.text === 'string' ? values.text.trim() : '';
  return {
    length: text.length,
    limit: BROADCAST_TEXT_LIMIT,
    splitLimit: BROADCAST_SPLIT_LIMIT,
    allowSplit: values.allowSplit === '1',
  };
}

function renderCompose(
  request: FastifyRequest,
  reply: FastifyReply,
  deps: ConsoleDeps,
  values: Record<string, unknown>,
  errors: FieldErrors,
  status = 200,
): FastifyReply {
  const settings = broadcastSettings(deps.domain);
  return renderPage(
    reply,
    request,
    deps,
    'broadcasts-new',
    {
      title: 'Новая рассылка',
      section: 'broadcasts',
      values,
      errors,
      length: lengthOf(values),
      limitWords: LIMIT_WORDS,
      minLocal: cityLocalNow(deps.clock.now(), deps.domain.city.timezone),
      approvalThreshold: settings.approval.aboveRecipients,
      options: {
        districts: deps.domain.districts.map((d) => ({ id: d.id, name: d.name })),
        topics: settings.topics.map((x) => ({ id: x.id, name: x.name })),
        categories: deps.domain.categories.map((c) => ({ id: c.id, name: c.name })),
        channels: BROADCAST_CHANNELS,
      },
    },
    status,
  );
}
