/**
 * What `mcu import` runs on: the app's database (DATABASE_URL, or the embedded PostgreSQL under
 * DATA_DIR, migrated), the queue (the cases' cards and reminders are enqueued for the app's
 * workers), the working calendar and the structurer the app would build — so an imported appeal is
 * structured and timed exactly as a pushed one.
 */
import { dirname, resolve } from 'node:path';
import pino, { type Logger } from 'pino';
import { loadBoundaries } from '../../config/boundaries.js';
import { loadProductionCalendar, productionCalendarFiles } from '../../config/calendar.js';
import { loadDomainConfig } from '../../config/domain.js';
import { loadConfig, readEnvironment } from '../../config/index.js';
import type { IngestDeps } from '../../handlers/ingest/index.js';
import { createStructurer, PredictorHolder } from '../../handlers/structuring/index.js';
import { systemClock } from '../../lib/clock.js';
import { WorkingCalendar } from '../../lib/deadlines/index.js';
import { openDatabase } from '../../models/database.js';
import { startEmbeddedPostgres } from '../../models/embedded-postgres.js';
import { migrateToLatest } from '../../models/migrate.js';
import { QueueService } from '../../src/jobs/queue.js';
import { createLogger } from '../../src/logger.js';
import { loadActivePredictor, loadIntentScorer } from '../../src/structuring/load-model.js';

/** Runs `work` with the ingest deps and closes everything after, whatever happens. */
export async function withIngestDeps<T>(work: (deps: IngestDeps) => Promise<T>): Promise<T> {
  const config = loadConfig(readEnvironment());
  const domainPath = config.domainConfigPath;
  const domain = loadDomainConfig(domainPath);
  // The CLI's own log: warnings only, on stderr, never a row's content (personal data).
  const log: Logger = createLogger({ level: 'warn', destination: pino.destination(2) });
  const embedded = config.databaseUrl ? null : await startEmbeddedPostgres({ dataDir: config.dataDir });
  const url = config.databaseUrl ?? embedded?.connectionString ?? '';
  const handle = openDatabase({ connectionString: url });
  const queue = new QueueService(url, log);
  try {
    await migrateToLatest(handle.db);
    await queue.start();
    const predictor = new PredictorHolder();
    await loadActivePredictor({ db: handle.db, holder: predictor, log });
    const boundaryFile = domain.structuring?.boundaries;
    const boundaries = boundaryFile
      ? loadBoundaries(
          resolve(dirname(domainPath), boundaryFile),
          domain.districts.map((d) => d.id),
        )
      : [];
    const calendar = WorkingCalendar.forCity(domain.city, loadProductionCalendar(productionCalendarFiles(config, domain)));
    const structurer = createStructurer(domain, predictor, boundaries, await loadIntentScorer(log));
    return await work({
      db: handle.db,
      jobs: queue,
      clock: systemClock,
      log,
      domain,
      structuring: { domain, calendar, structurer },
    });
  } finally {
    await queue.stop();
    await handle.close();
    await embedded?.stop();
  }
}
