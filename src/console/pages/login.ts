import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { loginLinkOwner, redeemLoginLink, signOut, signOutEverywhere } from '../../../handlers/people/index.js';
import { clearSessionCookie, personOf, setSessionCookie } from '../auth.js';
import type { ConsoleDeps } from '../deps.js';
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

  app.get('/login/:token', { config: { consolePublic: true } }, async (request, reply) => {
    const { token } = tokenParams.parse(request.params);
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

  app.post('/login/:token', { config: { consolePublic: true } }, async (request, reply) => {
    const { token } = tokenParams.parse(request.params);
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
