import {
  type BroadcastListRow,
  broadcastListPage,
  type ReasonCount,
  recipientReasons,
} from '../../models/broadcast-overview-query.js';
import type { BroadcastStatus } from '../../models/schema.js';
import type { HandlerDeps } from '../deps.js';
import { type BroadcastCaller, mayRead } from './caller.js';
import { type BroadcastOutcome, forbidden, notFound, ok } from './outcome.js';
import { broadcastSettings } from './settings.js';

export type BroadcastListItem = BroadcastListRow;
export type { ReasonCount };

/**
 * A page of broadcasts, newest first, optionally of one status, with the author's and the approver's
 * names (the console's list). `next` is the id to continue before, null on the last page.
 */
export async function broadcastList(
  deps: Pick<HandlerDeps, 'db' | 'domain'>,
  caller: BroadcastCaller,
  filter: { status?: BroadcastStatus | undefined; beforeId?: number | undefined; limit: number },
): Promise<BroadcastOutcome<{ items: BroadcastListItem[]; next: number | null }>> {
  if (!mayRead(caller, broadcastSettings(deps.domain))) return forbidden('FORBIDDEN', 'your role may not see broadcasts');
  const rows = await broadcastListPage(deps.db, { ...filter, limit: filter.limit + 1 });
  const items = rows.slice(0, filter.limit);
  return ok({ items, next: rows.length > filter.limit ? (items[items.length - 1]?.id ?? null) : null });
}

/** One broadcast's people: who wrote it (their id, to tell the author from a second person) and who approved it. */
export async function broadcastPeople(
  deps: Pick<HandlerDeps, 'db' | 'domain'>,
  caller: BroadcastCaller,
  id: number,
): Promise<BroadcastOutcome<BroadcastListItem>> {
  if (!mayRead(caller, broadcastSettings(deps.domain))) return forbidden('FORBIDDEN', 'your role may not see broadcasts');
  const [row] = await broadcastListPage(deps.db, { id, limit: 1 });
  return row ? ok(row) : notFound(id);
}

/** Why recipients were not reached, by status and reason (the report's «Почему не доставлено»). */
export async function broadcastReasons(
  deps: Pick<HandlerDeps, 'db' | 'domain'>,
  caller: BroadcastCaller,
  id: number,
  limit = 10,
): Promise<BroadcastOutcome<ReasonCount[]>> {
  if (!mayRead(caller, broadcastSettings(deps.domain))) return forbidden('FORBIDDEN', 'your role may not see broadcasts');
  return ok(await recipientReasons(deps.db, id, limit));
}
