import type { CaseStatus } from './case-repository.js';

/**
 * The case lifecycle: new → triage → assigned → in_progress → interim_replied → answered → closed,
 * plus reopened. Only these moves are allowed; every one is written to the audit log.
 */
export const CASE_TRANSITIONS: Readonly<Record<CaseStatus, readonly CaseStatus[]>> = {
  new: ['triage', 'assigned'],
  triage: ['assigned'],
  assigned: ['in_progress', 'interim_replied', 'answered', 'triage'],
  in_progress: ['interim_replied', 'answered', 'assigned', 'triage'],
  interim_replied: ['in_progress', 'answered', 'assigned', 'triage'],
  answered: ['closed', 'reopened'],
  closed: ['reopened'],
  reopened: ['assigned', 'in_progress', 'interim_replied', 'answered', 'triage'],
};

export const CASE_STATUSES = Object.keys(CASE_TRANSITIONS) as CaseStatus[];

export function canTransition(from: string, to: string): boolean {
  return (CASE_TRANSITIONS[from as CaseStatus] ?? []).includes(to as CaseStatus);
}
