import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { QueryDeps } from '../../../handlers/cases/index.js';
import { exportCitizen, type ForgetDeps, findCitizens, forgetCitizen } from '../../../handlers/privacy/index.js';
import { CHANNELS } from '../../../models/intake.js';
import { AppError, NotFoundError } from '../../errors.js';
import { idParam, safeText } from '../input.js';
import { parseInput } from '../parse-input.js';
import { actorOf, requireAction } from '../principal.js';

const author = safeText(200, { trim: true, min: 1 }).optional();

/** The request schemas of the routes below (also the OpenAPI document's). */
export const citizensQuery = z
  .strictObject({
    case: safeText(40, { trim: true, min: 1 }).optional(),
    channel: z.enum(CHANNELS).optional(),
    externalId: safeText(64, { trim: true, min: 1 }).optional(),
  })
  .refine((q) => (q.case !== undefined) !== (q.channel !== undefined && q.externalId !== undefined), {
    message: 'give either case (a case number) or channel and externalId',
  });
export const citizenExportQuery = z.strictObject({ author });
export const citizenForgetBody = z.strictObject({ author }).nullish();

/**
 * A citizen's personal data on their request (152-ФЗ ст. 14, 21): find them, export everything stored
 * about them, anonymise them. `citizens:data` (operators, the head; the service token); every export
 * and anonymisation is audited with the actor. The platform id in the lookup's query string is never
 * logged (the server logs no request lines).
 */
export function citizenRoutes(get: { query: () => QueryDeps; actions: () => ForgetDeps }) {
  return (app: FastifyInstance) => {
    app.get('/api/v1/citizens', async (request) => {
      requireAction(request, 'citizens:data');
      const q = parseInput(citizensQuery, request.query ?? {});
      const by = q.case !== undefined ? { caseNumber: q.case } : { channel: q.channel ?? 'api', externalId: q.externalId ?? '' };
      return { items: await findCitizens(get.query().db, by) };
    });

    app.get('/api/v1/citizens/:id/export', async (request) => {
      requireAction(request, 'citizens:data');
      const { id } = parseInput(idParam, request.params);
      const q = parseInput(citizenExportQuery, request.query ?? {});
      const data = await exportCitizen(get.query(), { citizenId: id, actor: actorOf(request, q.author) });
      if (!data) throw new NotFoundError(`citizen ${id}`);
      return data;
    });

    app.post('/api/v1/citizens/:id/forget', async (request) => {
      requireAction(request, 'citizens:data');
      const { id } = parseInput(idParam, request.params);
      const body = parseInput(citizenForgetBody, request.body ?? {});
      const outcome = await forgetCitizen(get.actions(), {
        citizenId: id,
        actor: actorOf(request, body?.author),
        via: 'operator',
      });
      if (outcome.status === 'not_found') throw new NotFoundError(`citizen ${id}`);
      if (outcome.status === 'already') throw new AppError('ALREADY_ANONYMISED', `citizen ${id} is already anonymised`, 409);
      if (outcome.status === 'nothing_stored') throw new NotFoundError(`citizen ${id}`);
      return { id, status: outcome.status, closedCases: outcome.closedCases };
    });
  };
}
