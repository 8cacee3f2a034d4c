import type { FastifyInstance } from 'fastify';
import { answerCase } from '../../../../handlers/answers/index.js';
import {
  askCitizen,
  assignCase,
  caseByKey,
  mergeCases,
  requestExtension,
  returnToTriage,
  takeCaseAs,
} from '../../../../handlers/cases/index.js';
import { actorOf } from '../../../http/principal.js';
import { can, personOf } from '../../auth.js';
import type { ConsoleDeps } from '../../deps.js';
import { t } from '../../texts-ru.js';
import { action, notFound, refused } from './act.js';
import { answerForm, assignForm, extensionForm, mergeForm, questionForm, returnForm, takeForm } from './forms.js';
import { REFUSED } from './texts.js';

/**
 * The case's actions: take, answer (final or interim), extension, question, return, merge, reassign —
 * each the use case the API route and the officials' bot call, with its outcomes in Russian.
 */

export function caseActions(app: FastifyInstance, deps: ConsoleDeps): void {
  action(app, deps, 'take', takeForm, async ({ request, c }) => {
    const r = await takeCaseAs(deps.actions(), { caseId: c.id, officialId: personOf(request).id });
    if (r.status === 'not_found') return notFound();
    return r.status === 'changed' ? { done: 'taken' } : refused(REFUSED.state);
  });

  action(app, deps, 'answer', answerForm, async ({ request, c, data }) => {
    const r = await answerCase(deps.actions(), {
      caseId: c.id,
      text: data.text,
      kind: data.kind,
      actor: actorOf(request),
      ...(data.force ? { force: true } : {}),
    });
    switch (r.status) {
      case 'queued':
        return { done: data.kind === 'final' ? 'answered' : 'interim' };
      case 'held':
        return { done: 'held' };
      case 'needs_revision':
        return {
          status: 422,
          alert: deps.actions().holdForApproval
            ? 'Ответ похож на отписку и не отправлен. Допишите, что сделано, когда и кто отвечает, — или отправьте как есть: тогда он уйдёт на проверку МЦУ.'
            : 'Ответ похож на отписку и не отправлен. Допишите, что сделано, когда и кто отвечает, — или отправьте как есть.',
          verdict: r.quality,
        };
      case 'invalid_transition':
        return refused(c.status === 'answered' || c.status === 'closed' ? REFUSED.alreadyAnswered : REFUSED.state);
      case 'not_found':
        return notFound();
    }
  });

  action(app, deps, 'extension', extensionForm, async ({ request, c, data }) => {
    let until: Date | undefined;
    if (data.until) {
      const calendar = deps.actions().calendar;
      if (!calendar.isWorkingDay(data.until)) return { status: 400, errors: { until: 'Выберите рабочий день.' } };
      until = calendar.endOfWorkingDay(data.until);
      if (c.deadlineAt && until.getTime() <= c.deadlineAt.getTime())
        return { status: 400, errors: { until: 'Новый срок должен быть позже нынешнего.' } };
    }
    const r = await requestExtension(deps.actions(), {
      caseId: c.id,
      reason: data.reason,
      actor: actorOf(request),
      ...(until ? { until } : {}),
    });
    switch (r.status) {
      case 'requested':
        return { done: 'extension' };
      case 'already_pending':
        return refused(REFUSED.pendingExtension);
      case 'not_allowed':
      case 'no_deadline':
        return refused(REFUSED.noExtension, 422);
      case 'invalid_state':
        return refused(REFUSED.state);
      case 'not_found':
        return notFound();
    }
  });

  action(app, deps, 'question', questionForm, async ({ request, c, data }) => {
    const r = await askCitizen(deps.actions(), { caseId: c.id, question: data.text, actor: actorOf(request) });
    if (r.status === 'not_found') return notFound();
    if (r.status === 'unreachable') return refused(REFUSED.unreachable, 422);
    return r.status === 'asked' ? { done: 'asked' } : refused(REFUSED.state);
  });

  action(app, deps, 'return', returnForm, async ({ request, c, data }) => {
    const r = await returnToTriage(deps.actions(), { caseId: c.id, reason: data.reason, actor: actorOf(request) });
    if (r.status === 'not_found') return notFound();
    if (r.status !== 'returned') return refused(REFUSED.state);
    // Back in triage the case has no department: who sees only their own department no longer sees it.
    return { done: 'returned', away: !can(request, 'cases:all') };
  });

  action(
    app,
    deps,
    'merge',
    mergeForm,
    async ({ request, c, data }) => {
      const into = await caseByKey(deps.query(), data.into);
      if (!into) return { status: 400, errors: { into: 'Обращения с таким номером нет.' } };
      if (into.id === c.id) return { status: 400, errors: { into: 'Это то же самое обращение: укажите основное.' } };
      const r = await mergeCases(deps.actions(), { caseId: c.id, intoId: into.id, actor: actorOf(request) });
      switch (r.status) {
        case 'merged':
          return { done: 'merged' };
        case 'already_merged':
          return refused(REFUSED.alreadyMerged);
        case 'invalid_state':
          return r.which === 'into' ? refused(REFUSED.mainNotOpen, 422) : refused(REFUSED.state);
        case 'same_case':
          return { status: 400, errors: { into: 'Это то же самое обращение: укажите основное.' } };
        case 'not_found':
          return notFound();
      }
    },
    { triage: true },
  );

  action(
    app,
    deps,
    'assign',
    assignForm,
    async ({ request, c, data }) => {
      if (data.official === undefined && !deps.domain.departments.some((d) => d.id === data.department))
        return { status: 400, errors: { department: 'Такого подразделения нет.' } };
      const r = await assignCase(deps.actions(), {
        caseId: c.id,
        actor: actorOf(request),
        // Checked again under the case's lock: a change between the check above and the write is caught too.
        expect: { updatedAt: c.updatedAt },
        ...(data.official !== undefined ? { officialId: data.official } : { department: data.department as string }),
      });
      switch (r.status) {
        case 'assigned':
          return { done: 'assigned' };
        case 'unknown_official':
          return { status: 400, errors: { official: 'Такого действующего сотрудника нет.' } };
        case 'unknown_department':
          return { status: 400, errors: { department: 'Такого подразделения нет.' } };
        case 'unchanged':
          return refused(REFUSED.unchanged, 422);
        case 'stale':
          return refused(t.stale);
        case 'invalid_state':
          return refused(REFUSED.state);
        case 'not_found':
          return notFound();
      }
    },
    { triage: true },
  );
}
