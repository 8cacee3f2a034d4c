import { answersOf } from '../../models/answer-repository.js';
import type { HandlerDeps } from '../deps.js';

/** A case's answers with their quality verdict and delivery state. */
export function caseAnswers(deps: Pick<HandlerDeps, 'db'>, caseId: number) {
  return answersOf(deps.db, caseId);
}
