import type { Clock } from '../../models/clock.js';
import type { Db } from '../../models/database.js';
import { pruneInboundEvents } from '../../models/intake-repository.js';

/** Forgets platform event ids older than the retention: re-deliveries stop long before that. */
export async function pruneEventLedger(deps: { db: Db; clock: Clock }, retentionMs: number): Promise<number> {
  return pruneInboundEvents(deps.db, new Date(deps.clock.now().getTime() - retentionMs));
}
