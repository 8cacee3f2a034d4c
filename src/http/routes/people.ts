import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { DomainConfig } from '../../../config/domain.js';
import {
  deactivate,
  INVITE_CHANNELS,
  inviteAgain,
  inviteLinks,
  inviteOfficial,
  issueApiToken,
  officials,
  preferChannel,
  revokeApiTokensOf,
} from '../../../handlers/people/index.js';
import type { Clock } from '../../../lib/clock.js';
import type { Db } from '../../../models/database.js';
import { AppError, NotFoundError } from '../../errors.js';
import { idParam, safeText } from '../input.js';
import { parseInput } from '../parse-input.js';
import { actorOf, personOr, principalOf, requireAction } from '../principal.js';

export interface PeopleRouteDeps {
  db: Db;
  clock: Clock;
  domain: DomainConfig;
  /** The Telegram bot's username, once it runs in this instance (invite links need it). */
  botUsername: string | null;
  /** The MAX bot's username, likewise. */
  maxBotUsername: string | null;
}

export const inviteRequestBody = z.strictObject({
  name: safeText(200, { trim: true, min: 1 }),
  department: safeText(80, { min: 1 }),
  role: safeText(40, { min: 1 }),
});
export const preferredChannelBody = z.strictObject({ channel: z.enum(INVITE_CHANNELS) });

/** Officials and МЦУ staff: invite (single-use expiring links, one per messenger), list, preferred messenger, deactivate. */
export function peopleRoutes(get: () => PeopleRouteDeps) {
  return (app: FastifyInstance) => {
    app.post('/api/v1/officials/invites', async (request, reply) => {
      requireAction(request, 'people:manage');
      const body = parseInput(inviteRequestBody, request.body ?? {});
      const deps = get();
      const outcome = await inviteOfficial(deps, {
        ...body,
        actor: personOr(request, { type: 'api', author: null }),
      });
      if (outcome.status === 'unknown_department')
        throw new AppError('UNKNOWN_DEPARTMENT', `unknown department "${body.department}"`, 400);
      if (outcome.status === 'unknown_role')
        throw new AppError('UNKNOWN_ROLE', `unknown role "${body.role}"; known: ${outcome.known.join(', ')}`, 400);
      if (outcome.status === 'role_not_grantable')
        throw new AppError(
          'FORBIDDEN',
          `your role may not grant "${body.role}"; you may grant: ${outcome.grantable.join(', ')}`,
          403,
        );
      return reply.code(201).send(inviteBody(deps, outcome));
    });

    // Another invite for someone already invited: a second messenger, a new phone, an expired link.
    app.post('/api/v1/officials/:id/invites', async (request, reply) => {
      requireAction(request, 'people:manage');
      const { id } = parseInput(idParam, request.params);
      const deps = get();
      const outcome = await inviteAgain(deps, { officialId: id, actor: personOr(request, { type: 'api', author: null }) });
      if (outcome.status === 'not_found') throw new NotFoundError(`active official ${id}`);
      return reply.code(201).send(inviteBody(deps, outcome));
    });

    app.get('/api/v1/officials', async (request) => {
      requireAction(request, 'people:manage');
      return { items: await officials(get()) };
    });

    app.post('/api/v1/officials/:id/preferred-channel', async (request) => {
      requireAction(request, 'people:manage');
      const { id } = parseInput(idParam, request.params);
      const { channel } = parseInput(preferredChannelBody, request.body ?? {});
      const outcome = await preferChannel(get(), {
        officialId: id,
        channel,
        actor: personOr(request, { type: 'api', author: null }),
      });
      if (outcome.status === 'not_found') throw new NotFoundError(`active official ${id}`);
      if (outcome.status === 'not_bound')
        throw new AppError(
          'CHANNEL_NOT_BOUND',
          `official ${id} has no ${channel} account bound; an invite opened there binds one`,
          409,
        );
      return { id, preferredChannel: channel };
    });

    app.post('/api/v1/officials/:id/deactivate', async (request) => {
      requireAction(request, 'people:manage');
      const { id } = parseInput(idParam, request.params);
      const actor = personOr(request, { type: 'api', author: null });
      if (!(await deactivate(get(), { officialId: id, actor }))) throw new NotFoundError(`active official ${id}`);
      return { id, active: false };
    });

    // Personal API tokens: the dashboard or an integration acting as one person, with their rights.
    app.post('/api/v1/officials/:id/api-tokens', async (request, reply) => {
      // Only the service token mints personal tokens: a person holding one could otherwise act
      // in anyone's name (the token comes back in the answer).
      if (principalOf(request).kind !== 'service')
        throw new AppError('FORBIDDEN', 'personal API tokens are issued with the service token only', 403);
      const { id } = parseInput(idParam, request.params);
      const outcome = await issueApiToken(get(), { officialId: id, actor: actorOf(request) });
      if (outcome.status === 'not_found') throw new NotFoundError(`active official ${id}`);
      return reply.code(201).send({ officialId: id, token: outcome.token });
    });

    app.delete('/api/v1/officials/:id/api-tokens', async (request) => {
      requireAction(request, 'people:manage');
      const { id } = parseInput(idParam, request.params);
      return { officialId: id, revoked: await revokeApiTokensOf(get(), { officialId: id, actor: actorOf(request) }) };
    });
  };
}

/** An invite as the API answers it: a link per messenger whose bot runs in this instance. */
function inviteBody(deps: PeopleRouteDeps, invite: { officialId: number; token: string; expiresAt: Date }) {
  const links = inviteLinks({ telegram: deps.botUsername, max: deps.maxBotUsername }, invite.token);
  return {
    officialId: invite.officialId,
    token: invite.token,
    // `link` predates MAX: the Telegram link, or the MAX one where only MAX runs.
    link: links.telegram ?? links.max,
    links,
    expiresAt: invite.expiresAt,
  };
}
