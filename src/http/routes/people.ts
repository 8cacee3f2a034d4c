import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { DomainConfig } from '../../../config/domain.js';
import {
  deactivate,
  inviteLink,
  inviteOfficial,
  issueApiToken,
  officials,
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
  botUsername: string | null;
}

/** Officials and МЦУ staff: invite (a single-use expiring t.me link), list, deactivate. */
export function peopleRoutes(get: () => PeopleRouteDeps) {
  return (app: FastifyInstance) => {
    app.post('/api/v1/officials/invites', async (request, reply) => {
      requireAction(request, 'people:manage');
      const body = parseInput(
        z.strictObject({
          name: safeText(200, { trim: true, min: 1 }),
          department: safeText(80, { min: 1 }),
          role: safeText(40, { min: 1 }),
        }),
        request.body ?? {},
      );
      const deps = get();
      const outcome = await inviteOfficial(deps, {
        ...body,
        actor: personOr(request, { type: 'api', author: null }),
      });
      if (outcome.status === 'unknown_department')
        throw new AppError('UNKNOWN_DEPARTMENT', `unknown department "${body.department}"`, 400);
      if (outcome.status === 'unknown_role')
        throw new AppError('UNKNOWN_ROLE', `unknown role "${body.role}"; known: ${outcome.known.join(', ')}`, 400);
      return reply.code(201).send({
        officialId: outcome.officialId,
        token: outcome.token,
        link: deps.botUsername ? inviteLink(deps.botUsername, outcome.token) : null,
        expiresAt: outcome.expiresAt,
      });
    });

    app.get('/api/v1/officials', async (request) => {
      requireAction(request, 'people:manage');
      return { items: await officials(get()) };
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
