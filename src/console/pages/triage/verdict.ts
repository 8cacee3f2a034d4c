import type { AssignOutcome } from '../../../../handlers/cases/index.js';
import type { CorrectionOutcome } from '../../../../handlers/structuring/index.js';
import { t } from '../../texts-ru.js';
import type { RowProblem } from './model.js';

/** What a triage form's use case said, as the page answers it. */
export type Verdict =
  | { kind: 'done'; department: string }
  | { kind: 'not_found' }
  | { kind: 'problem'; status: 400 | 409 | 422; problem: RowProblem };

/** A refusal: the form's field (400), a case changed since the page (409), an action that changes nothing (422). */
export type Refusal = Extract<Verdict, { kind: 'problem' }>;

export const problem = (status: Refusal['status'], p: RowProblem): Refusal => ({ kind: 'problem', status, problem: p });

/** «Назначить категорию» (correctCategory) and «Передать» (assignCase) outcomes, in Russian. */
export function verdictOf(
  caseId: number,
  outcome: ({ form: 'category' } & CorrectionOutcome) | ({ form: 'department' } & AssignOutcome),
  name: string,
): Verdict {
  switch (outcome.status) {
    case 'corrected':
    case 'assigned':
      return { kind: 'done', department: outcome.department };
    case 'not_found':
      return { kind: 'not_found' };
    case 'unknown_category':
      return problem(400, { caseId, field: 'category', message: `${t.field.unknown} Выберите категорию из списка.` });
    case 'unknown_department':
    case 'unknown_official':
      return problem(400, { caseId, field: 'department', message: `${t.field.unknown} Выберите подразделение из списка.` });
    case 'unchanged':
      return problem(
        422,
        outcome.form === 'category'
          ? { caseId, message: `У обращения уже категория «${name}». Передайте его в подразделение.` }
          : { caseId, message: `Обращение уже у подразделения «${name}».` },
      );
    case 'stale':
    case 'invalid_state':
      return problem(409, { caseId, message: t.stale });
  }
}
