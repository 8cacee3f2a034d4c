import type { JobName, JobQueue } from '../../models/jobs.js';

export interface RecordedJob {
  name: JobName;
  payload: unknown;
  startAfter?: Date;
}

/** An in-memory JobQueue that records what was enqueued (for handler tests without pg-boss). */
export function recordingQueue(): JobQueue & { jobs: RecordedJob[] } {
  const jobs: RecordedJob[] = [];
  return {
    jobs,
    send: async (name, payload, options) => {
      jobs.push({ name, payload, ...(options?.startAfter ? { startAfter: options.startAfter } : {}) });
      return `job-${jobs.length}`;
    },
    sendMany: async (name, payloads) => {
      for (const payload of payloads) jobs.push({ name, payload });
    },
  };
}

/** The notifications enqueued for one private chat (its chat id is the citizen's id), in order. */
export function notificationsTo(jobs: readonly RecordedJob[], chatId: number): { kind: string }[] {
  return jobs
    .filter((j) => j.name === 'notify-citizen')
    .map((j) => j.payload as { target: { chatId: string }; notification: { kind: string } })
    .filter((p) => p.target.chatId === String(chatId))
    .map((p) => p.notification);
}
