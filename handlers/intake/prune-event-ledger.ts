import { pruneInbox } from '../../models/inbox-repository.js';
import { pruneInboundEvents } from '../../models/intake-repository.js';
import type { HandlerDeps } from '../deps.js';

/**
 * Forgets platform event ids older than the retention (re-deliveries stop long before that): the
 * intake ledger and the decided inbox events; and deletes dead letters past their own retention.
 * Pending inbox events are never deleted.
 */
export async function pruneEventLedger(
  deps: Pick<HandlerDeps, 'db' | 'clock'>,
  retention: { ledgerMs: number; deadLettersMs: number },
): Promise<{ ledger: number; inbox: number; deadLetters: number }> {
  const now = deps.clock.now().getTime();
  const before = new Date(now - retention.ledgerMs);
  const ledger = await pruneInboundEvents(deps.db, before);
  const pruned = await pruneInbox(deps.db, before, new Date(now - retention.deadLettersMs));
  return { ledger, inbox: pruned.events, deadLetters: pruned.deadLetters };
}
