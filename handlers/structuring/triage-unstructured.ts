import { appendAudit } from '../../models/audit-repository.js';
import { setCaseStatus } from '../../models/case-repository.js';
import type { Tx } from '../../models/database.js';

/**
 * Without a structurer (no domain rules loaded) a new case waits for the operators: it goes to
 * triage with the reason `no_classifier`, and the audit trail says so. Intake and ingest both open
 * cases this way when structuring is off.
 */
export async function triageUnstructured(tx: Tx, caseId: number, now: Date): Promise<void> {
  await setCaseStatus(tx, caseId, 'triage', 'no_classifier', now);
  await appendAudit(tx, {
    actor: { type: 'system' },
    action: 'status_changed',
    entity: 'case',
    entityId: caseId,
    details: { from: 'new', to: 'triage', comment: 'no_classifier' },
  });
}
