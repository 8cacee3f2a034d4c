import type { InboxWorkerOptions } from '../../handlers/inbox/index.js';
import type { Clock } from '../../lib/clock.js';
import type { HttpPlugin } from '../http/server.js';
import type { DrillTimings } from '../sandbox/drill-domain.js';
import type { BroadcastPace } from '../sandbox/simulated-broadcasts.js';
import type { OfficialPace } from '../sandbox/simulated-officials.js';

export interface AppOptions {
  clock?: Clock;
  /** Sandbox citizens' mean pause between messages (tests make it short). */
  sandboxIntervalMs?: number;
  /** Sandbox officials' pacing (default OFFICIAL_PACE in src/sandbox/simulated-officials.ts). */
  sandboxPace?: Partial<OfficialPace>;
  /** The sandbox operator's broadcasts: the first, the interval, the progress looks (default BROADCAST_PACE in src/sandbox/simulated-broadcasts.ts). */
  sandboxBroadcastPace?: Partial<BroadcastPace>;
  /** Sandbox drill deadlines (default DRILL_TIMINGS in src/sandbox/drill-domain.ts). */
  sandboxDrill?: Partial<DrillTimings>;
  /** Telegram poll settings (tests shorten the long-poll timeout). */
  pollTimeoutSeconds?: number;
  /** The classifier file used when the database has no active model (default: the committed default model). */
  modelPath?: string;
  /** Inbox worker tuning (tests shorten the retry delays and the lease). */
  inbox?: Pick<InboxWorkerOptions, 'leaseMs' | 'retryBaseMs' | 'maxAttempts' | 'idleMs'>;
  /** Group-commit concurrent inbox and intake writes (default on); the intake benchmark compares both. */
  intakeBatching?: boolean;
  /** Routes added to this instance's HTTP server after the app's own (the intake benchmark's no-op route); never set in production. */
  extraRoutes?: HttpPlugin[];
}
