import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { positiveId } from '../../../http/input.js';
import { sendRecipientsCsv } from '../../../http/routes/broadcasts.js';
import type { ConsoleDeps } from '../../deps.js';
import { errorPage } from '../../errors.js';
import { renderFragment, renderPage } from '../../render.js';
import { authorOf, canApprove, readerOf } from './access.js';
import { type Detail, loadDetail, OPS, type Op, pageOf, progressOf, versionOf } from './detail-data.js';
import { DONE_TEXTS, emptyWords, refusalWords } from './words.js';

const idParams = z.object({ id: positiveId });
const opParams = z.object({ id: positiveId, op: z.enum(OPS) });
const opBody = z.looseObject({ version: z.string().max(64).optional() });

const STALE = 'Рассылку изменили, пока вы её смотрели: проверьте текст и получателей и повторите. Ничего не сделано.';

/**
 * A broadcast's page: the draft's preview and approval, the buttons its state and the person's role
 * allow, the progress (polled while it runs), the report and the recipients' CSV when it is over.
 */
export function detailPages(app: FastifyInstance, deps: ConsoleDeps): void {
  app.get('/broadcasts/:id', async (request, reply) => {
    const id = idOf(request);
    if (id === null) return errorPage(reply, request, deps, 404);
    const done = (request.query as { done?: unknown }).done;
    const text = typeof done === 'string' ? DONE_TEXTS[done] : undefined;
    return renderDetail(request, reply, deps, await loadDetail(request, deps, id), text ? { text, alert: false } : null);
  });

  app.get('/broadcasts/:id/progress', async (request, reply) => {
    const id = idOf(request);
    if (id === null) return errorPage(reply, request, deps, 404);
    const d = await loadDetail(request, deps, id);
    return renderFragment(reply, 'broadcasts-progress', progressOf(request, deps, d));
  });

  app.get('/broadcasts/:id/recipients.csv', async (request, reply) => {
    const id = idOf(request);
    if (id === null) return errorPage(reply, request, deps, 404);
    const caller = readerOf(request, deps);
    return sendRecipientsCsv(request, reply, deps.broadcasts, { clock: deps.clock, domain: deps.domain }, { caller, id });
  });

  app.post('/broadcasts/:id/:op', async (request, reply) => {
    const params = opParams.safeParse(request.params);
    if (!params.success) return errorPage(reply, request, deps, 404);
    const { id, op } = params.data;
    // A role that may not act is refused before any work (the use case would refuse it too).
    const caller = op === 'approve' ? readerOf(request, deps) : authorOf(request, deps);
    if (op === 'approve' && !canApprove(request, deps))
      return errorPage(
        reply,
        request,
        deps,
        403,
        refusalWords({ status: 'forbidden', code: 'APPROVER_ROLE', message: '' }, undefined, deps.domain),
      );
    const before = await loadDetail(request, deps, id);
    const version = opBody.safeParse(request.body ?? {}).data?.version;
    // What the person saw must be what is approved or started: a draft changed since is not acted on.
    if ((op === 'approve' || op === 'start') && before.report.status === 'draft' && version !== versionOf(before.report))
      return renderDetail(request, reply, deps, before, { text: STALE, alert: true }, 409);
    const outcome = await deps.broadcasts[op](caller, id);
    if (outcome.status === 'ok') return reply.redirect(`/console/broadcasts/${id}?done=${doneOf(op, outcome.value.status)}`, 303);
    if (outcome.status === 'not_found') return errorPage(reply, request, deps, 404);
    if (outcome.status === 'forbidden')
      return errorPage(reply, request, deps, 403, refusalWords(outcome, before.report.status, deps.domain));
    const after = await loadDetail(request, deps, id);
    if (outcome.status === 'empty') {
      const excluded = after.preview?.excluded ?? { optedOut: 0, noPrivateChat: 0 };
      return renderDetail(request, reply, deps, after, { text: emptyWords(after.report.segment, excluded), alert: true }, 422);
    }
    const text = refusalWords(outcome, after.report.status, deps.domain);
    return renderDetail(request, reply, deps, after, { text, alert: true }, outcome.status === 'conflict' ? 409 : 400);
  });
}

function idOf(request: FastifyRequest): number | null {
  const parsed = idParams.safeParse(request.params);
  return parsed.success ? parsed.data.id : null;
}

function doneOf(op: Op, status: string): string {
  if (op === 'start') return status === 'scheduled' ? 'scheduled' : 'started';
  return { approve: 'approved', pause: 'paused', resume: 'resumed', cancel: 'cancelled' }[op];
}

function renderDetail(
  request: FastifyRequest,
  reply: FastifyReply,
  deps: ConsoleDeps,
  d: Detail,
  notice: { text: string; alert: boolean } | null,
  status = 200,
): FastifyReply {
  return renderPage(reply, request, deps, 'broadcasts-detail', pageOf(request, deps, d, notice), status);
}
