import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { type AnswerDeps, reviewHeldAnswer } from '../../../handlers/answers/index.js';
import {
  askCitizen,
  assignCase,
  type CaseActionDeps,
  decideExtension,
  departmentRanking,
  listExtensions,
  mergeCases,
  requestExtension,
  resumeCase,
  returnToTriage,
  STATS_MIN_CASES,
} from '../../../handlers/cases/index.js';
import { AppError, NotFoundError } from '../../errors.js';
import { requireCaseAccess } from '../case-scope.js';
import { idParam, isoDate, jsonId, positiveId, safeText, wholeNumber } from '../input.js';
import { parseInput } from '../parse-input.js';
import { actorOf, requireAction } from '../principal.js';

const author = safeText(200, { trim: true, min: 1 }).optional();
const reason = safeText(1000, { trim: true, min: 3 });
const comment = safeText(1000).optional();

/** The request and query schemas of the routes below (also the OpenAPI document's, src/http/openapi/). */
export const extensionRequestBody = z.strictObject({ reason, until: isoDate.optional(), author });
export const extensionsQuery = z.object({
  state: z.enum(['pending', 'approved', 'rejected']).optional(),
  caseId: positiveId.optional(),
});
/** A decision on an extension request or a held answer. */
export const decisionBody = z.strictObject({ approve: z.boolean(), comment, author });
export const assignBody = z
  .strictObject({
    department: safeText(80, { min: 1 }).optional(),
    officialId: jsonId.optional(),
    author,
  })
  .refine((b) => (b.department === undefined) !== (b.officialId === undefined), 'give either department or officialId');
export const returnBody = z.strictObject({ reason, author });
export const mergeBody = z.strictObject({ into: jsonId, author });
export const questionBody = z.strictObject({ text: safeText(3500, { trim: true, min: 3 }), author });
export const resumeBody = z.strictObject({ author });
export const departmentStatsQuery = z.object({
  days: wholeNumber(1, 366).default(30),
  minCases: wholeNumber(1, 1000).default(STATS_MIN_CASES),
});

/** Conflicts (a case in the wrong state, a decision already taken) are 409 with a code. */
function conflict(outcome: { status: string; from?: string }, what: string): never {
  throw new AppError(
    outcome.status.toUpperCase(),
    `${what}: ${outcome.status.replaceAll('_', ' ')}${outcome.from ? ` (status "${outcome.from}")` : ''}`,
    409,
  );
}

/**
 * The operators' dashboard actions, the same use cases the bots call: extension requests and
 * decisions, held answers, routing by hand, returns to triage, merging duplicates, the ranking.
 */
