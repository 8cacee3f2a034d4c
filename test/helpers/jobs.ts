import type { JobName, JobQueue } from '../../models/jobs.js';

/** An in-memory JobQueue that records what was enqueued (for handler tests without pg-boss). */
export function recordingQueue(): JobQueue & { jobs: { name: JobName; payload: unknown }[] } {
  const jobs: { name: JobName; payload: unknown }[] = [];
  return {
    jobs,
    send: async (name, payload) => {
      jobs.push({ name, payload });
      return `job-${jobs.length}`;
    },
    sendMany: async (name, payloads) => {
      for (const payload of payloads) jobs.push({ name, payload });
    },
  };
}
