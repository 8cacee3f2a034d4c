import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { HttpPlugin } from '../server.js';

export interface TelegramWebhookDeps {
  secret: string;
  /** Resolves once the update is stored; rejects when it could not be (Telegram then re-sends it). */
  handleUpdate: (update: { update_id: number }) => Promise<void>;
  /** Keeps a body that is not a Telegram update (with its raw text) in the dead letters. */
  onMalformed: (raw: string, reason: string) => Promise<void>;
}

/**
 * POST /telegram/webhook. The secret header is required (401 otherwise, nothing stored); the answer
 * is sent only after the update was handled, so a 200 always means "stored". A failure answers 503,
 * which makes Telegram deliver the update again later. A malformed body answers 400 and is kept.
 */
export function telegramWebhookRoute(deps: TelegramWebhookDeps): HttpPlugin {
  const expected = Buffer.from(deps.secret);
  return async (app: FastifyInstance) => {
    await app.register(async (scope) => {
      // Parse JSON ourselves so a malformed body can be kept verbatim in the dead letters.
      scope.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => done(null, body));
      scope.post('/telegram/webhook', async (request, reply) => {
        const given = Buffer.from(String(request.headers['x-telegram-bot-api-secret-token'] ?? ''));
        if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
          return reply.code(401).send({ error: { code: 'UNAUTHORIZED', message: 'wrong or missing secret token' } });
        }
        const raw = typeof request.body === 'string' ? request.body : '';
        let update: unknown;
        try {
          update = JSON.parse(raw);
        } catch {
          await deps.onMalformed(raw, 'invalid_json');
          return reply.code(400).send({ error: { code: 'INVALID_JSON', message: 'request body is not valid JSON' } });
        }
        if (!update || typeof update !== 'object' || !Number.isSafeInteger((update as { update_id?: unknown }).update_id)) {
          await deps.onMalformed(raw, 'not_an_update');
          return reply.code(400).send({ error: { code: 'INVALID_UPDATE', message: 'body is not a Telegram Update' } });
        }
        try {
          await deps.handleUpdate(update as { update_id: number });
        } catch (error) {
          request.log.error({ err: error, updateId: (update as { update_id: number }).update_id }, 'webhook update not handled');
          return reply.code(503).send({ error: { code: 'NOT_STORED', message: 'update not stored, retry later' } });
        }
        return reply.send({ ok: true });
      });
    });
  };
}
