import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { decisionTaken, pendingDecisions, reviewHeldAnswer } from '../../../handlers/answers/index.js';
import { decideExtension } from '../../../handlers/cases/index.js';
import { AppError, NotFoundError } from '../../errors.js';
import { EXPORT_FORMATS, sendExport } from '../../http/export/index.js';
import { positiveId } from '../../http/input.js';
import { actorOf, requireAction } from '../../http/principal.js';
import { DECISION_TEXTS, type DecisionRow, decisionColumns } from '../decision-columns.js';
import type { ConsoleDeps } from '../deps.js';
import { consoleText, type FieldErrors, parseForm, parseParams } from '../form.js';
import { dateTime } from '../format.js';
import { renderPage } from '../render.js';
import { named, t } from '../texts-ru.js';

const PAGE_SIZE = 25;
const EXPORT_PAGE = 500;
const blank = (v: unknown) => (v === '' ? undefined : v);
const afterId = z.preprocess(blank, z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional());
const DONE = ['answer_approved', 'answer_rejected', 'extension_approved', 'extension_rejected', 'extension_closed'] as const;

const listQuery = z.object({
  kind: z.preprocess(blank, z.enum(['answers', 'extensions']).optional()),
  department: consoleText(80),
  answersAfter: afterId,
  extensionsAfter: afterId,
});
// What the page says after a decision (POST-redirect-GET); anything else in the URL is ignored.
const flashQuery = z.object({ done: z.enum(DONE).optional(), case: z.string().max(40).optional() }).catch({});
const idParams = z.object({ id: positiveId });
/** The decision form: «Одобрить» or «Отклонить» (the button pressed), and an optional comment. */
const decisionForm = z.object({
  decision: z.enum(['approve', 'reject'], { message: 'Выберите: одобрить или отклонить.' }),
  comment: consoleText(1000),
});

/** Why the quality gate held an answer (handlers/answers/quality-gate.ts), as operators read it. */
const QUALITY_PROBLEMS: Readonly<Record<string, string>> = {
  too_short: 'слишком короткий',
  stock_phrase: 'шаблонные фразы',
  no_specifics: 'нет конкретного действия, срока или ответственного',
};
const DONE_TEXT: Record<(typeof DONE)[number], string> = {
  answer_approved: 'Ответ одобрен и отправлен гражданину',
  answer_rejected: 'Ответ возвращён исполнителю',
  extension_approved: 'Продление одобрено: срок перенесён, гражданин уведомлён',
  extension_rejected: 'Продление отклонено, исполнитель уведомлён',
  extension_closed: 'Обращение уже не в работе — запрос на продление отклонён',
};

/** A form to show again: which item, its errors and what was typed; or a conflict to explain. */
interface PageState {
  form?: { target: string; errors: FieldErrors; values: Record<string, unknown> };
  alert?: string;
}

/**
 * Решения: answers the quality gate held (approve → it goes out; reject → back to the official) and
 * pending extension requests (approve → the new deadline; reject), decided with the same use cases as
 * the API (reviewHeldAnswer, decideExtension). A decision someone else took first is not overwritten:
 * the page says who decided, with 409.
 */
export function decisionsPages(app: FastifyInstance, deps: ConsoleDeps): void {
  app.get('/decisions', async (request, reply) => {
    requireAction(request, 'triage');
    return page(reply, request, deps, {}, 200);
  });

  // «Выгрузить»: the whole list for the same filters (both kinds unless one is chosen), not only this page.
  for (const format of EXPORT_FORMATS) {
    app.get(`/decisions.${format}`, async (request, reply) => {
      requireAction(request, 'triage');
      const parsed = parseForm(listQuery, request.query);
      if (!parsed.ok) throw new AppError('VALIDATION_FAILED', 'invalid filters', 400);
      return sendExport(request, reply, {
        format,
        name: DECISION_TEXTS.file,
        sheetName: DECISION_TEXTS.sheet,
        columns: decisionColumns(deps.domain),
        pages: decisionPages(deps, parsed.data),
        timeZone: deps.domain.city.timezone,
        now: deps.query().clock.now(),
      });
    });
  }

  app.post('/decisions/answers/:id', async (request, reply) => {
    requireAction(request, 'triage');
    const { id } = parseParams(idParams, request.params);
    const form = parseForm(decisionForm, request.body);
    if (!form.ok) return page(reply, request, deps, { form: { target: `answer-${id}`, ...form } }, 400);
    const outcome = await reviewHeldAnswer(deps.actions(), {
      answerId: id,
      approve: form.data.decision === 'approve',
      actor: actorOf(request),
      ...(form.data.comment ? { comment: form.data.comment } : {}),
    });
    if ('caseNumber' in outcome) return done(reply, `answer_${outcome.status}`, outcome.caseNumber);
    if (outcome.status === 'not_found') throw new NotFoundError(`answer ${id}`);
    const alert =
      outcome.status === 'invalid_transition'
        ? `Обращение уже в статусе «${named(t.status, outcome.from)}»: ответ отправить нельзя. Ничего не изменено.`
        : await alreadyDecided(deps, 'answer', id);
    return page(reply, request, deps, { alert }, 409);
  });

  app.post('/decisions/extensions/:id', async (request, reply) => {
    requireAction(request, 'triage');
    const { id } = parseParams(idParams, request.params);
    const form = parseForm(decisionForm, request.body);
    if (!form.ok) return page(reply, request, deps, { form: { target: `extension-${id}`, ...form } }, 400);
    const approve = form.data.decision === 'approve';
    const outcome = await decideExtension(deps.actions(), {
      requestId: id,
      approve,
      actor: actorOf(request),
      ...(form.data.comment ? { comment: form.data.comment } : {}),
    });
    if ('caseNumber' in outcome) {
      // Approving a case no longer in work rejects the request (decideExtension): say so.
      const key = approve && outcome.status === 'rejected' ? 'extension_closed' : `extension_${outcome.status}`;
      return done(reply, key, outcome.caseNumber);
    }
    if (outcome.status === 'not_found') throw new NotFoundError(`extension request ${id}`);
    return page(reply, request, deps, { alert: await alreadyDecided(deps, 'extension', id) }, 409);
  });
}

