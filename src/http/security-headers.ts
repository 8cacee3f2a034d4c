import type { FastifyInstance } from 'fastify';

/**
 * The policy of an HTML page that brings none of its own: nothing loads but its inline styles and
 * same-origin images, no script, no framing. The console (its own stricter-for-it policy, set in its
 * scope after this hook) and /api/v1/docs set theirs, which are kept.
 */
export const DEFAULT_HTML_CSP =
  "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

const HTML_HEADERS: Record<string, string> = {
  'content-security-policy': DEFAULT_HTML_CSP,
  'x-frame-options': 'DENY',
  'referrer-policy': 'same-origin',
  // The pages use none of these; a page that is never allowed them cannot be tricked into them.
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
  'cross-origin-opener-policy': 'same-origin',
};

/** Half a year; no includeSubDomains: the city's other hosts are not ours to pin to HTTPS. */
const HSTS = 'max-age=15552000';

/**
 * Security headers on every response: nosniff everywhere; on HTML (console pages, error pages, the
 * API's docs) a CSP, no framing, the referrer kept on the site, no powerful features, an own browsing
 * context group; HSTS when the request came over HTTPS — directly, or through a trusted proxy's
 * X-Forwarded-Proto (TRUST_PROXY), so a client cannot ask for it on plain HTTP.
 */
export function installSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply, payload) => {
    if (!reply.hasHeader('x-content-type-options')) reply.header('x-content-type-options', 'nosniff');
    if (request.protocol === 'https' && !reply.hasHeader('strict-transport-security'))
      reply.header('strict-transport-security', HSTS);
    const type = reply.getHeader('content-type');
    if (typeof type === 'string' && type.toLowerCase().startsWith('text/html')) {
      for (const [name, value] of Object.entries(HTML_HEADERS)) if (!reply.hasHeader(name)) reply.header(name, value);
    }
    return payload;
  });
}
