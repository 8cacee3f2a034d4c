/**
 * What a form saw of a case when it was rendered (the console's hidden version field): its last
 * update and the statuses the action is meant for. A use case given one checks it under the case's
 * row lock and answers `stale` instead of acting on a case someone else has changed since.
 */
export interface CaseExpectation {
  updatedAt: Date;
  statuses?: readonly string[];
}

/** True when there is nothing to check or the locked row is still what the form saw (to the millisecond). */
export function meetsExpectation(row: { status: string; updated_at: Date }, expect: CaseExpectation | undefined): boolean {
  if (!expect) return true;
  if (expect.statuses && !expect.statuses.includes(row.status)) return false;
  return new Date(row.updated_at).getTime() === expect.updatedAt.getTime();
}
