import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { type AnswerDeps, type AnswerOutcome, answerCase, caseAnswers } from '../../../handlers/answers/index.js';
import { AppError, NotFoundError } from '../../errors.js';
import { requireCaseAccess } from '../case-scope.js';
import { idParam, safeText } from '../input.js';
import { parseInput } from '../parse-input.js';
import { actorOf } from '../principal.js';

/** POST /api/v1/cases/:id/answers: an answer to the citizen. */
export const answerBody = z.strictObject({
  text: safeText(4000, { trim: true, min: 1 }),
  kind: z.enum(['interim', 'final']),
  force: z.boolean().optional(),
  author: safeText(200, { trim: true, min: 1 }).optional(),
});

/** Answers to citizens through the API (the dashboard); the same use case serves the officials' bot. */
export function answerRoutes(get: () => AnswerDeps) {
  return (app: FastifyInstance) => {
    app.post('/api/v1/cases/:id/answers', async (request, reply) => {
      const { id } = parseInput(idParam, request.params);
      await requireCaseAccess(request, get().db, id);
      const body = parseInput(answerBody, request.body ?? {});
      const outcome: AnswerOutcome = await answerCase(get(), {
        caseId: id,
        text: body.text,
        kind: body.kind,
        actor: actorOf(request, body.author),
        ...(body.force ? { force: true } : {}),
      });
      if (outcome.status === 'not_found') throw new NotFoundError(`case ${id}`);
      if (outcome.status === 'invalid_transition') {
        throw new AppError('INVALID_TRANSITION', `a case in status "${outcome.from}" cannot be answered`, 409);
      }
      if (outcome.status === 'needs_revision')
        return reply.code(422).send({
          error: {
            code: 'ANSWER_NEEDS_REVISION',
            message: `the answer looks like a formal reply: ${outcome.quality.problems.join(', ')}`,
          },
          quality: outcome.quality,
        });
      return reply.code(outcome.status === 'held' ? 202 : 201).send(outcome);
    });

    app.get('/api/v1/cases/:id/answers', async (request) => {
      const { id } = parseInput(idParam, request.params);
      await requireCaseAccess(request, get().db, id);
      return { items: await caseAnswers(get(), id) };
    });
  };
}
