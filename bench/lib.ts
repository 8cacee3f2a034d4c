import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type EmbeddedPostgres, ensureDatabase, startEmbeddedPostgres } from '../models/embedded-postgres.js';

/** A throwaway embedded PostgreSQL for one benchmark (or BENCH_DATABASE_URL's server). */
export async function benchDatabase(name: string): Promise<{ url: string; stop(): Promise<void> }> {
  if (process.env.BENCH_DATABASE_URL) {
    const admin = new URL(process.env.BENCH_DATABASE_URL);
    const dbName = `bench_${name}_${Date.now()}`;
    await ensureDatabase(admin.toString(), dbName);
    admin.pathname = `/${dbName}`;
    return { url: admin.toString(), stop: async () => {} };
  }
  const dir = mkdtempSync(join(tmpdir(), `mcu-bench-${name}-`));
  const pg: EmbeddedPostgres = await startEmbeddedPostgres({ dataDir: dir, database: `bench_${name}` });
  return {
    url: pg.connectionString,
    stop: async () => {
      await pg.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] as number;
}

export function printTable(title: string, rows: [string, string][]): void {
  const width = Math.max(...rows.map(([k]) => k.length));
  console.log(`\n${title}`);
  for (const [k, v] of rows) console.log(`  ${k.padEnd(width)}  ${v}`);
}

/** Runs `work` once, sampling RSS every 20 ms; its time, the process's CPU time and the peak RSS seen. */
export async function withPeakRss<T>(work: () => Promise<T>): Promise<{ ms: number; cpuMs: number; peakMb: number; result: T }> {
  global.gc?.();
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 20);
  const started = performance.now();
  const cpu = process.cpuUsage();
  try {
    const result = await work();
    const used = process.cpuUsage(cpu);
    return {
      ms: performance.now() - started,
      cpuMs: (used.user + used.system) / 1000,
      peakMb: Math.max(peak, process.memoryUsage.rss()) / (1024 * 1024),
      result,
    };
  } finally {
    clearInterval(timer);
  }
}
