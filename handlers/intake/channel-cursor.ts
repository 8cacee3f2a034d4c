import { loadCursor, saveCursor } from '../../models/cursor-repository.js';
import type { HandlerDeps } from '../deps.js';

/** A named, durable reading position for a channel (the VK long-poll ts, …). */
export function channelCursor(deps: Pick<HandlerDeps, 'db' | 'clock'>, name: string) {
  return {
    load: () => loadCursor(deps.db, name),
    save: (value: string) => saveCursor(deps.db, name, value, deps.clock.now()),
  };
}
