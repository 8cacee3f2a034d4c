import { fileURLToPath } from 'node:url';
import { Eta } from 'eta';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ConsoleDeps } from './deps.js';
import * as fmt from './format.js';
import { navFor } from './nav.js';
import { named, t } from './texts-ru.js';

/**
 * Server-rendered pages: Eta templates in views/ (`<%= %>` escapes, `<%~ %>` is for HTML we built),
 * compiled once and cached. Every page gets the layout's data — the person, the menu, the CSRF token —
 * and `fmt`, the Russian formatting of dates, durations and numbers.
 */
const eta = new Eta({
  views: fileURLToPath(new URL('./views', import.meta.url)),
  cache: true,
  autoEscape: true,
  autoTrim: false,
});

export interface PageData {
  title: string;
  /** The menu key shown as current. */
  section?: string;
  [key: string]: unknown;
}

/** Renders `view` with the layout's data; HTML with no caching (pages show personal and live data). */
export function renderPage(
  reply: FastifyReply,
  request: FastifyRequest,
  deps: ConsoleDeps,
  view: string,
  data: PageData,
  status = 200,
): FastifyReply {
  const html = renderView(view, {
    ...data,
    person: request.console?.person ?? null,
    csrf: request.console?.csrfToken ?? '',
    nav: request.console ? navFor(request, deps) : [],
    city: deps.domain.city,
    roleTitle: request.console ? roleTitle(deps, request.console.person.role) : '',
    departmentTitle: request.console ? departmentTitle(deps, request.console.person.department) : '',
  });
  return reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(html);
}

/** A template alone (an htmx fragment, or a page with its data already complete). */
export function renderView(view: string, data: Record<string, unknown>): string {
  return eta.render(view, { ...data, fmt, t, named });
}

/** Sends an htmx fragment (a table's rows, a form's verdict). */
export function renderFragment(reply: FastifyReply, view: string, data: Record<string, unknown>, status = 200): FastifyReply {
  return reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(renderView(view, data));
}

export function roleTitle(deps: Pick<ConsoleDeps, 'domain'>, role: string): string {
  return (deps.domain.roles as Record<string, string>)[role] ?? role;
}

export function departmentTitle(deps: Pick<ConsoleDeps, 'domain'>, id: string | null | undefined): string {
  if (!id) return '—';
  return deps.domain.departments.find((d) => d.id === id)?.name ?? id;
}
