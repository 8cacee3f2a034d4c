import { isIP } from 'node:net';

/** A token-bucket rate: `perSecond` back each second, `burst` at most; null = no limit. */
export type RateLimit = { perSecond: number; burst: number } | null;

/**
 * Which proxies may tell the client's address (X-Forwarded-For) and scheme (X-Forwarded-Proto): a
 * list of addresses, CIDR ranges and proxy-addr's names (loopback, linklocal, uniquelocal), a hop
 * count, or every sender (`true`, only when nothing but the proxy can reach the app).
 */
export type TrustProxy = boolean | number | string;

export interface HttpLimits {
  trustProxy: TrustProxy;
  /** Per API principal (the service token, or the person behind a personal token), every request. */
  api: RateLimit;
  /** Per client address, charged by requests refused for a wrong token (and, in a bucket of their own, webhook secret); checked before the check. */
  authFailures: RateLimit;
  /** Per client address, charged by a console login link that signs nobody in; checked before the lookup. */
  login: RateLimit;
}

/**
 * Defaults (docs/operations/configuration.md#limits): far above honest use, far below a flood. Only a
 * proxy on the same host is trusted: trusting the private ranges would let any host in them forge the
 * address it is limited under; a proxy elsewhere is named by its address or range.
 */
export const HTTP_LIMIT_DEFAULTS = {
  TRUST_PROXY: 'loopback',
  RATE_LIMIT_API: '20/s,60',
  RATE_LIMIT_AUTH_FAILURES: '1/s,20',
  RATE_LIMIT_LOGIN: '10/min,10',
} as const;

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);
const UNIT_SECONDS: Record<string, number> = { s: 1, min: 60, h: 3600 };

/**
 * Reads TRUST_PROXY and the RATE_LIMIT_* variables (`<count>/<s|min|h>[,<burst>]`, or `off`); a bad
 * value is added to `problems` (the caller throws them all at once) and its default is used meanwhile.
 */
export function readHttpLimits(env: Record<string, string | undefined>, problems: string[]): HttpLimits {
  const value = (key: keyof typeof HTTP_LIMIT_DEFAULTS) => {
    const v = env[key]?.trim();
    return v ? v : HTTP_LIMIT_DEFAULTS[key];
  };
  const rate = (key: Exclude<keyof typeof HTTP_LIMIT_DEFAULTS, 'TRUST_PROXY'>): RateLimit => {
    const parsed = parseRateLimit(value(key));
    if (parsed !== undefined) return parsed;
    problems.push(`${key}: expected <count>/<s|min|h>[,<burst>] (e.g. 20/s,60) or off (got "${env[key]}")`);
    return parseRateLimit(HTTP_LIMIT_DEFAULTS[key]) ?? null;
  };
  let trustProxy = parseTrustProxy(value('TRUST_PROXY'));
  if (trustProxy === undefined) {
    problems.push(
      `TRUST_PROXY: expected addresses or CIDR ranges (comma-separated; loopback, linklocal, uniquelocal allowed), a hop count, true or false (got "${env.TRUST_PROXY}")`,
    );
    trustProxy = HTTP_LIMIT_DEFAULTS.TRUST_PROXY;
  }
  return {
    trustProxy,
    api: rate('RATE_LIMIT_API'),
    authFailures: rate('RATE_LIMIT_AUTH_FAILURES'),
    login: rate('RATE_LIMIT_LOGIN'),
  };
}

/** `20/s,60` → 20 a second, burst 60; `10/min` → burst 10; `off` → null; anything else → undefined. */
export function parseRateLimit(text: string): RateLimit | undefined {
  if (/^(off|none|false)$/i.test(text)) return null;
  const m = /^(\d+(?:\.\d+)?)\s*\/\s*(s|min|h)(?:\s*,\s*(\d+))?$/i.exec(text);
  if (!m) return undefined;
  const count = Number(m[1]);
  const seconds = UNIT_SECONDS[(m[2] as string).toLowerCase()] as number;
  const burst = m[3] === undefined ? Math.max(1, Math.ceil(count)) : Number(m[3]);
  if (!(count > 0) || burst < 1) return undefined;
  return { perSecond: count / seconds, burst };
}

/** `true` / `false`, a hop count, or a list of addresses, CIDR ranges and proxy-addr's names; undefined when invalid. */
export function parseTrustProxy(text: string): TrustProxy | undefined {
  if (/^(true)$/i.test(text)) return true;
  if (/^(false|none|off)$/i.test(text)) return false;
  if (/^\d+$/.test(text)) return Number(text);
  const items = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (items.length === 0 || !items.every(validProxyItem)) return undefined;
  return items.join(',');
}

function validProxyItem(item: string): boolean {
  if (PROXY_NAMES.has(item)) return true;
  const [address, bits, extra] = item.split('/');
  if (extra !== undefined || !address) return false;
  const family = isIP(address);
  if (family === 0) return false;
  if (bits === undefined) return true;
  if (!/^\d+$/.test(bits)) return false;
  return Number(bits) <= (family === 4 ? 32 : 128);
}
