import type { FastifyInstance } from 'fastify';
import { checkAnswer, DEFAULT_QUALITY_RULES } from '../../../handlers/answers/index.js';
import { caseByKey } from '../../../handlers/cases/index.js';
import { NotFoundError } from '../../errors.js';
import { requireCaseScope } from '../../http/principal.js';
import type { ConsoleDeps } from '../deps.js';
import { parseForm } from '../form.js';
import { renderFragment, renderPage } from '../render.js';
import { caseActions } from './case/actions.js';
import { attachmentPages } from './case/attachment.js';
import { gateForm } from './case/forms.js';
import { doneOf, keyOf, showCase } from './case/show.js';
import { DONE, GATE_PROBLEMS } from './case/texts.js';

/**
 * The case card: the header, the deadlines with the working time left, the thread with attachments,
 * the answers with their quality verdicts, the timeline, why it was structured so — and every action
 * of the officials' Telegram card, as forms (pages/case/actions.ts). Open to whoever may see the case
 * (an official: their department's only; another department's is 403).
 */
export function casePages(app: FastifyInstance, deps: ConsoleDeps): void {
  attachmentPages(app, deps);
  app.get('/cases/:key', async (request, reply) => {
    const done = doneOf(request.query);
    return showCase(reply, request, deps, keyOf(request), done ? { done } : {});
  });

  // An official who returned a case no longer sees it (it has no department until triage routes it):
  // this page says it was done, naming only the number from the address.
  app.get('/cases/:key/returned', async (request, reply) => {
    const key = keyOf(request);
    return renderPage(reply, request, deps, 'case-returned', {
      title: 'Обращение возвращено',
      section: 'cases',
      number: String(key),
      text: DONE.returned,
    });
  });

  // The «отписка» gate on a draft as it is typed (htmx): the same check the answer meets, nothing saved.
  app.post('/cases/:key/gate', async (request, reply) => {
    const c = await caseByKey(deps.query(), keyOf(request));
    if (!c) throw new NotFoundError('case');
    requireCaseScope(request, c.department);
    const parsed = parseForm(gateForm, request.body);
    const text = parsed.ok ? parsed.data.text : '';
    const verdict = text.trim() === '' ? null : checkAnswer(text, deps.actions().rules ?? DEFAULT_QUALITY_RULES);
    return renderFragment(reply, 'case-gate', { verdict, problems: GATE_PROBLEMS });
  });

  caseActions(app, deps);
}
