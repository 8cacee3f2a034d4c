import type { BroadcastNotStarted } from '../../models/outbound.js';
import type { BroadcastReport } from './view.js';

/**
 * Tells the author how their broadcast goes, in their messenger: the progress message edited in place
 * (a bar, the rate, the time left) and one final summary. Implemented in ./progress.ts on the channel
 * port; the sender calls it, never waits on it for sending, and a failure here never stops a broadcast.
 */
export interface BroadcastNotifier {
  /** The current progress (called every few seconds while sending, and on every change of status). */
  progress(report: BroadcastReport): Promise<void>;
  /** The broadcast ended (done or cancelled): the final summary, sent once. */
  finished(report: BroadcastReport): Promise<void>;
  /** A scheduled broadcast went back to draft when due (nobody to send to, an approval missing): the author is told. */
  notStarted(notice: BroadcastNotStarted): Promise<void>;
}

/** For instances and tests without a messenger for staff. */
export const silentNotifier: BroadcastNotifier = {
  progress: async () => {},
  finished: async () => {},
  notStarted: async () => {},
};