export function caseActionRoutes(get: () => { actions: CaseActionDeps; answers: AnswerDeps }) {
  return (app: FastifyInstance) => {
    app.post('/api/v1/cases/:id/extensions', async (request, reply) => {
      const { id } = parseInput(idParam, request.params);
      await requireCaseAccess(request, get().actions.db, id);
      const body = parseInput(extensionRequestBody, request.body ?? {});
      const outcome = await requestExtension(get().actions, {
        caseId: id,
        reason: body.reason,
        actor: actorOf(request, body.author),
        ...(body.until ? { until: body.until } : {}),
      });
      if (outcome.status === 'not_found') throw new NotFoundError(`case ${id}`);
      if (outcome.status !== 'requested') conflict(outcome, 'no extension');
      return reply.code(201).send(outcome);
    });

    app.get('/api/v1/extensions', async (request) => {
      requireAction(request, 'triage');
      const q = parseInput(extensionsQuery, request.query);
      return { items: await listExtensions(get().actions, q) };
    });

    app.post('/api/v1/extensions/:id/decision', async (request) => {
      requireAction(request, 'triage');
      const { id } = parseInput(idParam, request.params);
      const body = parseInput(decisionBody, request.body ?? {});
      const outcome = await decideExtension(get().actions, {
        requestId: id,
        approve: body.approve,
        actor: actorOf(request, body.author),
        ...(body.comment ? { comment: body.comment } : {}),
      });
      if (outcome.status === 'not_found') throw new NotFoundError(`extension request ${id}`);
      if (outcome.status === 'already_decided') conflict(outcome, 'extension request');
      return { id, ...outcome };
    });

    app.post('/api/v1/answers/:id/review', async (request) => {
      requireAction(request, 'triage');
      const { id } = parseInput(idParam, request.params);
      const body = parseInput(decisionBody, request.body ?? {});
      const outcome = await reviewHeldAnswer(get().answers, {
        answerId: id,
        approve: body.approve,
        actor: actorOf(request, body.author),
        ...(body.comment ? { comment: body.comment } : {}),
      });
      if (outcome.status === 'not_found') throw new NotFoundError(`answer ${id}`);
      if (outcome.status === 'already_reviewed' || outcome.status === 'invalid_transition') conflict(outcome, 'answer');
      return { id, ...outcome };
    });

    app.post('/api/v1/cases/:id/assign', async (request) => {
      requireAction(request, 'triage');
      const { id } = parseInput(idParam, request.params);
      const body = parseInput(assignBody, request.body ?? {});
      const outcome = await assignCase(get().actions, {
        caseId: id,
        actor: actorOf(request, body.author),
        ...(body.department ? { department: body.department } : {}),
        ...(body.officialId ? { officialId: body.officialId } : {}),
      });
      if (outcome.status === 'not_found') throw new NotFoundError(`case ${id}`);
      if (outcome.status === 'unknown_department' || outcome.status === 'unknown_official')
        throw new AppError(outcome.status.toUpperCase(), `${outcome.status.replace('_', ' ')}`, 400);
      if (outcome.status === 'invalid_state') conflict(outcome, 'cannot assign');
      return { id, ...outcome };
    });

    app.post('/api/v1/cases/:id/return', async (request) => {
      const { id } = parseInput(idParam, request.params);
      await requireCaseAccess(request, get().actions.db, id);
      const body = parseInput(returnBody, request.body ?? {});
      const outcome = await returnToTriage(get().actions, {
        caseId: id,
        reason: body.reason,
        actor: actorOf(request, body.author),
      });
      if (outcome.status === 'not_found') throw new NotFoundError(`case ${id}`);
      if (outcome.status === 'invalid_state') conflict(outcome, 'cannot return');
      return { id, ...outcome };
    });

    app.post('/api/v1/cases/:id/merge', async (request) => {
      requireAction(request, 'triage');
      const { id } = parseInput(idParam, request.params);
      const body = parseInput(mergeBody, request.body ?? {});
      const outcome = await mergeCases(get().actions, {
        caseId: id,
        intoId: body.into,
        actor: actorOf(request, body.author),
      });
      if (outcome.status === 'not_found') throw new NotFoundError(`case ${id} or ${body.into}`);
      if (outcome.status !== 'merged') conflict(outcome, 'cannot merge');
      return { id, ...outcome };
    });

    app.post('/api/v1/cases/:id/questions', async (request, reply) => {
      const { id } = parseInput(idParam, request.params);
      await requireCaseAccess(request, get().actions.db, id);
      const body = parseInput(questionBody, request.body ?? {});
      const outcome = await askCitizen(get().actions, {
        caseId: id,
        question: body.text,
        actor: actorOf(request, body.author),
      });
      if (outcome.status === 'not_found') throw new NotFoundError(`case ${id}`);
      if (outcome.status !== 'asked') conflict(outcome, 'cannot ask the citizen');
      return reply.code(201).send({ id, ...outcome });
    });

    app.post('/api/v1/cases/:id/resume', async (request) => {
      const { id } = parseInput(idParam, request.params);
      await requireCaseAccess(request, get().actions.db, id);
      const body = parseInput(resumeBody, request.body ?? {});
      const outcome = await resumeCase(get().actions, { caseId: id, actor: actorOf(request, body.author) });
      if (outcome.status === 'not_found') throw new NotFoundError(`case ${id}`);
      if (outcome.status === 'not_paused') conflict(outcome, 'case');
      return { id, ...outcome };
    });

    app.get('/api/v1/stats/departments', async (request) => {
      requireAction(request, 'cases:all');
      const q = parseInput(departmentStatsQuery, request.query);
      return departmentRanking(get().actions, q);
    });
  };
}
