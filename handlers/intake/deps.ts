import type { DomainConfig } from '../../config/domain.js';
import { calendarMs } from '../../lib/deadlines/index.js';
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

/**
 * Intake's settings from the domain file: the follow-up windows, the time zone, and the first response
 * promised to a citizen — the `social` SLA policy without channels, normal and urgent.
 */
export function intakeSettingsFor(domain: DomainConfig): IntakeSettings {
  const social = domain.sla.policies.social.find((p) => p.priority === 'normal' && !p.channels);
  const urgent = domain.sla.policies.social.find((p) => p.priority === 'urgent' && !p.channels);
  return {
    followUpWindowMs: calendarMs(domain.intake.followUpWindow),
    followUpChoiceTimeoutMs: calendarMs(domain.intake.followUpChoiceTimeout),
    firstResponse: social?.firstResponse ?? '24h',
    ...(urgent ? { firstResponseUrgent: urgent.firstResponse } : {}),
    timeZone: domain.city.timezone,
  };
}
