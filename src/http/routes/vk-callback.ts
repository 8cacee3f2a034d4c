import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { EdgeOutcome } from '../../../handlers/inbox/index.js';
import type { HttpPlugin } from '../server.js';
import { rawJsonBodies, secretMatches, WEBHOOK_BODY_LIMIT } from './secret-webhook.js';

export interface VkCallbackDeps {
  groupId: number;
  secret: string;
  confirmationCode: string;
  /** Checks a parsed event (bots/vk/edge.ts). */
  check: (value: unknown) => EdgeOutcome;
  /** Commits the event to the inbox (or the refused body to the dead letters); rejects when it could not. */
  accept: (outcome: EdgeOutcome) => Promise<void>;
}

/**
 * POST /vk/callback (VK Callback API). VK puts the secret inside the body, so the body is parsed
 * first — but nothing is stored until the group and the secret are right (403 otherwise; a body
 * that is not JSON or has no secret is 400 and stored nowhere). `confirmation` answers the
 * configured code. A signed event is committed to the inbox and only then answered "ok"; a signed
 * event that can never be processed is kept in the dead letters and answered "ok" too (VK stops
 * re-sending); a failed commit answers 503 and VK re-sends. (vk-io's own webhook answers "ok"
 * before its handlers run, which would lose events on a crash.)
 */
export function vkCallbackRoute(deps: VkCallbackDeps): HttpPlugin {
  const expected = Buffer.from(deps.secret);
  // Parsed once per request: the limiter reads the secret (to let a signed event pass before any failure
  // bucket) and then the route does.
  const parsed = new WeakMap<FastifyRequest, VkEnvelope | null>();
  const eventOf = (request: FastifyRequest): VkEnvelope | null => {
    if (!parsed.has(request)) parsed.set(request, parseEnvelope(request.body));
    return parsed.get(request) ?? null;
  };
  const webhookSecret = {
    in: 'body' as const,
    matches: (request: FastifyRequest) => {
      const event = eventOf(request);
      return event !== null && event.group_id === deps.groupId && secretMatches(expected, secretOf(event));
    },
  };
  const options = { bodyLimit: WEBHOOK_BODY_LIMIT, config: { rateLimit: 'webhook' as const, webhookSecret } };
  return async (app: FastifyInstance) => {
    await app.register(async (scope) => {
      rawJsonBodies(scope);
      scope.post('/vk/callback', options, async (request, reply) => {
        const event = eventOf(request);
        if (!event) {
          return reply.code(400).type('text/plain').send('not a VK event');
        }
        if (event.group_id !== deps.groupId) return reply.code(403).type('text/plain').send('wrong group');
        if (event.type === 'confirmation') return reply.type('text/plain').send(deps.confirmationCode);
        if (!secretMatches(expected, secretOf(event))) {
          return reply.code(403).type('text/plain').send('wrong secret');
        }
        request.webhookSigned = true;
        try {
          await deps.accept(deps.check(event));
        } catch (error) {
          request.log.error({ err: error }, 'VK event not stored; VK will re-send it');
          return reply.code(503).type('text/plain').send('retry');
        }
        return reply.type('text/plain').send('ok');
      });
    });
  };
}

type VkEnvelope = { type?: unknown; group_id?: unknown; secret?: unknown };

/** The event's envelope, or null for a body that is not a JSON object. */
function parseEnvelope(body: unknown): VkEnvelope | null {
  try {
    // V8's JSON.parse does not recurse: a hostile nesting is caught by the edge check.
    const event: unknown = JSON.parse(typeof body === 'string' ? body : '');
    return event && typeof event === 'object' && !Array.isArray(event) ? (event as VkEnvelope) : null;
  } catch {
    return null;
  }
}

function secretOf(event: VkEnvelope): string {
  return typeof event.secret === 'string' ? event.secret : '';
}
