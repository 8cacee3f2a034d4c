import { answersOf } from '../../models/answer-repository.js';
import type { Db } from '../../models/database.js';

/** A case's answers with their quality verdict and delivery state. */
export function caseAnswers(deps: { db: Db }, caseId: number) {
  return answersOf(deps.db, caseId);
}
