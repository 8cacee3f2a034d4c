import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ZodError } from 'zod';
import { AppError } from '../errors.js';
import type { ConsoleDeps } from './deps.js';
import { renderPage } from './render.js';

/** The console's error pages: Russian, in the layout, with the HTTP status of the API's mapping. */
const TITLES: Record<number, { title: string; text: string }> = {
  400: { title: 'Неверный запрос', text: 'В запросе есть ошибка. Вернитесь назад и проверьте поля.' },
  403: { title: 'Нет доступа', text: 'У вашей роли нет права на это действие или на эти данные.' },
  404: { title: 'Не найдено', text: 'Такой страницы или записи нет.' },
  409: { title: 'Данные изменились', text: 'Запись изменилась, пока вы её смотрели. Обновите страницу и повторите.' },
  413: { title: 'Слишком большой запрос', text: 'Форма больше допустимого размера.' },
  422: { title: 'Нельзя выполнить', text: 'Действие невозможно для этих данных.' },
  429: {
    title: 'Слишком много попыток',
    text: 'С вашего адреса было слишком много попыток. Подождите минуту и откройте ссылку снова.',
  },
  503: { title: 'Сервис запускается', text: 'База данных или очередь ещё не готовы. Попробуйте через минуту.' },
};

/** A page for a status, optionally with the reason (a Russian sentence of the page's own). */
export function errorPage(
  reply: FastifyReply,
  request: FastifyRequest,
  deps: ConsoleDeps,
  status: number,
  detail?: string,
): FastifyReply {
  const t = TITLES[status] ?? { title: 'Ошибка', text: 'Что-то пошло не так. Мы уже записали это в журнал.' };
  if (request.headers['hx-request'])
    return reply
      .code(status)
      .type('text/html; charset=utf-8')
      .send(`<p class="error" role="alert">${escapeHtml(detail ?? t.text)}</p>`);
  return renderPage(reply, request, deps, 'error', { title: t.title, text: t.text, detail: detail ?? null, status }, status);
}

/** The console's error handler: AppErrors by their status; anything else 500, logged without the request's data. */
export function consoleErrorHandler(deps: ConsoleDeps) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof AppError) {
      if (error.httpStatus === 401) return toLogin(reply, request, 'expired');
      return errorPage(reply, request, deps, error.httpStatus);
    }
    if (error.validation) return errorPage(reply, request, deps, 400);
    // A schema's parse that throws is refused input (routes should safeParse, this is the safety net).
    if ((error as unknown) instanceof ZodError) return errorPage(reply, request, deps, 400);
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500)
      return errorPage(reply, request, deps, error.statusCode);
    request.log.error({ err: error }, 'unhandled error in a console page');
    return errorPage(reply, request, deps, 500);
  };
}

/** To the login page with a reason («ссылка устарела», «сессия истекла»); htmx follows `HX-Redirect`. */
export function toLogin(reply: FastifyReply, request: FastifyRequest, reason: 'expired' | 'signed_out' | 'none'): FastifyReply {
  const url = `/console/login${reason === 'none' ? '' : `?reason=${reason}`}`;
  if (request.headers['hx-request']) return reply.code(401).header('hx-redirect', url).send('');
  return reply.redirect(url, 303);
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}
