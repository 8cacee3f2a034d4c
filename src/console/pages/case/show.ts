import type { FastifyReply, FastifyRequest } from 'fastify';
import type { QualityVerdict } from '../../../../handlers/answers/index.js';
import { NotFoundError } from '../../../errors.js';
import { caseKey } from '../../../http/input.js';
import type { ConsoleDeps } from '../../deps.js';
import type { FieldErrors } from '../../form.js';
import { renderPage } from '../../render.js';
import { options } from '../cases.js';
import { loadCase, workingHours } from './load.js';
import * as words from './texts.js';

/** What a refused or returned form brings back to the page: which form, its values, its errors, a line to show. */
export interface FormState {
  form?: string;
  errors?: FieldErrors;
  values?: Record<string, unknown>;
  /** role="alert": why nothing was done (the case changed, its state does not allow it). */
  alert?: string;
  /** The gate's verdict that sent an answer back for revision. */
  verdict?: QualityVerdict;
  /** role="status": the result of the action just done (`?done=`). */
  done?: string;
}

/** The `:key` of a case's URL: its number (МЦУ-2026-000123) or its id; anything else is no case. */
export function keyOf(request: FastifyRequest): number | string {
  const parsed = caseKey.safeParse((request.params as { key?: unknown }).key);
  if (!parsed.success) throw new NotFoundError('case');
  return parsed.data;
}

/** The case page's address (the number percent-encoded, as a Location header needs it). */
export function caseHref(number: string): string {
  return `/console/cases/${encodeURIComponent(number)}`;
}

/** The one line after an action, from `?done=<code>`; unknown codes show nothing. */
export function doneOf(query: unknown): string | undefined {
  const code = (query as { done?: unknown } | undefined)?.done;
  return typeof code === 'string' && Object.hasOwn(words.DONE, code) ? words.DONE[code as words.DoneCode] : undefined;
}

/** Renders the case page (with a form's state when an action was refused) at `status`. */
export async function showCase(
  reply: FastifyReply,
  request: FastifyRequest,
  deps: ConsoleDeps,
  key: number | string,
  ui: FormState = {},
  status = 200,
): Promise<FastifyReply> {
  const page = await loadCase(deps, request, key);
  // A channel's comment is answered on the page: «sent to the citizen» would not be true.
  if (page.onPage && (ui.done === words.DONE.answered || ui.done === words.DONE.interim))
    ui = { ...ui, done: words.DONE.recordedOnPage };
  return renderPage(
    reply,
    request,
    deps,
    'case',
    {
      title: `Обращение ${page.c.number}`,
      section: 'cases',
      ...page,
      ui: { form: null, errors: {}, values: {}, alert: null, verdict: null, done: null, ...ui },
      words,
      workingHours,
      options: options(deps),
      caseHref: caseHref(page.c.number),
      // Whether an answer sent despite the gate waits for an operator (the domain file's answers.holdForApproval).
      hold: deps.actions().holdForApproval === true,
    },
    status,
  );
}
