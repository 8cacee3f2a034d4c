import {
  countTriageCases,
  findTriageCase,
  listTriageCases,
  TRIAGE_STATUSES,
  type TriageCursor,
  type TriageFilters,
  type TriageItem,
  triageWatermark,
} from '../../models/triage-query.js';
import type { QueryDeps } from './queries.js';

export { TRIAGE_STATUSES, type TriageCursor, type TriageFilters, type TriageItem };

/** The triage queue (the bot's /queue, with filters and pages): urgent first, then the oldest, and how many wait. */
export async function triageQueuePage(
  deps: QueryDeps,
  filters: TriageFilters,
  page: { limit: number; after?: TriageCursor },
): Promise<{ items: TriageItem[]; next: TriageCursor | null; total: number }> {
  const [list, total] = await Promise.all([listTriageCases(deps.db, filters, page), countTriageCases(deps.db, filters)]);
  return { ...list, total };
}

/** A fingerprint that moves whenever a case arrives, or leaves, re-enters or changes in the queue. */
export function triageQueueWatermark(deps: QueryDeps): Promise<string> {
  return triageWatermark(deps.db);
}

/** One case as a row of the queue (any status): what the console shows after a form about it. */
export function triageCase(deps: QueryDeps, caseId: number): Promise<TriageItem | undefined> {
  return findTriageCase(deps.db, caseId);
}
