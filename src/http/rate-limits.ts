import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { HttpLimits, RateLimit } from '../../config/http-limits.js';
import type { Clock } from '../../lib/clock.js';
import { type BucketAnswer, KeyedTokenBuckets } from '../../lib/token-bucket.js';
import { AppError } from '../errors.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The route's limit by client address: `login` (a console login link: failed links are charged),
     * `webhook` (a messenger's webhook: requests refused for a wrong secret are charged). /api/ is
     * limited by its path.
     */
    rateLimit?: 'login' | 'webhook';
    /**
     * How a webhook proves it is the platform: its secret, read from the headers (checked before the
     * body is read) or from the parsed body (VK). A request whose secret matches passes every limiter.
     */
    webhookSecret?: { in: 'headers' | 'body'; matches: (request: FastifyRequest) => boolean };
  }
  interface FastifyRequest {
    /** Set by a webhook once its secret matched: what it answers then is never charged to the address. */
    webhookSigned?: boolean;
  }
}

/** The limiters of one server (in memory, per instance: N instances behind a balancer allow up to N times). */
export interface RateLimits {
  api: KeyedTokenBuckets | null;
  authFailures: KeyedTokenBuckets | null;
  /**
   * Webhook requests refused for a wrong or missing secret, per address: apart from the API's failures,
   * so bad API tokens from an address a platform shares (one proxy, a forged X-Forwarded-For) never
   * refuse the platform's webhooks. Same rate as `authFailures` (RATE_LIMIT_AUTH_FAILURES).
   */
  webhookFailures: KeyedTokenBuckets | null;
  login: KeyedTokenBuckets | null;
}

export function createRateLimits(limits: Pick<HttpLimits, 'api' | 'authFailures' | 'login'>, clock: Clock): RateLimits {
  const make = (rate: RateLimit) => (rate ? new KeyedTokenBuckets(rate, clock) : null);
  return {
    api: make(limits.api),
    authFailures: make(limits.authFailures),
    webhookFailures: make(limits.authFailures),
    login: make(limits.login),
  };
}

type Kind = 'api' | 'webhook' | 'login';

/**
 * The rate-limit hooks, around the bearer check (`auth`, an onRequest hook): before it, an address
 * that has failed too often is refused before anything is read or looked up (a failure-charged
 * bucket: honest callers never fail, so they are never slowed); after it, each API principal gets its
 * own bucket. A webhook's secret is checked first (`webhookSecret`: from the headers on request, from
 * the body once parsed): a request with the right one consults no bucket at all, so a platform is never
 * throttled, however fast it re-sends a backlog and whoever shares its address; only a wrong or
 * missing secret is pre-refused and charged, in the webhooks' own failure bucket.
 */
export function installRateLimits(
  app: FastifyInstance,
  limits: RateLimits,
  isApi: (request: FastifyRequest) => boolean,
  auth: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>,
  /** The service token (compared in constant time, no lookup): never refused for its address's failures. */
  isServiceToken: (request: FastifyRequest) => boolean = () => false,
): void {
  const kindOf = (request: FastifyRequest): Kind | null =>
    request.routeOptions.config?.rateLimit ?? (isApi(request) ? 'api' : null);

  const webhookFailures = limits.webhookFailures;
  /** A webhook whose secret matched passes; any other is refused while its address has no failures left. */
  const checkWebhook = (request: FastifyRequest, reply: FastifyReply) => {
    if (request.routeOptions.config?.webhookSecret?.matches(request)) {
      request.webhookSigned = true;
      return undefined;
    }
    return webhookFailures ? refuse(request, reply, 'webhook', webhookFailures.check(clientKey(request.ip))) : undefined;
  };

  app.addHook('onRequest', async (request, reply) => {
    const kind = kindOf(request);
    if (kind === 'login' && limits.login) return refuse(request, reply, kind, limits.login.check(clientKey(request.ip)));
    // The service token costs no lookup to verify: it passes even from an address others exhausted (a shared
    // proxy address, a NAT), so the МЦУ's own integrations are never locked out by someone's bad tokens.
    if (kind === 'api' && limits.authFailures && !isServiceToken(request))
      return refuse(request, reply, kind, limits.authFailures.check(clientKey(request.ip)));
    if (kind === 'webhook' && request.routeOptions.config?.webhookSecret?.in !== 'body') return checkWebhook(request, reply);
  });
  // A secret inside the body (VK) is checked once the body is parsed, before the route stores anything.
  app.addHook('preHandler', async (request, reply) => {
    if (kindOf(request) === 'webhook' && request.routeOptions.config?.webhookSecret?.in === 'body')
      return checkWebhook(request, reply);
  });
  app.addHook('onRequest', async (request, reply) => {
    if (reply.sent) return;
    return auth(request, reply);
  });
  app.addHook('onRequest', async (request, reply) => {
    if (reply.sent || !limits.api || !request.principal || kindOf(request) !== 'api') return;
    const p = request.principal;
    return refuse(request, reply, 'api', limits.api.take(p.kind === 'service' ? 'service' : `person:${p.official.id}`));
  });
  app.addHook('onResponse', async (request, reply) => {
    const kind = kindOf(request);
    const status = reply.statusCode;
    if (kind === 'login' && status === 401) limits.login?.take(clientKey(request.ip));
    else if (kind === 'api' && status === 401) limits.authFailures?.take(clientKey(request.ip));
    // A webhook's refusals before its secret matched (wrong secret, not an event, too large); not a 429 itself.
    else if (kind === 'webhook' && !request.webhookSigned && status >= 400 && status < 500 && status !== 429)
      webhookFailures?.take(clientKey(request.ip));
  });
}

/** 429 with Retry-After: JSON with RATE_LIMITED, or — for the console — its Russian error page (thrown to its handler). */
function refuse(request: FastifyRequest, reply: FastifyReply, kind: Kind, answer: BucketAnswer): FastifyReply | undefined {
  if (answer.ok) return undefined;
  const seconds = Math.max(1, Math.ceil(answer.retryAfterMs / 1000));
  reply.header('retry-after', String(seconds));
  const error = new AppError('RATE_LIMITED', `too many requests; retry after ${seconds} s`, 429);
  // The console's error handler renders its own page for the status; the others answer JSON here.
  if (kind === 'login') throw error;
  request.log.debug({ kind, retryAfter: seconds }, 'rate limited');
  return reply.code(429).send({ error: { code: error.code, message: error.message } });
}

/**
 * The key of a client address: IPv4 as it is, IPv6 by its /64 (one subscriber gets a whole /64, so
 * per-address keys would let one host take 2^64 buckets); an IPv4-mapped IPv6 address is its IPv4.
 */
export function clientKey(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1] as string;
  if (!ip.includes(':')) return ip;
  const [head = '', tail = ''] = ip.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = ip.includes('::') ? [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right] : left;
  return `${groups
    .slice(0, 4)
    .map((g) => (g || '0').toLowerCase().replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}
