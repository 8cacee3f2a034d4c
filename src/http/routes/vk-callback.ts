import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { VkEvent } from '../../../bots/vk/translate.js';
import type { HttpPlugin } from '../server.js';

export interface VkCallbackDeps {
  groupId: number;
  secret: string;
  confirmationCode: string;
  /** Resolves once the event is stored; VK re-sends anything not answered with "ok". */
  handleEvent: (event: VkEvent) => Promise<void>;
  onMalformed: (raw: string, reason: string) => Promise<void>;
}

/**
 * POST /vk/callback (VK Callback API). `confirmation` answers the configured code; a wrong secret or
 * group answers 403 and stores nothing; any other event answers "ok" only after it was stored.
 * (vk-io's own webhook answers "ok" before its handlers run, which would lose events on a crash.)
 */
export function vkCallbackRoute(deps: VkCallbackDeps): HttpPlugin {
  const expected = Buffer.from(deps.secret);
  return async (app: FastifyInstance) => {
    await app.register(async (scope) => {
      scope.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => done(null, body));
      scope.post('/vk/callback', async (request, reply) => {
        const raw = typeof request.body === 'string' ? request.body : '';
        let event: VkEvent;
        try {
          event = JSON.parse(raw) as VkEvent;
        } catch {
          await deps.onMalformed(raw, 'invalid_json');
          return reply.code(400).type('text/plain').send('invalid json');
        }
        if (!event || typeof event !== 'object' || typeof event.type !== 'string') {
          await deps.onMalformed(raw, 'not_an_event');
          return reply.code(400).type('text/plain').send('not a VK event');
        }
        if (event.group_id !== deps.groupId) return reply.code(403).type('text/plain').send('wrong group');
        if (event.type === 'confirmation') return reply.type('text/plain').send(deps.confirmationCode);
        const given = Buffer.from(typeof event.secret === 'string' ? event.secret : '');
        if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
          return reply.code(403).type('text/plain').send('wrong secret');
        }
        try {
          await deps.handleEvent(event);
        } catch (error) {
          request.log.error({ err: error, type: event.type }, 'VK event not stored; VK will re-send it');
          return reply.code(503).type('text/plain').send('retry');
        }
        return reply.type('text/plain').send('ok');
      });
    });
  };
}
