import { timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type Action, may, sessionOf } from '../../handlers/people/index.js';
import type { OfficialRow } from '../../models/people-repository.js';
import type { ConsoleDeps } from './deps.js';

/**
 * The console's session: an HTTP-only cookie holding the session's secret (the database keeps its
 * hash), SameSite=Lax, Secure when the console is served over https. Every POST carries the session's
 * CSRF token (a form's `_csrf` field, or htmx's `X-CSRF-Token` header) — a missing or wrong one is 403.
 */
export const SESSION_COOKIE = 'mcu_console';

export interface ConsoleSession {
  /** The cookie's secret (for «Выйти»). */
  id: string;
  person: OfficialRow;
  csrfToken: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    console?: ConsoleSession;
  }
}

export function setSessionCookie(reply: FastifyReply, deps: Pick<ConsoleDeps, 'consoleUrl'>, sessionId: string): void {
  reply.setCookie(SESSION_COOKIE, sessionId, {
    path: '/console',
    httpOnly: true,
    sameSite: 'lax',
    secure: secureCookies(deps.consoleUrl),
    // No Max-Age: a browser-session cookie. A fixed one would end an active person's session at a set
    // time after sign-in; the server's idle check (SESSION_IDLE_MS) ends the session instead.
  });
}

export function clearSessionCookie(reply: FastifyReply, deps: Pick<ConsoleDeps, 'consoleUrl'>): void {
  reply.clearCookie(SESSION_COOKIE, {
    path: '/console',
    httpOnly: true,
    sameSite: 'lax',
    secure: secureCookies(deps.consoleUrl),
  });
}

/**
 * `Secure` unless the console is plain http on this machine (the sandbox at http://localhost): a
 * browser keeps Secure cookies of localhost too, but `fastify.inject` and curl on 127.0.0.1 do not.
 */
function secureCookies(consoleUrl: string): boolean {
  return !/^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?\//.test(`${consoleUrl}/`);
}

/** Loads the session behind the cookie; sets `request.console` and the API's `request.principal`. */
export async function loadSession(deps: ConsoleDeps, request: FastifyRequest): Promise<ConsoleSession | undefined> {
  const id = request.cookies[SESSION_COOKIE];
  if (!id) return undefined;
  const found = await sessionOf(deps.query(), id);
  if (!found) return undefined;
  const session = { id, person: found.person, csrfToken: found.csrfToken };
  request.console = session;
  request.principal = { kind: 'person', official: found.person };
  return session;
}

/** The signed-in person; pages behind `requireSession` always have one. */
export function personOf(request: FastifyRequest): OfficialRow {
  if (!request.console) throw new Error('console page without a session');
  return request.console.person;
}

/** Whether the signed-in person may do `action` (the same table as the bots and the API). */
export function can(request: FastifyRequest, action: Action): boolean {
  return may(request.console?.person, action);
}

/** True when the request carries the session's CSRF token (form field or header), compared in constant time. */
export function csrfMatches(request: FastifyRequest): boolean {
  const session = request.console;
  if (!session) return false;
  const body = request.body as Record<string, unknown> | undefined;
  const given = request.headers['x-csrf-token'] ?? (typeof body?._csrf === 'string' ? body._csrf : undefined);
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(session.csrfToken);
  return a.length === b.length && timingSafeEqual(a, b);
}
