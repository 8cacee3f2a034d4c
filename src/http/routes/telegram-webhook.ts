import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { type EdgeOutcome, parseStorable, rawBody } from '../../../handlers/inbox/index.js';
import type { HttpPlugin } from '../server.js';

export interface TelegramWebhookDeps {
  secret: string;
  /** Checks a parsed body (bots/telegram/edge.ts). */
  check: (value: unknown) => EdgeOutcome;
  /** Commits the event to the inbox (or the refused body to the dead letters); rejects when it could not. */
  accept: (outcome: EdgeOutcome) => Promise<void>;
}

/** Telegram's updates are small; anything near this is not an update. */
export const WEBHOOK_BODY_LIMIT = 1_048_576;

/**
 * POST /telegram/webhook. The secret header is checked before anything else (401, nothing stored);
 * then the update is committed to the inbox and only then answered 200 — storing it is the only
 * work before the acknowledgement. A body that can never be an update (not JSON, a text that is an
 * object, nested 5,000 deep) is kept in the dead letters and also answered 200, so Telegram stops
 * re-sending it. When the commit fails, 503: Telegram delivers the update again later.
 */
export function telegramWebhookRoute(deps: TelegramWebhookDeps): HttpPlugin {
  const expected = Buffer.from(deps.secret);
  return async (app: FastifyInstance) => {
    await app.register(async (scope) => {
      // Parse JSON ourselves so a malformed body can be kept verbatim in the dead letters.
      scope.addContentTypeParser(
        'application/json',
        { parseAs: 'string', bodyLimit: WEBHOOK_BODY_LIMIT },
        (_request, body, done) => done(null, body),
      );
      scope.post('/telegram/webhook', { bodyLimit: WEBHOOK_BODY_LIMIT }, async (request, reply) => {
        const given = Buffer.from(String(request.headers['x-telegram-bot-api-secret-token'] ?? ''));
        if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
          return reply.code(401).send({ error: { code: 'UNAUTHORIZED', message: 'wrong or missing secret token' } });
        }
        const raw = typeof request.body === 'string' ? request.body : '';
        const parsed = parseStorable(raw);
        const outcome: EdgeOutcome = parsed.ok
          ? deps.check(parsed.value)
          : { ok: false, reason: parsed.reason, raw: rawBody(raw) };
        try {
          await deps.accept(outcome);
        } catch (error) {
          request.log.error({ err: error }, 'webhook update not stored; Telegram will re-send it');
          return reply.code(503).send({ error: { code: 'NOT_STORED', message: 'update not stored, retry later' } });
        }
        return reply.send(outcome.ok ? { ok: true } : { ok: true, parked: outcome.reason.split(':')[0] });
      });
    });
  };
}
