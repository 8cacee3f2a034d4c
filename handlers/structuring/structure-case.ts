import type { Tx } from '../../models/database.js';

export interface StructuringResult {
  status: 'triage';
  reason: string;
}

/**
 * The structuring step. Until a classifier exists every case goes to the operators' triage queue,
 * visibly and with the reason recorded — never a made-up category.
 */
export async function structureCase(_tx: Tx, _caseId: number): Promise<StructuringResult> {
  return { status: 'triage', reason: 'no_classifier' };
}
