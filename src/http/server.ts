import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  LogController,
} from 'fastify';
import type { TrustProxy } from '../../config/http-limits.js';
import type { OfficialRow } from '../../models/people-repository.js';
import { AppError } from '../errors.js';
import type { Logger } from '../logger.js';
import { bearerMatches } from './api-token.js';
import type { AppMetrics } from './metrics.js';
import { installRateLimits, type RateLimits } from './rate-limits.js';
import { type HealthDeps, type HealthReport, healthRoutes } from './routes/health.js';
import { type StatusInfo, statusRoutes } from './routes/status.js';
import { installSecurityHeaders } from './security-headers.js';

export interface HttpDeps {
  log: Logger;
  metrics: AppMetrics;
  apiToken: string;
  /** The active person behind a personal API token (`mcu_…`), if any. */
  personByToken?: (token: string) => Promise<OfficialRow | undefined>;
  health: () => Promise<HealthReport>;
  status: () => StatusInfo;
  /** false once the process is stopping (GET /health/live). */
  live?: HealthDeps['live'];
  /** Non-fatal problems GET /health/ready lists as `warnings`. */
  readinessWarnings?: HealthDeps['readinessWarnings'];
  /** Which proxies may tell the client's address and scheme (TRUST_PROXY); default loopback only. */
  trustProxy?: TrustProxy;
  /** The rate limits (src/http/rate-limits.ts); none when absent. */
  rateLimits?: RateLimits;
}

/**
 * The default body limit of every route: the largest JSON the API takes (an appeal of two 10,000-character
 * texts, escaped) is far below it. The webhooks take 1 MiB (secret-webhook.ts), the console's forms 256 KiB.
 */
export const BODY_LIMIT_BYTES = 256 * 1024;

/** A plugin a transport (Telegram webhook, VK callback, API feature) adds to the server. */
export type HttpPlugin = (app: FastifyInstance) => Promise<void> | void;

/**
 * The Fastify server: health and metrics are public, everything under /api/ needs the bearer
 * token. Errors always answer JSON `{ error: { code, message } }`, never a stack trace.
 */
export async function createHttpServer(deps: HttpDeps, plugins: HttpPlugin[] = []): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.log as FastifyBaseLogger,
    // Request lines would carry URLs with personal data; we log our own redacted line in onResponse.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: BODY_LIMIT_BYTES,
    // Behind a load balancer the client address comes from X-Forwarded-For — but only a trusted proxy's
    // (TRUST_PROXY), or any client could pick the address its rate limit is counted under.
    trustProxy: trustProxyOption(deps.trustProxy ?? 'loopback'),
    genReqId: () => crypto.randomUUID(),
    // A path that is not valid percent-encoded UTF-8 (a cut escape, an encoded lone surrogate) never
    // reaches a route: answer it like any other refused input rather than with Fastify's own body.
    frameworkErrors: (error, request, anyReply) => {
      const reply = anyReply as FastifyReply;
      if (error.code === 'FST_ERR_BAD_URL')
        return reply.code(400).send({ error: { code: 'VALIDATION_FAILED', message: 'path: not valid percent-encoded UTF-8' } });
      // A path parameter longer than the router takes (100 characters) can name no record.
      if (error.code === 'FST_ERR_MAX_PARAM_LENGTH')
        return reply.code(404).send({ error: { code: 'NOT_FOUND', message: 'path parameter too long: no such record' } });
      request.log.error({ err: error }, 'framework error before routing');
      return reply.code(500).send({ error: { code: 'INTERNAL', message: 'internal error' } });
    },
  });

  const auth = async (request: FastifyRequest, reply: FastifyReply) => {
    if (!isApiPath(request.routeOptions.url, request.url)) return;
    if (bearerMatches(request.headers.authorization, deps.apiToken)) {
      request.principal = { kind: 'service' };
      return;
    }
    const header = request.headers.authorization;
    const person =
      header?.startsWith('Bearer ') && deps.personByToken
        ? await deps.personByToken(header.slice('Bearer '.length).trim())
        : undefined;
    if (person) {
      request.principal = { kind: 'person', official: person };
      return;
    }
    return reply.code(401).send({ error: { code: 'UNAUTHORIZED', message: 'missing or invalid bearer token' } });
  };
  // The limits wrap the bearer check: failed addresses are refused before it, principals counted after it.
  installRateLimits(
    app,
    deps.rateLimits ?? { api: null, authFailures: null, webhookFailures: null, login: null },
    (request) => isApiPath(request.routeOptions.url, request.url),
    auth,
    (request) => bearerMatches(request.headers.authorization, deps.apiToken),
  );
  installSecurityHeaders(app);
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    deps.metrics.httpDuration.observe(
      { method: request.method, route, status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
    request.log.debug({ method: request.method, route, status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'http');
  });

  app.setErrorHandler((error, request, reply) => {
    if (error instanceof AppError) {
      return reply.code(error.httpStatus).send({ error: { code: error.code, message: error.message } });
    }
    const fastifyError = error as { code?: string; statusCode?: number; message: string; validation?: unknown };
    if (fastifyError.validation) {
      return reply.code(400).send({ error: { code: 'VALIDATION_FAILED', message: fastifyError.message } });
    }
    if (fastifyError.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || fastifyError.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
      return reply.code(400).send({ error: { code: 'INVALID_JSON', message: 'request body is not valid JSON' } });
    }
    if (fastifyError.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      const limit = request.routeOptions.bodyLimit ?? BODY_LIMIT_BYTES;
      return reply
        .code(413)
        .send({ error: { code: 'PAYLOAD_TOO_LARGE', message: `request body is over ${Math.round(limit / 1024)} KiB` } });
    }
    if (fastifyError.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return reply.code(415).send({ error: { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'send the body as application/json' } });
    }
    if (fastifyError.statusCode && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
      return reply
        .code(fastifyError.statusCode)
        .send({ error: { code: fastifyError.code ?? 'BAD_REQUEST', message: fastifyError.message } });
    }
    request.log.error({ err: error }, 'unhandled error in HTTP route');
    return reply.code(500).send({ error: { code: 'INTERNAL', message: 'internal error' } });
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({ error: { code: 'NOT_FOUND', message: `no route ${request.method} ${request.url.split('?')[0]}` } }),
  );

  healthRoutes(app, deps);
  statusRoutes(app, deps);
  for (const plugin of plugins) await plugin(app);
  return app;
}

/** A hop count as proxy-addr reads one (Fastify's types take no number): the first `n` hops are trusted. */
function trustProxyOption(trust: TrustProxy): string | boolean | ((address: string, hop: number) => boolean) {
  return typeof trust === 'number' ? (_address, hop) => hop < trust : trust;
}

/**
 * Whether a request belongs to the token-protected API. Checks the matched route *and* the decoded
 * raw path: the router decodes percent-escapes, so `/%61pi/…` must not slip past a raw-prefix test.
 */
export function isApiPath(route: string | undefined, rawUrl: string): boolean {
  if (route?.startsWith('/api/')) return true;
  const path = rawUrl.split('?')[0] ?? '';
  let decoded = path;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    // A malformed escape: judge by the raw path.
  }
  return /^\/+api(\/|$)/i.test(decoded);
}
