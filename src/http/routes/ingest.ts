import type { FastifyInstance } from 'fastify';
import type { IngestApi } from '../../../handlers/ingest/index.js';
import { requireAction } from '../principal.js';

/**
 * `POST /api/v1/ingest`: one appeal pushed by another system (ПОС, ИМ). 201 with the new case, 200
 * with the same case when the appeal is known (what changed applied); 400 naming every bad field.
 * Operators' right (`triage`), like the other intake controls; the service token may always.
 */
export function ingestRoutes(api: IngestApi) {
  return (app: FastifyInstance) => {
    app.post('/api/v1/ingest', async (request, reply) => {
      requireAction(request, 'triage');
      const outcome = await api.ingest(request.body ?? {});
      if (outcome.status === 'invalid')
        return reply
          .code(400)
          .send({ error: { code: outcome.code, message: outcome.issues.join('; '), details: outcome.issues } });
      return reply.code(outcome.status === 'created' ? 201 : 200).send({
        id: outcome.caseId,
        number: outcome.number,
        status: outcome.status,
        changes: outcome.changes,
      });
    });
  };
}
