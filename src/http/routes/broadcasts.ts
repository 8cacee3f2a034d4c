import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { DomainConfig } from '../../../config/domain.js';
import {
  type BroadcastCaller,
  type BroadcastOutcome,
  type BroadcastsApi,
  broadcastInputSchema,
  broadcastPatchSchema,
} from '../../../handlers/broadcasts/index.js';
import type { Clock } from '../../../lib/clock.js';
import { AppError, NotFoundError } from '../../errors.js';
import { FILE_NAMES, recipientColumns, SHEET_NAMES, sendExport } from '../export/index.js';
import { idParam, safeText } from '../input.js';
import { parseInput } from '../parse-input.js';
import { principalOf } from '../principal.js';

/** The service token names the author it acts for (the audit trail and the broadcast record it). */
export const broadcastAuthorQuery = z.strictObject({ author: safeText(80, { min: 1 }).optional() });
export const broadcastCreateBody = broadcastInputSchema.extend({ author: safeText(80, { min: 1 }).optional() });
export const broadcastPatchBody = broadcastPatchSchema;
export const BROADCAST_OPS = ['approve', 'start', 'pause', 'resume', 'cancel'] as const;

const HTTP_STATUS = { invalid: 400, forbidden: 403, not_found: 404, conflict: 409, empty: 422 } as const;

/** The caller as the broadcasts see it: the service token (with the author it names) or a person. */
function callerOf(request: FastifyRequest, author?: string): BroadcastCaller {
  const p = principalOf(request);
  return p.kind === 'service' ? { kind: 'service', author: author ?? 'dashboard' } : { kind: 'person', official: p.official };
}

/** A use case's answer as HTTP: the value, or the refusal's status with its code and message. */
function unwrap<T>(outcome: BroadcastOutcome<T>, id?: number): T {
  if (outcome.status === 'ok') return outcome.value;
  if (outcome.status === 'not_found') throw new NotFoundError(`broadcast ${id ?? ''}`.trim());
  const message = outcome.status === 'invalid' && outcome.field ? `${outcome.field}: ${outcome.message}` : outcome.message;
  throw new AppError(outcome.code, message, HTTP_STATUS[outcome.status]);
}

/**
 * Targeted broadcasts (regulation 2.2.3), bearer token: compose a draft, preview who it reaches, approve
 * (a second person above the domain file's threshold), start / pause / resume / cancel, follow it, and
 * download who got it and who did not. Roles from the domain file's `broadcasts` section.
 */
export function broadcastRoutes(api: BroadcastsApi, deps: () => { clock: Clock; domain: Pick<DomainConfig, 'city'> }) {
  return (app: FastifyInstance) => {
    app.post('/api/v1/broadcasts', async (request, reply) => {
      const { author, ...input } = parseInput(broadcastCreateBody, request.body ?? {});
      const view = unwrap(await api.create(callerOf(request, author), input));
      return reply.code(201).send(view);
    });

    app.get('/api/v1/broadcasts', async (request) => unwrap(await api.list(callerOf(request))));

    app.get('/api/v1/broadcasts/:id', async (request) => {
      const { id } = parseInput(idParam, request.params);
      return unwrap(await api.get(callerOf(request), id), id);
    });

    app.patch('/api/v1/broadcasts/:id', async (request) => {
      const { id } = parseInput(idParam, request.params);
      const patch = parseInput(broadcastPatchBody, request.body ?? {});
      return unwrap(await api.update(callerOf(request), id, patch), id);
    });

    app.get('/api/v1/broadcasts/:id/preview', async (request) => {
      const { id } = parseInput(idParam, request.params);
      return unwrap(await api.preview(callerOf(request), id), id);
    });

    for (const op of BROADCAST_OPS) {
      app.post(`/api/v1/broadcasts/:id/${op}`, async (request) => {
        const { id } = parseInput(idParam, request.params);
        const { author } = parseInput(broadcastAuthorQuery, request.query ?? {});
        return unwrap(await api[op](callerOf(request, author), id), id);
      });
    }

    app.get('/api/v1/broadcasts/:id/recipients.csv', async (request, reply) => {
      const { id } = parseInput(idParam, request.params);
      return sendRecipientsCsv(request, reply, api, deps(), { caller: callerOf(request), id });
    });
  };
}

/**
 * Streams a broadcast's recipients as CSV — who got it, who did not and why (the API's recipients.csv
 * and the console's «Получатели (CSV)» both answer with this). A refusal throws the API's AppError.
 */
export async function sendRecipientsCsv(
  request: FastifyRequest,
  reply: FastifyReply,
  api: Pick<BroadcastsApi, 'recipients'>,
  deps: { clock: Clock; domain: Pick<DomainConfig, 'city'> },
  input: { caller: BroadcastCaller; id: number },
) {
  const { caller, id } = input;
  const pages = unwrap(await api.recipients(caller, id), id);
  return sendExport(request, reply, {
    format: 'csv',
    name: `${FILE_NAMES.recipients}-${id}`,
    sheetName: SHEET_NAMES.recipients,
    columns: recipientColumns,
    pages,
    timeZone: deps.domain.city.timezone,
    now: deps.clock.now(),
  });
}
