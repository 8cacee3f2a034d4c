import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { DomainConfig } from '../../../config/domain.js';
import { ackAlert, alerts, type CaseActionDeps, caseAudit, changeCaseStatus } from '../../../handlers/cases/index.js';
import { classifierModels, correctCategory, type RetrainOutcome } from '../../../handlers/structuring/index.js';
import type { Clock } from '../../../lib/clock.js';
import { CASE_STATUSES } from '../../../models/case-lifecycle.js';
import type { Db } from '../../../models/database.js';
import { AppError, NotFoundError } from '../../errors.js';
import { requireCaseAccess } from '../case-scope.js';
import { idParam, safeText, wholeNumber } from '../input.js';
import { parseInput } from '../parse-input.js';
import { personOr, requireAction } from '../principal.js';

export interface StructuringRouteDeps {
  db: Db;
  clock: Clock;
  domain: DomainConfig;
  retrain: () => Promise<RetrainOutcome>;
  /** With the queue: a re-routed case is announced to its new department. */
  actions?: CaseActionDeps;
}

export const alertsQuery = z.strictObject({
  open: z.enum(['true', 'false']).optional(),
  limit: wholeNumber(1, 500).default(100),
});
export const statusChangeBody = z.strictObject({ to: z.enum(CASE_STATUSES), comment: safeText(2000).optional() });
export const categoryCorrectionBody = z.strictObject({ category: safeText(80, { min: 1 }) });

/** Alerts and operators' category corrections (bearer token, like all of /api/); problems: routes/analytics.ts. */
export function structuringRoutes(get: () => StructuringRouteDeps) {
  return (app: FastifyInstance) => {
    app.get('/api/v1/alerts', async (request) => {
      requireAction(request, 'triage');
      const query = parseInput(alertsQuery, request.query);
      return { items: await alerts(get(), { open: query.open === 'true', limit: query.limit }) };
    });

    app.post('/api/v1/alerts/:id/ack', async (request) => {
      requireAction(request, 'triage');
      const { id } = parseInput(idParam, request.params);
      if (!(await ackAlert(get(), id))) throw new NotFoundError(`open alert ${id}`);
      return { id, acknowledged: true };
    });

    app.get('/api/v1/classifier/models', async (request) => {
      requireAction(request, 'triage');
      return { items: await classifierModels(get()) };
    });

    app.post('/api/v1/classifier/retrain', async (request) => {
      requireAction(request, 'triage');
      return get().retrain();
    });

    app.post('/api/v1/cases/:id/status', async (request) => {
      requireAction(request, 'triage');
      const { id } = parseInput(idParam, request.params);
      const body = parseInput(statusChangeBody, request.body ?? {});
      const outcome = await changeCaseStatus(get(), {
        caseId: id,
        to: body.to,
        actor: personOr(request, { type: 'api', author: null }),
        ...(body.comment ? { comment: body.comment } : {}),
      });
      if (outcome.status === 'not_found') throw new NotFoundError(`case ${id}`);
      if (outcome.status === 'invalid_transition') {
        throw new AppError('INVALID_TRANSITION', `a case cannot go from "${outcome.from}" to "${outcome.to}"`, 409);
      }
      return { id, ...outcome };
    });

    app.get('/api/v1/cases/:id/audit', async (request) => {
      const { id } = parseInput(idParam, request.params);
      await requireCaseAccess(request, get().db, id);
      return { items: await caseAudit(get(), id) };
    });

    app.patch('/api/v1/cases/:id', async (request) => {
      requireAction(request, 'triage');
      const { id } = parseInput(idParam, request.params);
      const body = parseInput(categoryCorrectionBody, request.body ?? {});
      const outcome = await correctCategory(get(), {
        caseId: id,
        category: body.category,
        actor: personOr(request, { type: 'api', author: null }),
      });
      if (outcome.status === 'not_found') throw new NotFoundError(`case ${id}`);
      if (outcome.status === 'unknown_category') {
        throw new AppError('UNKNOWN_CATEGORY', `unknown category "${body.category}"; known: ${outcome.known.join(', ')}`, 400);
      }
      return { id, ...outcome };
    });
  };
}
