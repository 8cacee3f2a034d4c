import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { HttpPlugin } from '../server.js';

export interface TelegramWebhookDeps {
  secret: string;
  /** Resolves once the update is stored; rejects when it could not be (Telegram then re-sends it). */
  handleUpdate: (update: { update_id: number }) => Promise<void>;
  onMalformed?: (body: unknown) => Promise<void>;
}

/**
 * POST /telegram/webhook. The secret header is required (401 otherwise); the answer is sent only
 * after the update was handled, so a 200 always means "stored". A failure answers 503, which makes
 * Telegram deliver the update again later.
 */
export function telegramWebhookRoute(deps: TelegramWebhookDeps): HttpPlugin {
  const expected = Buffer.from(deps.secret);
  return (app: FastifyInstance) => {
    app.post('/telegram/webhook', async (request, reply) => {
      const given = Buffer.from(String(request.headers['x-telegram-bot-api-secret-token'] ?? ''));
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        return reply.code(401).send({ error: { code: 'UNAUTHORIZED', message: 'wrong or missing secret token' } });
      }
      const body = request.body as { update_id?: unknown } | null;
      if (!body || typeof body !== 'object' || !Number.isSafeInteger(body.update_id)) {
        await deps.onMalformed?.(request.body);
        return reply.code(400).send({ error: { code: 'INVALID_UPDATE', message: 'body is not a Telegram Update' } });
      }
      try {
        await deps.handleUpdate(body as { update_id: number });
      } catch (error) {
        request.log.error({ err: error, updateId: body.update_id }, 'webhook update not handled');
        return reply.code(503).send({ error: { code: 'NOT_STORED', message: 'update not stored, retry later' } });
      }
      return reply.send({ ok: true });
    });
  };
}
