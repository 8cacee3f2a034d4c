import type { Logger } from 'pino';
import type { DomainConfig } from '../config/domain.js';
import type { Clock } from '../lib/clock.js';
import type { WorkingCalendar } from '../lib/deadlines/index.js';
import type { Db, Tx } from '../models/database.js';
import type { JobQueue } from '../models/jobs.js';

/**
 * What every use case may depend on, one shape for all features: the database, the queue (enqueued
 * in the caller's transaction), the clock, the city's working calendar, the domain file and a logger.
 * A use case takes the `Pick` it needs (plus what is genuinely its own, e.g. the channel port), so a
 * test passes `{ db, clock }` where that is enough; each feature's `bindX` takes a getter of the
 * whole, resolved per call (src/compose/deps.ts: 503 until the database and queue are up).
 */
export interface HandlerDeps {
  db: Db;
  jobs: JobQueue<Tx>;
  clock: Clock;
  calendar: WorkingCalendar;
  domain: DomainConfig;
  log: Logger;
}
