import { auditOf } from '../../models/audit-repository.js';
import type { HandlerDeps } from '../deps.js';

/** Every recorded change of a case: who, when, what (from, to, comment). */
export function caseAudit(deps: Pick<HandlerDeps, 'db'>, caseId: number) {
  return auditOf(deps.db, 'case', String(caseId));
}
