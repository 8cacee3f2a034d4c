import type { DomainConfig } from '../../config/domain.js';
import type { Clock } from '../../lib/clock.js';
import type { WorkingCalendar } from '../../lib/deadlines/index.js';
import type { Db, Tx } from '../../models/database.js';
import type { JobQueue } from '../../models/jobs.js';

/** What the case actions (extend, pause, reassign, merge) need. */
export interface CaseActionDeps {
  db: Db;
  clock: Clock;
  jobs: JobQueue<Tx>;
  domain: DomainConfig;
  calendar: WorkingCalendar;
}

/** Statuses in which someone is still working on a case. */
export const WORKING_STATUSES: readonly string[] = ['assigned', 'in_progress', 'interim_replied', 'reopened'];
