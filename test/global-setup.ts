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

/** One real PostgreSQL for the whole run (a cluster start costs ~1 s; a database per file costs ~50 ms). */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (process.env.TEST_DATABASE_URL) {
    project.provide('pgAdminUrl', process.env.TEST_DATABASE_URL);
    return async () => {};
  }
  const dir = mkdtempSync(join(tmpdir(), 'mcu-test-pg-'));
  const pg = await startEmbeddedPostgres({ dataDir: dir, database: 'postgres' });
  project.provide('pgAdminUrl', pg.connectionString);
  return async () => {
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
