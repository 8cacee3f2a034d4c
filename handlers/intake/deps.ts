import type { Logger } from 'pino';
import type { Clock } from '../../lib/clock.js';
import type { Db, Tx } from '../../models/database.js';
import type { JobQueue } from '../../models/jobs.js';
import type { StructuringDeps } from '../structuring/structure-case.js';

/** What intake use cases need; passed explicitly, never global. */
export interface IntakeDeps {
  db: Db;
  jobs: JobQueue<Tx>;
  clock: Clock;
  log: Logger;
  settings: IntakeSettings;
  /** Category, district, urgency, duplicates and routing; without it every case goes to triage. */
  structuring?: StructuringDeps;
}

export interface IntakeSettings {
  /** A private-chat follow-up within this window joins the citizen's open case when it is about the same thing. */
  followUpWindowMs: number;
  /** How long a follow-up about something else waits for «Дополнение…» / «Новое обращение» (default 5 min). */
  followUpChoiceTimeoutMs?: number;
  /** First-response time promised to a citizen, as a duration string from the SLA policy (e.g. "9wh"). */
  firstResponse: string;
  /** The same for urgent cases (the urgent SLA policy), when one is configured. */
  firstResponseUrgent?: string;
  /** The time zone that decides a case number's year. */
  timeZone: string;
}
