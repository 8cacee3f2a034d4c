import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { type EdgeOutcome, parseStorable, rawBody } from '../../../handlers/inbox/index.js';
import type { HttpPlugin } from '../server.js';
import { WEBHOOK_BODY_LIMIT } from './telegram-webhook.js';

export interface MaxWebhookDeps {
  secret: string;
  /** Checks a parsed body (bots/max/edge.ts). */
  check: (value: unknown) => EdgeOutcome;
  /** Commits the update to the inbox (or the refused body to the dead letters); rejects when it could not. */
  accept: (outcome: EdgeOutcome) => Promise<void>;
}

/**
 * POST /max/webhook (a MAX `POST /subscriptions` subscription). The `X-Max-Bot-Api-Secret` header is
 * checked before anything else (401, nothing stored). A body that is not JSON is kept in the dead
 * letters and answered 400; JSON that can never be an update is kept there too and answered 200, so
 * MAX stops re-sending it. An update is committed to the inbox and only then answered 200; when the
 * commit fails, 503, and MAX delivers it again (it retries for up to 8 hours).
 */
export function maxWebhookRoute(deps: MaxWebhookDeps): HttpPlugin {
  const expected = Buffer.from(deps.secret);
  return async (app: FastifyInstance) => {
    await app.register(async (scope) => {
      // Parse JSON ourselves so a malformed body can be kept verbatim in the dead letters.
      scope.addContentTypeParser(
        'application/json',
        { parseAs: 'string', bodyLimit: WEBHOOK_BODY_LIMIT },
        (_request, body, done) => done(null, body),
      );
      scope.post('/max/webhook', { bodyLimit: WEBHOOK_BODY_LIMIT }, async (request, reply) => {
        const given = Buffer.from(String(request.headers['x-max-bot-api-secret'] ?? ''));
        if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
          return reply.code(401).send({ error: { code: 'UNAUTHORIZED', message: 'wrong or missing secret' } });
        }
        const raw = typeof request.body === 'string' ? request.body : '';
        const parsed = parseStorable(raw);
        const outcome: EdgeOutcome = parsed.ok
          ? deps.check(parsed.value)
          : { ok: false, reason: parsed.reason, raw: rawBody(raw) };
        try {
          await deps.accept(outcome);
        } catch (error) {
          request.log.error({ err: error }, 'MAX update not stored; MAX will re-send it');
          return reply.code(503).send({ error: { code: 'NOT_STORED', message: 'update not stored, retry later' } });
        }
        if (!parsed.ok && parsed.reason === 'invalid_json')
          return reply.code(400).send({ error: { code: 'NOT_JSON', message: 'the body is not JSON; kept' } });
        return reply.send(outcome.ok ? { ok: true } : { ok: true, parked: outcome.reason.split(':')[0] });
      });
    });
  };
}
