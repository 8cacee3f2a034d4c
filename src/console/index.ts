import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import type { FastifyInstance } from 'fastify';
import type { HttpPlugin } from '../http/server.js';
import { can, csrfMatches, loadSession } from './auth.js';
import type { ConsoleDeps } from './deps.js';
import { consoleErrorHandler, errorPage, toLogin } from './errors.js';
import { CONSOLE_PAGES } from './pages/index.js';

export type { ConsoleDeps } from './deps.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A console route anyone may open (the login pages, the assets). */
    consolePublic?: boolean;
  }
}

const require = createRequire(import.meta.url);
const ASSETS: Record<string, { type: string; body: Buffer }> = {
  'htmx.min.js': { type: 'text/javascript; charset=utf-8', body: readFileSync(require.resolve('htmx.org/dist/htmx.min.js')) },
  'console.css': { type: 'text/css; charset=utf-8', body: readFileSync(new URL('./assets/console.css', import.meta.url)) },
  'console.js': { type: 'text/javascript; charset=utf-8', body: readFileSync(new URL('./assets/console.js', import.meta.url)) },
};

/**
 * The МЦУ's web console under /console (docs/architecture/console.md): server-rendered pages over the
 * same use cases as the API, a session from a one-time link the staff bot gives, CSRF on every POST.
 */
export function consoleRoutes(deps: ConsoleDeps): HttpPlugin {
  return async (app) => {
    await app.register(
      async (scope: FastifyInstance) => {
        await scope.register(cookie);
        await scope.register(formbody, { bodyLimit: 256 * 1024 });
        scope.setErrorHandler(consoleErrorHandler(deps));
        scope.setNotFoundHandler((request, reply) => errorPage(reply, request, deps, 404));

        scope.addHook('preHandler', async (request, reply) => {
          const session = await loadSession(deps, request);
          if (request.routeOptions.config.consolePublic) return;
          if (!session) return toLogin(reply, request, request.cookies.mcu_console ? 'expired' : 'none');
          if (request.method !== 'GET' && request.method !== 'HEAD' && !csrfMatches(request))
            return errorPage(
              reply,
              request,
              deps,
              403,
              'Форма устарела или открыта не из консоли (нет ключа CSRF). Обновите страницу и повторите.',
            );
        });
        scope.addHook('onSend', async (_request, reply, payload) => {
          reply.header('x-frame-options', 'DENY');
          reply.header('x-content-type-options', 'nosniff');
          reply.header('referrer-policy', 'same-origin');
          reply.header(
            'content-security-policy',
            "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; frame-ancestors 'none'; form-action 'self'",
          );
          return payload;
        });

        scope.get('/assets/:name', { config: { consolePublic: true } }, async (request, reply) => {
          const asset = ASSETS[(request.params as { name: string }).name];
          if (!asset) return errorPage(reply, request, deps, 404);
          return reply.type(asset.type).header('cache-control', 'public, max-age=3600').send(asset.body);
        });
        scope.get('/', async (request, reply) =>
          reply.redirect(can(request, 'triage') ? '/console/triage' : '/console/cases', 303),
        );
        for (const page of CONSOLE_PAGES) page(scope, deps);
      },
      { prefix: '/console' },
    );
  };
}
