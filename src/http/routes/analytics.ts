import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { type AnalyticsApi, type Invalid, PROBLEM_STATUSES, type Viewer } from '../../../handlers/analytics/index.js';
import { AppError, NotFoundError } from '../../errors.js';
import { isoDate, safeText, wholeNumber } from '../input.js';
import { parseInput } from '../parse-input.js';
import { actorOf, departmentScope, principalOf, requireAction } from '../principal.js';

/** GET /api/v1/analytics/ratings (and its exports): the period `[from, to)` and an optional department. */
export const ratingsQuery = z.strictObject({ from: isoDate, to: isoDate, department: safeText(80, { min: 1 }).optional() });
/** GET /api/v1/analytics/heatmap: the period, the metric and whether to add the district boundaries. */
export const heatmapQuery = z.strictObject({
  from: isoDate,
  to: isoDate,
  metric: safeText(20).default('count'),
  boundaries: z.enum(['true', 'false']).optional(),
});
/** GET /api/v1/problems (and its exports): the filters, the order, the trend window in days and the count. */
export const problemsQuery = z.strictObject({
  status: z.enum(PROBLEM_STATUSES).optional(),
  category: safeText(80, { min: 1 }).optional(),
  district: safeText(80, { min: 1 }).optional(),
  sort: z.enum(['volume', 'growth']).default('volume'),
  window: wholeNumber(1, 365).default(30),
  limit: wholeNumber(1, 500).default(100),
});
/** GET /api/v1/analytics/recommendations: the period. */
export const recommendationsQuery = z.strictObject({ from: isoDate, to: isoDate });
/** POST /api/v1/analytics/recommendations/:key/decision: the recommendation's id (recommendation-id.ts). */
export const recommendationDecisionParams = z.strictObject({ key: safeText(200, { min: 1 }) });
/** A dismissal needs a comment (400 COMMENT_REQUIRED); `author` names the service token's caller in the audit trail. */
export const recommendationDecisionBody = z.strictObject({
  decision: z.enum(['accepted', 'dismissed']),
  comment: safeText(2000).optional(),
  author: safeText(80, { min: 1 }).optional(),
});

/** The caller as the recommendations see it: the service token, or a person's role and department. */
export const viewerOf = (request: FastifyRequest): Viewer => {
  const p = principalOf(request);
  return p.kind === 'service'
    ? { kind: 'service' }
    : { kind: 'person', role: p.official.role, department: p.official.department };
};

const refuse = (outcome: Invalid): never => {
  throw new AppError(outcome.code, outcome.message, 400);
};

/**
 * The ratings of the departments (2.2.6), the heat map and the problem list (2.2.7), bearer token.
 * Ratings follow the case scope: a person who sees only their department's cases gets that
 * department's row (ranked among all); the heat map and the problems are city-wide (`cases:all`).
 */
export function analyticsRoutes(api: AnalyticsApi) {
  return (app: FastifyInstance) => {
    app.get('/api/v1/analytics/ratings', async (request) => {
      const q = parseInput(ratingsQuery, request.query);
      const scope = departmentScope(request);
      if (scope !== null && q.department !== undefined && q.department !== scope)
        throw new AppError('FORBIDDEN', 'this department is not yours', 403);
      const outcome = await api.ratings({ from: q.from, to: q.to, department: scope ?? q.department });
      return outcome.status === 'ok' ? outcome.report : refuse(outcome);
    });

    app.get('/api/v1/analytics/heatmap', async (request) => {
      requireAction(request, 'cases:all');
      const q = parseInput(heatmapQuery, request.query);
      const outcome = await api.heatmap({ from: q.from, to: q.to, metric: q.metric, boundaries: q.boundaries === 'true' });
      return outcome.status === 'ok' ? outcome.report : refuse(outcome);
    });

    app.get('/api/v1/problems', async (request) => {
      requireAction(request, 'cases:all');
      const q = parseInput(problemsQuery, request.query);
      const { window, ...rest } = q;
      const outcome = await api.problems({ ...rest, windowDays: window });
      return outcome.status === 'ok' ? { items: outcome.items } : refuse(outcome);
    });

    // Recommendations (2.2.9, 4.3): every one for staff, a department head's own; the МЦУ head and staff decide.
    app.get('/api/v1/analytics/recommendations', async (request) => {
      const q = parseInput(recommendationsQuery, request.query);
      const outcome = await api.recommendations({ from: q.from, to: q.to, viewer: viewerOf(request) });
      if (outcome.status === 'forbidden') throw new AppError('FORBIDDEN', outcome.message, 403);
      return outcome.status === 'ok' ? outcome.report : refuse(outcome);
    });

    app.post('/api/v1/analytics/recommendations/:key/decision', async (request) => {
      const { key: id } = parseInput(recommendationDecisionParams, request.params);
      const body = parseInput(recommendationDecisionBody, request.body ?? {});
      const outcome = await api.decideRecommendation({
        id,
        decision: body.decision,
        comment: body.comment ?? null,
        viewer: viewerOf(request),
        actor: actorOf(request, body.author),
      });
      if (outcome.status === 'forbidden') throw new AppError('FORBIDDEN', outcome.message, 403);
      if (outcome.status === 'not_found') throw new NotFoundError(`recommendation ${id}`);
      if (outcome.status === 'invalid') throw new AppError(outcome.code, outcome.message, 400);
      return outcome.recommendation;
    });
  };
}