/** The whole filtered list, a page at a time: the held answers, then the extension requests (as the page orders them). */
async function* decisionPages(deps: ConsoleDeps, q: z.infer<typeof listQuery>): AsyncGenerator<DecisionRow[]> {
  const d = deps.query();
  // A cursor past every id leaves the other list empty, so each read fetches one list only.
  const none = Number.MAX_SAFE_INTEGER;
  if (q.kind !== 'extensions')
    for (let after: number | undefined, more = true; more; ) {
      const p = await pendingDecisions(d, {
        limit: EXPORT_PAGE,
        department: q.department,
        answersAfter: after,
        extensionsAfter: none,
      });
      yield p.answers.map((item) => ({ kind: 'answer' as const, item, problems: qualityProblems(item.quality) }));
      after = p.answersNext ?? undefined;
      more = p.answersNext !== null;
    }
  if (q.kind !== 'answers')
    for (let after: number | undefined, more = true; more; ) {
      const p = await pendingDecisions(d, {
        limit: EXPORT_PAGE,
        department: q.department,
        answersAfter: none,
        extensionsAfter: after,
      });
      yield p.extensions.map((item) => ({ kind: 'extension' as const, item }));
      after = p.extensionsNext ?? undefined;
      more = p.extensionsNext !== null;
    }
}

function done(reply: FastifyReply, key: string, caseNumber: string): FastifyReply {
  return reply.redirect(`/console/decisions?done=${key}&case=${encodeURIComponent(caseNumber)}`, 303);
}

/** «Уже решено»: who decided it and how, from the row itself. */
async function alreadyDecided(deps: ConsoleDeps, kind: 'answer' | 'extension', id: number): Promise<string> {
  const taken = await decisionTaken(deps.query(), { kind, id });
  const what = kind === 'answer' ? 'Этот ответ' : 'Этот запрос на продление';
  const verdict = taken?.state !== 'rejected' ? 'одобрен' : kind === 'answer' ? 'возвращён исполнителю' : 'отклонён';
  const who = taken?.byName ? ` (${taken.byName})` : '';
  const when = taken?.at ? `, ${dateTime(taken.at, deps.domain.city)}` : '';
  return `${what} уже рассмотрен другим сотрудником${who}${when}: ${verdict}. Ваше решение не применено, ничего не перезаписано.`;
}

async function page(reply: FastifyReply, request: FastifyRequest, deps: ConsoleDeps, state: PageState, status: number) {
  const parsed = parseForm(listQuery, request.query);
  if (!parsed.ok) throw new AppError('VALIDATION_FAILED', 'invalid filters', 400);
  const q = parsed.data;
  const flash = flashQuery.parse(request.query);
  const lists = await pendingDecisions(deps.query(), {
    limit: PAGE_SIZE,
    department: q.department,
    answersAfter: q.answersAfter,
    extensionsAfter: q.extensionsAfter,
  });
  const departments = new Map(deps.domain.departments.map((d) => [d.id, d.name]));
  const { answersAfter: _a, extensionsAfter: _e, ...filters } = q;
  return renderPage(
    reply,
    request,
    deps,
    'decisions',
    {
      title: 'Решения',
      section: 'decisions',
      filters,
      showAnswers: q.kind !== 'extensions',
      showExtensions: q.kind !== 'answers',
      answers: lists.answers.map((a) => ({
        ...a,
        problems: qualityProblems(a.quality),
      })),
      answersNext: lists.answersNext,
      extensions: lists.extensions,
      extensionsNext: lists.extensionsNext,
      firstAnswers: Boolean(q.answersAfter),
      firstExtensions: Boolean(q.extensionsAfter),
      departments: deps.domain.departments.map((d) => ({ id: d.id, name: d.name })),
      departmentNames: departments,
      flash: flash.done ? `${DONE_TEXT[flash.done]}${flash.case ? ` (${flash.case})` : ''}.` : null,
      alert: state.alert ?? null,
      form: state.form ?? null,
    },
    status,
  );
}

function qualityProblems(quality: Record<string, unknown>): string[] {
  const problems = Array.isArray(quality.problems) ? quality.problems : [];
  return problems.map((p) => QUALITY_PROBLEMS[String(p)] ?? String(p));
}
