import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  type Cursor,
  caseDetail,
  casesPage,
  decideSource,
  messagesPage,
  type QueryDeps,
  sources,
} from '../../../handlers/cases/index.js';
import { CHANNELS } from '../../../models/intake.js';
import { AppError, NotFoundError, ValidationError } from '../../errors.js';
import { caseKey, idParam, isoDate, jsonId, positiveId, safeText, wholeNumber } from '../input.js';
import { parseInput } from '../parse-input.js';
import { actorOf, departmentScope, requireAction, requireCaseScope } from '../principal.js';

const pageQuery = {
  limit: wholeNumber(1, 200).default(50),
  cursor: safeText(200).optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
  q: safeText(200, { trim: true, min: 1 }).optional(),
  channel: z.enum(CHANNELS).optional(),
};
/** The listing's query; the exports (routes/exports.ts) take the same filters. */
export const casesQuery = z.strictObject({
  ...pageQuery,
  status: safeText(40).optional(),
  category: safeText(80).optional(),
  department: safeText(80).optional(),
  district: safeText(80).optional(),
  priority: z.enum(['urgent', 'normal']).optional(),
  problem: positiveId.optional(),
});
export const messagesQuery = z.strictObject({
  ...pageQuery,
  kind: safeText(40).optional(),
  source: positiveId.optional(),
});

/** A case by its id or its number (МЦУ-2026-000123). */
export const caseKeyParams = z.object({ id: caseKey });
export const sourcesQuery = z.strictObject({ status: z.enum(['active', 'pending', 'rejected']).optional() });
export const sourceDecisionParams = idParam.extend({ decision: z.enum(['approve', 'reject']) });
/** Optional: `{ "official": true }` when approving. */
export const sourceDecisionBody = z.object({ official: z.boolean().optional() }).nullish();

export function encodeCursor(cursor: Cursor | null): string | null {
  return cursor ? Buffer.from(JSON.stringify({ at: cursor.at.toISOString(), id: cursor.id })).toString('base64url') : null;
}

function decodeCursor(value: string | undefined): Cursor | undefined {
  if (!value) return undefined;
  try {
    return z.object({ at: isoDate, id: jsonId }).parse(JSON.parse(Buffer.from(value, 'base64url').toString('utf8')));
  } catch {
    throw new ValidationError('cursor: not a cursor returned by this API');
  }
}

/** Read access to cases, messages and sources for the dashboard and integrations (bearer token). */
export function caseRoutes(deps: QueryDeps | (() => QueryDeps)) {
  const get = typeof deps === 'function' ? deps : () => deps;
  return (app: FastifyInstance) => {
    app.get('/api/v1/cases', async (request) => {
      const { limit, cursor, ...filters } = parseInput(casesQuery, request.query);
      // An official sees their department's cases only, whatever the filter says.
      const scope = departmentScope(request);
      if (scope !== null && filters.department !== undefined && filters.department !== scope)
        throw new AppError('FORBIDDEN', 'this department is not yours', 403);
      const page = await casesPage(
        get(),
        { ...filters, ...(scope ? { department: scope } : {}) },
        { limit, ...withCursor(cursor) },
      );
      return { items: page.items, nextCursor: encodeCursor(page.next) };
    });

    app.get('/api/v1/cases/:id', async (request) => {
      const { id } = parseInput(caseKeyParams, request.params);
      const found = await caseDetail(get(), id);
      if (!found) throw new NotFoundError(`case ${id}`);
      requireCaseScope(request, found.department);
      return found;
    });

    app.get('/api/v1/messages', async (request) => {
      requireAction(request, 'cases:all');
      const { limit, cursor, source, ...filters } = parseInput(messagesQuery, request.query);
      const page = await messagesPage(
        get(),
        { ...filters, ...(source ? { sourceId: source } : {}) },
        { limit, ...withCursor(cursor) },
      );
      return { items: page.items, nextCursor: encodeCursor(page.next) };
    });

    app.get('/api/v1/sources', async (request) => {
      requireAction(request, 'triage');
      const { status } = parseInput(sourcesQuery, request.query);
      return { items: await sources(get(), status) };
    });

    app.post('/api/v1/sources/:id/:decision', async (request) => {
      requireAction(request, 'triage');
      const { id, decision } = parseInput(sourceDecisionParams, request.params);
      const body = parseInput(sourceDecisionBody, request.body ?? null);
      const changed = await decideSource(get(), {
        id,
        decision: decision === 'approve' ? 'active' : 'rejected',
        ...(body?.official === undefined ? {} : { official: body.official }),
        actor: actorOf(request),
      });
      if (!changed) throw new NotFoundError(`source ${id}`);
      return { id, status: decision === 'approve' ? 'active' : 'rejected' };
    });
  };
}

function withCursor(cursor: string | undefined): { after?: Cursor } {
  const after = decodeCursor(cursor);
  return after ? { after } : {};
}
