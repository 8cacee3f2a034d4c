import { auditOf } from '../../models/audit-repository.js';
import type { Db } from '../../models/database.js';

/** Every recorded change of a case: who, when, what (from, to, comment). */
export function caseAudit(deps: { db: Db }, caseId: number) {
  return auditOf(deps.db, 'case', String(caseId));
}
