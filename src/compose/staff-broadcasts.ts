import { type BroadcastNotifier, createBroadcastNotifier } from '../../handlers/broadcasts/index.js';
import { notifyBroadcastApproval } from '../../handlers/staff-broadcasts/index.js';
import type { JobHandler } from '../jobs/queue.js';
import { handlerDeps } from './deps.js';
import { channelPort } from './messengers.js';
import type { Runtime } from './runtime.js';

/**
 * The staff's side of broadcasts in a worker: the author's progress message and summary (the notifier the
 * sender calls), and the approval requests of the /broadcast wizard. Each instance has one notifier: it
 * paces the edits of a progress message per broadcast in memory.
 */
export function broadcastNotifier(rt: Runtime): BroadcastNotifier {
  return rt.shared(createNotifier);
}

function createNotifier(rt: Runtime): BroadcastNotifier {
  // Made at the first report, when the database is up; it keeps the pacing of the edits from then on.
  let made: BroadcastNotifier | null = null;
  const notifier = () => {
    made ??= createBroadcastNotifier({ ...handlerDeps(rt), outbound: channelPort(rt) });
    return made;
  };
  return {
    progress: (report) => notifier().progress(report),
    finished: (report) => notifier().finished(report),
    notStarted: (notice) => notifier().notStarted(notice),
  };
}

/** The `broadcast-approval` worker: asks the approvers, or tells the author it was approved. */
export function approvalWorkers(rt: Runtime): { 'broadcast-approval': { handle: JobHandler<'broadcast-approval'> } } {
  return {
    'broadcast-approval': {
      handle: async (payload, { log }) => {
        const outcome = await notifyBroadcastApproval({ ...handlerDeps(rt), outbound: channelPort(rt), log }, payload);
        log.debug({ outcome, broadcastId: payload.broadcastId, step: payload.step }, 'broadcast approval notice');
      },
    },
  };
}
