import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import {
  type BroadcastNotifier,
  type RunDeps,
  resumeBroadcasts,
  runBroadcast,
  silentNotifier,
  sweepBroadcasts,
} from '../../handlers/broadcasts/index.js';
import type { JobHandler } from '../jobs/queue.js';
import { handlerDeps } from './deps.js';
import { broadcastPort } from './messengers.js';
import type { Runtime } from './runtime.js';

/** This process as a broadcast lease owner: unique across restarts, so a restarted process never renews a dead one's lease. */
const OWNER = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;

/** The sender's parts: the port (paced per messenger), the author's notifier, this process as lease owner. */
function senderDeps(rt: Runtime, notifier: BroadcastNotifier): Omit<RunDeps, 'log'> {
  const { db, jobs, clock, domain } = handlerDeps(rt);
  return { db, jobs, clock, domain, port: broadcastPort(rt), notifier, owner: OWNER };
}

/** The broadcasts' workers: a slice of sending per job (normal and emergency queues), and the sweep. */
export function broadcastWorkers(
  rt: Runtime,
  notifier: BroadcastNotifier = silentNotifier,
): {
  [N in 'broadcast-run' | 'broadcast-run-emergency' | 'broadcast-sweep']: {
    handle: JobHandler<N>;
    options?: { batchSize?: number; pollingIntervalSeconds?: number };
  };
} {
  const handle = async (payload: { broadcastId: number }, { log }: { log: RunDeps['log'] }) => {
    const outcome = await runBroadcast({ ...senderDeps(rt, notifier), log }, payload);
    log.debug({ outcome, broadcastId: payload.broadcastId }, 'broadcast slice');
  };
  const options = { batchSize: 1, pollingIntervalSeconds: 0.5 };
  return {
    'broadcast-run': { handle, options },
    'broadcast-run-emergency': { handle, options },
    'broadcast-sweep': {
      handle: async (_payload, { log }) => {
        await sweepBroadcasts({ ...handlerDeps(rt), log, notifier });
      },
    },
  };
}

/** At a worker's start: running broadcasts continue once a dead process's lease runs out. */
export async function resumeBroadcastsAtStart(rt: Runtime): Promise<void> {
  const n = await resumeBroadcasts(handlerDeps(rt));
  if (n > 0) rt.log.info({ broadcasts: n }, 'running broadcasts resumed');
}
