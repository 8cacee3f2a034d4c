import type { Logger } from 'pino';
import { serializeError } from './serialize-error.js';

// ---------------------------------------------------------------------------------------------
// Summaries of repeated non-essential failures

export interface FailureSummaryOptions {
  /** Log line head: `${what} failed for N ${units}: <reason>`. */
  what: string;
  /** What one failure is about, singular and plural: ['staff chat', 'staff chats']. */
  unit: [string, string];
  /** Emit after this long without a new failure. */
  quietMs?: number;
  /** …but at least this often while failures keep coming. */
  maxWaitMs?: number;
}

/**
 * Counts repeated non-essential failures per distinct reason and logs one warning per reason
 * after a quiet period ("setMyCommands failed for 40 staff chats: …") instead of one warning
 * (with a stack) per failure. Each failure itself is logged at debug with its stack.
 */
export function failureSummary(log: Logger, options: FailureSummaryOptions): { add(error: unknown): void; flush(): void } {
  const quietMs = options.quietMs ?? 2_000;
  const maxWaitMs = options.maxWaitMs ?? 60_000;
  const counts = new Map<string, number>();
  let timer: NodeJS.Timeout | null = null;
  let firstAt = 0;

  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    for (const [reason, count] of counts) {
      const unit = count === 1 ? options.unit[0] : options.unit[1];
      log.warn({ failures: count }, `${options.what} failed for ${count} ${unit}: ${reason}`);
    }
    counts.clear();
  };
  return {
    add(error: unknown) {
      log.debug({ err: error }, `${options.what} failed`);
      const e = serializeError(error, { maxDepth: 0 });
      const reason = `${e.type}${e.code === undefined ? '' : ` ${e.code}`}${e.message ? `: ${e.message}` : ''}`;
      counts.set(reason, (counts.get(reason) ?? 0) + 1);
      const now = Date.now();
      if (!timer) firstAt = now;
      if (timer) clearTimeout(timer);
      const wait = Math.max(0, Math.min(quietMs, firstAt + maxWaitMs - now));
      timer = setTimeout(flush, wait);
      timer.unref();
    },
    flush,
  };
}
