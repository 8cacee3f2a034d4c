import type { HandlerDeps } from '../deps.js';

/** What the case actions (extend, pause, reassign, merge) need. */
export type CaseActionDeps = Pick<HandlerDeps, 'db' | 'clock' | 'jobs' | 'domain' | 'calendar'>;

/** Statuses in which someone is still working on a case. */
export const WORKING_STATUSES: readonly string[] = ['assigned', 'in_progress', 'interim_replied', 'reopened'];
