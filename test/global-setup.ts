import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../models/embedded-postgres.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** postgres://…/postgres of the one embedded server the test run shares; each file makes its own database. */
    pgAdminUrl: string;
  }
}

interface SharedServer {
  started: Promise<{ url: string; stop: () => Promise<void> }>;
  users: number;
}

/**
 * The tiers that need PostgreSQL (db, channels, faults — vitest.config.ts) each list this globalSetup, and Vitest
 * runs it once per such project that has files to run. They all run in this one process, so the server is kept on
 * `globalThis` and shared: the first project starts it, the last one to tear down stops it.
 */
const KEY = Symbol.for('mcu.test.embeddedPostgres');
const registry = globalThis as { [KEY]?: SharedServer };

async function start(): Promise<{ url: string; stop: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'mcu-test-pg-'));
  const pg = await startEmbeddedPostgres({ dataDir: dir, database: 'postgres' });
  return {
    url: pg.connectionString,
    stop: async () => {
      await pg.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** One real PostgreSQL for the whole run (a cluster start costs ~1 s; a database per file costs ~50 ms). */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (process.env.TEST_DATABASE_URL) {
    project.provide('pgAdminUrl', process.env.TEST_DATABASE_URL);
    return async () => {};
  }
  registry[KEY] ??= { started: start(), users: 0 };
  const shared = registry[KEY];
  shared.users++;
  const { url, stop } = await shared.started;
  project.provide('pgAdminUrl', url);
  return async () => {
    shared.users--;
    if (shared.users > 0) return;
    delete registry[KEY];
    await stop();
  };
}
