import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { QualityVerdict } from '../../../../handlers/answers/index.js';
import { type CaseView, caseByKey } from '../../../../handlers/cases/index.js';
import { NotFoundError } from '../../../errors.js';
import { requireAction, requireCaseScope } from '../../../http/principal.js';
import type { ConsoleDeps } from '../../deps.js';
import { type FieldErrors, parseForm } from '../../form.js';
import { t } from '../../texts-ru.js';
import { caseHref, keyOf, showCase } from './show.js';
import type { DoneCode } from './texts.js';

/**
 * The case's actions, one POST each, calling the same use cases as the API (routes/case-actions.ts,
 * routes/answers.ts) and the bots. Every one checks, in order: the role (merge and reassign are the
 * operators'), the case's department, the form (400, the field marked), the version (409, the case
 * changed since the page was shown) — and only then acts. Nothing is saved on any refusal.
 */
export type Outcome =
  | { done: DoneCode; away?: boolean }
  | { status: 400; errors: FieldErrors }
  | { status: 409 | 422; alert: string; verdict?: QualityVerdict };

export interface Ctx<T> {
  request: FastifyRequest;
  c: CaseView;
  data: T;
}

export function action<T extends { version: string }>(
  app: FastifyInstance,
  deps: ConsoleDeps,
  name: string,
  schema: z.ZodType<T>,
  run: (ctx: Ctx<T>) => Promise<Outcome>,
  options: { triage?: boolean } = {},
): void {
  app.post(`/cases/:key/${name}`, async (request, reply) => {
    if (options.triage) requireAction(request, 'triage');
    const c = await caseByKey(deps.query(), keyOf(request));
    if (!c) throw new NotFoundError('case');
    requireCaseScope(request, c.department);
    const parsed = parseForm(schema, request.body);
    if (!parsed.ok)
      return showCase(reply, request, deps, c.id, { form: name, errors: parsed.errors, values: parsed.values }, 400);
    const values = request.body as Record<string, unknown>;
    if (parsed.data.version !== c.updatedAt.toISOString())
      return showCase(reply, request, deps, c.id, { form: name, values, alert: t.stale }, 409);
    const outcome = await run({ request, c, data: parsed.data });
    if ('done' in outcome)
      return reply.redirect(outcome.away ? `${caseHref(c.number)}/returned` : `${caseHref(c.number)}?done=${outcome.done}`, 303);
    if (outcome.status === 400) return showCase(reply, request, deps, c.id, { form: name, values, errors: outcome.errors }, 400);
    return showCase(
      reply,
      request,
      deps,
      c.id,
      { form: name, values, alert: outcome.alert, ...(outcome.verdict ? { verdict: outcome.verdict } : {}) },
      outcome.status,
    );
  });
}

export const refused = (alert: string, status: 409 | 422 = 409): Outcome => ({ status, alert });
export const notFound = (): never => {
  throw new NotFoundError('case');
};
