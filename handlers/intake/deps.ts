import type { HandlerDeps } from '../deps.js';
import type { StructuringDeps } from '../structuring/structure-case.js';

/** What intake use cases need; passed explicitly, never global. */
export type IntakeDeps = Pick<HandlerDeps, 'db' | 'jobs' | 'clock' | 'log'> & {
  settings: IntakeSettings;
  /** Category, district, urgency, duplicates and routing; without it every case goes to triage. */
  structuring?: StructuringDeps;
};

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
