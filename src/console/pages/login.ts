import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { loginLinkOwner, redeemLoginLink, signOut, signOutEverywhere } from '../../../handlers/people/index.js';
import { clearSessionCookie, personOf, setSessionCookie } from '../auth.js';
import type { ConsoleDeps } from '../deps.js';
import { errorPage } from '../errors.js';
import { parseParams } from '../form.js';
import { departmentTitle, renderPage, roleTitle } from '../render.js';

const REASONS = {
  expired: 'Сессия истекла или завершена. Войдите снова.',
  link: 'Ссылка для входа устарела или уже использована. Получите новую командой /login в боте.',
  signed_out: 'Вы вышли из консоли.',
  everywhere: 'Вы вышли из консоли на всех устройствах.',
} as const;
const reasonQuery = z.object({ reason: z.enum(['expired', 'link', 'signed_out', 'everywhere']).optional() }).catch({});
const tokenParams = z.object({ token: z.string().max(100) });

/**
 * Signing in: /login in the staff bot (Telegram or MAX) sends a one-time link; its page shows who it
 * signs in and a «Войти» button — the link is spent by the POST, never by the GET, so a messenger's
 * link preview (which opens the URL) cannot spend it.
 */
export function loginPages(app: FastifyInstance, deps: ConsoleDeps): void {
  app.get('/login', { config: { consolePublic: true } }, async (request, reply) => {
    const { reason } = reasonQuery.parse(request.query);
    if (request.console && !reason) return reply.redirect('/console/', 303);
    return renderPage(reply, request, deps, 'login', {
      title: 'Вход',
      message: reason ? REASONS[reason] : null,
      bot: deps.botUsername(),
      maxBot: deps.maxBotUsername(),
    });
  });

  app.get('/login/:token', { config: { consolePublic: true, rateLimit: 'login' } }, async (request, reply) => {
    const { token } = parseParams(tokenParams, request.params);
    const person = await loginLinkOwner(deps.query(), token);
    if (!person)
      return renderPage(
        reply,
        request,
        deps,
        'login',
        { title: 'Вход', message: REASONS.link, bot: deps.botUsername(), maxBot: deps.maxBotUsername() },
        401,
      );
    return renderPage(reply, request, deps, 'login-confirm', {
      title: 'Вход',
      token,
      who: { name: person.name, role: roleTitle(deps, person.role), department: departmentTitle(deps, person.department) },
    });
  });

  app.post('/login/:token', { config: { consolePublic: true, rateLimit: 'login' } }, async (request, reply) => {
    // The route is public, so the session's CSRF token cannot guard it: a page of another site must
    // not sign this browser in as someone else (login CSRF).
    if (!sameOrigin(request, deps))
      return errorPage(reply, request, deps, 403, 'Вход возможен только со страницы консоли. Откройте ссылку из бота ещё раз.');
    const { token } = parseParams(tokenParams, request.params);
    // Signing in replaces whoever was signed in in this browser: their session ends here, not later.
    if (request.console) await signOut(deps.query(), request.console.id);
    const outcome = await redeemLoginLink(deps.query(), token);
    if (outcome.status !== 'signed_in')
      return renderPage(
        reply,
        request,
        deps,
        'login',
        { title: 'Вход', message: REASONS.link, bot: deps.botUsername(), maxBot: deps.maxBotUsername() },
        401,
      );
    setSessionCookie(reply, deps, outcome.sessionId);
    return reply.redirect('/console/', 303);
  });

  app.post('/logout', async (request, reply) => {
    if (request.console) await signOut(deps.query(), request.console.id);
    clearSessionCookie(reply, deps);
    return reply.redirect('/console/login?reason=signed_out', 303);
  });

  app.post('/logout/everywhere', async (request, reply) => {
    const person = personOf(request);
    await signOutEverywhere(deps.query(), { officialId: person.id, actor: { type: 'official', officialId: person.id } });
    clearSessionCookie(reply, deps);
    return reply.redirect('/console/login?reason=everywhere', 303);
  });
}

/**
 * Whether a POST comes from the console's own pages: Sec-Fetch-Site, when the browser sends it, is
 * same-origin (or none: typed or bookmarked); Origin, when sent, is the configured console's or the
 * request's own (the sandbox answers on localhost and 127.0.0.1 alike). Without either header (an old
 * browser, curl) the one-time token alone decides, as before.
 */
function sameOrigin(request: FastifyRequest, deps: Pick<ConsoleDeps, 'consoleUrl'>): boolean {
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return false;
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  return origin === originOf(deps.consoleUrl) || origin === `${request.protocol}://${request.host}`;
}

function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}
