import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { type DeadLetterDeps, deadLetters, replayDeadLetter } from '../../../handlers/intake/index.js';
import { AppError, NotFoundError } from '../../errors.js';
import { idParam, positiveId, safeText, wholeNumber } from '../input.js';
import { parseInput } from '../parse-input.js';
import { requireAction } from '../principal.js';

export const deadLettersQuery = z.strictObject({
  limit: wholeNumber(1, 200).default(50),
  before: positiveId.optional(),
  source: safeText(40).optional(),
  replayed: z.enum(['true', 'false']).optional(),
});

/**
 * What the inbox could not process, for operators: events parked after repeated failures and
 * bodies refused at the edge, each with its raw body and the error; and their replay.
 */
export function deadLetterRoutes(get: () => DeadLetterDeps) {
  return (app: FastifyInstance) => {
    app.get('/api/v1/dead-letters', async (request) => {
      requireAction(request, 'triage');
      const query = parseInput(deadLettersQuery, request.query);
      const items = await deadLetters(get(), {
        limit: query.limit,
        ...(query.before !== undefined ? { beforeId: query.before } : {}),
        ...(query.source !== undefined ? { source: query.source } : {}),
        ...(query.replayed !== undefined ? { replayed: query.replayed === 'true' } : {}),
      });
      return { items, next: items.length === query.limit ? String(items.at(-1)?.id) : null };
    });

    app.post('/api/v1/dead-letters/:id/replay', async (request) => {
      requireAction(request, 'triage');
      const params = parseInput(idParam, request.params);
      const outcome = await replayDeadLetter(get(), params.id);
      switch (outcome.status) {
        case 'not_found':
          throw new NotFoundError(`dead letter ${params.id}`);
        case 'already_replayed':
          throw new AppError('ALREADY_REPLAYED', `dead letter ${params.id} was replayed at ${outcome.at.toISOString()}`, 409);
        case 'still_malformed':
          throw new AppError('STILL_MALFORMED', `the body is still refused by the edge check: ${outcome.reason}`, 422);
        case 'not_replayable':
          throw new AppError('NOT_REPLAYABLE', outcome.reason, 409);
        default:
          return outcome;
      }
    });
  };
}
