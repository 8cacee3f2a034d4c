import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { type EdgeOutcome, parseStorable, rawBody } from '../../../handlers/inbox/index.js';
import type { HttpPlugin } from '../server.js';

/**
 * A messenger's updates are small (tens of KiB at most); anything near this is not an update. Kept
 * above the API's 256 KiB on purpose: a genuine update refused with 413 is re-sent by the platform
 * again and again and then lost, a cost far above reading one large body after the secret check.
 */
export const WEBHOOK_BODY_LIMIT = 1_048_576;

/** JSON bodies in this scope arrive as the raw string: we parse them ourselves, so a malformed one can be kept verbatim. */
export function rawJsonBodies(scope: FastifyInstance): void {
  scope.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: WEBHOOK_BODY_LIMIT }, (_request, body, done) =>
    done(null, body),
  );
}

/** The secret a platform sent equals ours, compared in constant time. */
export function secretMatches(expected: Buffer, given: string): boolean {
  const bytes = Buffer.from(given);
  return bytes.length === expected.length && timingSafeEqual(bytes, expected);
}

export interface SecretWebhookDeps {
  /** The route, e.g. `/telegram/webhook`. */
  path: string;
  /** The header the messenger sends the secret in (lower case). */
  header: string;
  secret: string;
  /** For the log line of a failed commit: who will re-send the update. */
  platform: string;
  /** A body that is not JSON: 400 (MAX, as its issue asks) or 200 (Telegram stops re-sending). Kept either way. */
  notJsonStatus: 200 | 400;
  /** Checks a parsed body (the messenger's edge check). */
  check: (value: unknown) => EdgeOutcome;
  /** Commits the event to the inbox (or the refused body to the dead letters); rejects when it could not. */
  accept: (outcome: EdgeOutcome) => Promise<void>;
}

/**
 * A messenger's webhook with a shared secret in a header. The secret is checked before anything else
 * (401, nothing stored); then the update is committed to the inbox and only then answered 200 —
 * storing it is the only work before the acknowledgement. A body that can never be an update (not
 * JSON, a text that is an object, nested 5,000 deep) is kept in the dead letters and answered so the
 * messenger stops re-sending it. When the commit fails, 503: the messenger delivers it again later.
 */
export function secretWebhookRoute(deps: SecretWebhookDeps): HttpPlugin {
  const expected = Buffer.from(deps.secret);
  const signed = (request: FastifyRequest) => secretMatches(expected, String(request.headers[deps.header] ?? ''));
  // The limiter checks the secret first too, before any failure bucket: a signed update is never refused.
  const webhookSecret = { in: 'headers' as const, matches: signed };
  const options = { bodyLimit: WEBHOOK_BODY_LIMIT, config: { rateLimit: 'webhook' as const, webhookSecret } };
  return async (app: FastifyInstance) => {
    await app.register(async (scope) => {
      rawJsonBodies(scope);
      scope.post(deps.path, options, async (request, reply) => {
        if (!signed(request)) {
          return reply.code(401).send({ error: { code: 'UNAUTHORIZED', message: 'wrong or missing secret' } });
        }
        request.webhookSigned = true;
        const raw = typeof request.body === 'string' ? request.body : '';
        const parsed = parseStorable(raw);
        const outcome: EdgeOutcome = parsed.ok
          ? deps.check(parsed.value)
          : { ok: false, reason: parsed.reason, raw: rawBody(raw) };
        try {
          await deps.accept(outcome);
        } catch (error) {
          request.log.error({ err: error }, `webhook update not stored; ${deps.platform} will re-send it`);
          return reply.code(503).send({ error: { code: 'NOT_STORED', message: 'update not stored, retry later' } });
        }
        if (!parsed.ok && parsed.reason === 'invalid_json' && deps.notJsonStatus === 400)
          return reply.code(400).send({ error: { code: 'NOT_JSON', message: 'the body is not JSON; kept' } });
        return reply.send(outcome.ok ? { ok: true } : { ok: true, parked: outcome.reason.split(':')[0] });
      });
    });
  };
}
