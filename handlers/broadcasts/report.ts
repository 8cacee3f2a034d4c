import { findBroadcast, type RecipientLine, recipientPage, recipientTotals } from '../../models/broadcast-repository.js';
import type { HandlerDeps } from '../deps.js';
import { type BroadcastCaller, mayRead } from './caller.js';
import { type BroadcastOutcome, forbidden, notFound, ok } from './outcome.js';
import { broadcastSettings } from './settings.js';
import { type BroadcastReport, reportOf } from './view.js';

export type ReportDeps = Pick<HandlerDeps, 'db' | 'clock' | 'domain'>;

/** A broadcast with its totals by status and channel, the rate and the time left. */
export async function broadcastReport(deps: Pick<ReportDeps, 'db' | 'clock'>, id: number): Promise<BroadcastReport | null> {
  const b = await findBroadcast(deps.db, id);
  if (!b) return null;
  return reportOf(b, await recipientTotals(deps.db, id, deps.clock.now()));
}

export async function getBroadcast(
  deps: ReportDeps,
  caller: BroadcastCaller,
  id: number,
): Promise<BroadcastOutcome<BroadcastReport>> {
  if (!mayRead(caller, broadcastSettings(deps.domain))) return forbidden('FORBIDDEN', 'your role may not see broadcasts');
  const report = await broadcastReport(deps, id);
  return report ? ok(report) : notFound(id);
}

/**
 * Every recipient and what became of them, a page at a time (the CSV streams these): who got it, who did
 * not and why. Null when the broadcast does not exist.
 */
export async function recipientPages(
  deps: ReportDeps,
  caller: BroadcastCaller,
  id: number,
  pageSize = 5000,
): Promise<BroadcastOutcome<AsyncIterable<RecipientLine[]>>> {
  if (!mayRead(caller, broadcastSettings(deps.domain))) return forbidden('FORBIDDEN', 'your role may not see broadcasts');
  if (!(await findBroadcast(deps.db, id))) return notFound(id);
  async function* pages(): AsyncIterable<RecipientLine[]> {
    let after = 0;
    for (;;) {
      const page = await recipientPage(deps.db, id, after, pageSize);
      if (page.length === 0) return;
      yield page;
      after = page[page.length - 1]?.seq ?? after;
      if (page.length < pageSize) return;
    }
  }
  return ok(pages());
}
