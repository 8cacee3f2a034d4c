import type { JobName } from '../../models/jobs.js';

/** Emergency broadcasts run in their own queue: never behind a normal one that is sending. */
export const runJobOf = (priority: 'normal' | 'emergency'): JobName =>
  priority === 'emergency' ? 'broadcast-run-emergency' : 'broadcast-run';
