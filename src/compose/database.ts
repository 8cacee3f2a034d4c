import { ConfigError } from '../../config/errors.js';
import { abortableSleep, backoffMs } from '../../lib/retry.js';
import { claimSetting } from '../../models/app-setting-repository.js';
import { openDatabase, pingDatabase } from '../../models/database.js';
import { startEmbeddedPostgres } from '../../models/embedded-postgres.js';
import { migrateToLatest } from '../../models/migrate.js';
import type { Runtime } from './runtime.js';

/** Connects (starting the embedded server if no DATABASE_URL), retrying with backoff until it answers. */
export async function startDatabase(rt: Runtime): Promise<void> {
  const log = rt.log.child({ part: 'database' });
  let connectionString = rt.config.databaseUrl;
  if (!connectionString) {
    // Supervised: if the server dies, it is started again on the same port and the pools reconnect.
    rt.embedded = await startEmbeddedPostgres({
      dataDir: rt.config.dataDir,
      log: (m) => log.debug(m),
      supervise: (message, level) => log[level](message),
    });
    connectionString = rt.embedded.connectionString;
    log.info('embedded PostgreSQL ready (DATABASE_URL not set; data under DATA_DIR/postgres)');
  }
  const database = openDatabase({
    connectionString,
    onPoolError: (error) => log.warn({ err: error }, 'idle database connection lost; the pool reconnects'),
  });
  rt.database = database;
  for (let attempt = 1; !rt.stopped; attempt++) {
    try {
      await pingDatabase(database.db, 5_000);
      break;
    } catch (error) {
      const delayMs = backoffMs(attempt, 1_000);
      rt.dbState = 'down';
      log.warn({ err: error, attempt, retryInMs: delayMs }, 'database unreachable; retrying');
      await abortableSleep(delayMs, rt.stopSignal);
    }
  }
  if (rt.stopped) return;
  const { applied } = await migrateToLatest(database.db);
  log.info({ applied }, applied.length ? 'migrations applied' : 'schema up to date');
  // A database is the sandbox's or the live channels', never both: the sandbox's simulated staff,
  // citizens and drill deadlines must not meet real people.
  const mode = rt.config.sandbox ? 'sandbox' : 'live';
  const recorded = await claimSetting(database.db, 'mode', mode, rt.clock.now());
  if (recorded !== mode)
    throw new ConfigError('database', [
      recorded === 'sandbox'
        ? 'this database was used by the sandbox (simulated citizens and staff, drill deadlines): give the live app a fresh database'
        : 'this database belongs to the live app: the sandbox refuses to put simulated citizens and staff into it (use another DATABASE_URL or DATA_DIR)',
    ]);
  rt.dbState = 'ok';
}
