import type { JobName, JobQueue } from '../../models/jobs.js';

/** Emergency broadcasts run in their own queue: never behind a normal one that is sending. */
export const runJobOf = (priority: 'normal' | 'emergency'): JobName =>
  priority === 'emergency' ? 'broadcast-run-emergency' : 'broadcast-run';

/**
 * Queues a slice of the broadcast's sender: one waiting job per broadcast (the queues are `short` with
 * the broadcast as singleton key), so the minute sweep, a resume and a hand-over never pile up — a
 * second request while one waits is dropped, and the waiting one does the work.
 */
export function queueRun<TTx>(
  jobs: JobQueue<TTx>,
  b: { id: number; priority: 'normal' | 'emergency' },
  options: { tx?: TTx; startAfter?: Date } = {},
): Promise<string | null> {
  return jobs.send(
    runJobOf(b.priority) as 'broadcast-run',
    { broadcastId: b.id },
    { ...options, singletonKey: `broadcast:${b.id}` },
  );
}
