import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The embedded server's postmaster pid (first line of postmaster.pid under DATA_DIR/postgres). */
export function postmasterPid(dataDir: string): number {
  return Number(readFileSync(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
}

/** kill -9 of the database server (the app's supervisor starts it again). */
export function killDatabase(dataDir: string): void {
  process.kill(postmasterPid(dataDir), 'SIGKILL');
}

/**
 * Freezes the database server and every backend (the embedded server runs in its own process group)
 * for `ms`: connections stay open and nothing answers — a stalled disk or a paused VM.
 */
export async function pauseDatabase(dataDir: string, ms: number): Promise<void> {
  const group = -postmasterPid(dataDir);
  process.kill(group, 'SIGSTOP');
  try {
    await new Promise((r) => setTimeout(r, ms));
  } finally {
    process.kill(group, 'SIGCONT');
  }
}

export interface BurstReport {
  /** Acknowledged (2xx): must be stored. */
  acknowledged: number;
  /** Refused with a retryable answer (503, or no answer at all): re-sent until acknowledged. */
  retryable: number;
  /** Anything else (4xx other than expected, 500): a failure of the promise. */
  wrong: { index: number; status: number }[];
  /** How many re-send rounds it took after the faults ended. */
  rounds: number;
}

/**
 * Sends `count` events with `concurrency` at a time, the way a platform does: an event that is not
 * acknowledged (503, a reset connection) is sent again later, until it is. `during` runs the faults
 * while the first pass is in flight.
 */
export async function burst(options: {
  count: number;
  concurrency: number;
  send: (index: number) => Promise<number>;
  during?: (progress: () => number) => Promise<void>;
  acknowledged?: (status: number) => boolean;
  maxRounds?: number;
}): Promise<BurstReport> {
  const ok = options.acknowledged ?? ((s: number) => s >= 200 && s < 300);
  const report: BurstReport = { acknowledged: 0, retryable: 0, wrong: [], rounds: 0 };
  let pending = Array.from({ length: options.count }, (_, i) => i);
  let done = 0;
  const pass = async (indexes: number[]) => {
    const failed: number[] = [];
    let next = 0;
    const worker = async () => {
      while (next < indexes.length) {
        const index = indexes[next++] as number;
        const status = await options.send(index).catch(() => 0);
        done++;
        if (ok(status)) report.acknowledged++;
        else if (status === 503 || status === 0) {
          report.retryable++;
          failed.push(index);
        } else report.wrong.push({ index, status });
      }
    };
    await Promise.all(Array.from({ length: options.concurrency }, worker));
    return failed;
  };
  const faults = options.during?.(() => done);
  pending = await pass(pending);
  await faults;
  while (pending.length > 0 && report.rounds < (options.maxRounds ?? 60)) {
    report.rounds++;
    await new Promise((r) => setTimeout(r, 500));
    pending = await pass(pending);
  }
  return report;
}

/** Resolves once `progress()` reached `at` (polling every few ms). */
export async function reached(progress: () => number, at: number): Promise<void> {
  while (progress() < at) await new Promise((r) => setTimeout(r, 5));
}
