import type { Clock } from '../../lib/clock.js';
import { loadCursor, saveCursor } from '../../models/cursor-repository.js';
import type { Db } from '../../models/database.js';

/** A named, durable reading position for a channel (the VK long-poll ts, …). */
export function channelCursor(deps: { db: Db; clock: Clock }, name: string) {
  return {
    load: () => loadCursor(deps.db, name),
    save: (value: string) => saveCursor(deps.db, name, value, deps.clock.now()),
  };
}
