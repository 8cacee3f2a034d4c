import { VkCommunityReader } from '../../bots/vk/community-reader.js';
import { VkPostReader } from '../../bots/vk/post-reader.js';
import { refreshCaseFacts } from '../../handlers/analytics/index.js';
import { deliverAnswer } from '../../handlers/answers/index.js';
import { checkCalendarCoverage } from '../../handlers/calendar/index.js';
import {
  fetchThreadSnippet,
  followUpTimeout,
  type IntakeDeps,
  intentQuestionTimeout,
  notifyCitizen,
  pollCommunities,
  processMessage,
  processUnprocessed,
  pruneEventLedger,
} from '../../handlers/intake/index.js';
import { monitorPages } from '../../handlers/page-monitoring/index.js';
import { askPoll } from '../../handlers/polls/index.js';
import { anonymiseExpired, retentionSettingsFor } from '../../handlers/privacy/index.js';
import { notifyOfficial, planMorningDigest, remind, sendDigest } from '../../handlers/reminders/index.js';
import { planWeeklyReports, sendWeeklyReport } from '../../handlers/reports/index.js';
import { notifyOperators } from '../../handlers/structuring/index.js';
import { calendarMs } from '../../lib/deadlines/index.js';
import { JOB_NAMES, type JobName } from '../../models/jobs.js';
import type { JobHandler, QueueService } from '../jobs/queue.js';
import { broadcastWorkers } from './broadcasts.js';
import { handlerDeps, queryDeps } from './deps.js';
import { channelPort, operatorsChat } from './messengers.js';
import { pageMonitoringDeps, vkServiceApi } from './page-monitoring.js';
import type { Runtime } from './runtime.js';
import { approvalWorkers, broadcastNotifier } from './staff-broadcasts.js';
import { retrain } from './structuring.js';
import { vkApi } from './vk.js';

interface Worker<N extends JobName> {
  handle: JobHandler<N>;
  options?: { batchSize?: number; pollingIntervalSeconds?: number };
}

/** Every job of models/jobs.ts has an entry: a job without a worker is a compile error. null = not here (and why). */
export type Workers = { [N in JobName]: Worker<N> | null };

/** One run of refresh-case-facts does at most this many batches (a backfill goes on at the next tick). */
const REFRESH_MAX_BATCHES = 25;

/** Busy queues fetch five jobs at a time, every half second. */
const BUSY = { batchSize: 5, pollingIntervalSeconds: 0.5 };

/** The workers of an instance with the worker role, one per job name. */
export function workers(rt: Runtime, intake: IntakeDeps): Workers {
  const outbound = channelPort(rt);
  const operators = operatorsChat(rt);
  const vk = vkApi(rt);
  const postReader = vk ? new VkPostReader(vk) : null;
  const retention = {
    ledgerMs: calendarMs(rt.domain.intake.eventLedgerRetention),
    deadLettersMs: calendarMs(rt.domain.intake.deadLetterRetention),
  };
  return {
    ping: {
      handle: async (payload, { log }) => log.debug({ at: payload.at }, 'ping job done'),
    },
    'process-message': {
      handle: async (payload, { log }) => {
        const outcome = await processMessage({ ...intake, log }, payload);
        log.debug({ outcome: outcome.status }, 'message processed');
      },
      options: BUSY,
    },
    'notify-citizen': {
      handle: async (payload, { id, log }) => {
        await notifyCitizen({ outbound, log }, payload, `notify:${id}`);
      },
      options: BUSY,
    },
    'follow-up-timeout': {
      handle: async (payload, { log }) => {
        const outcome = await followUpTimeout({ ...intake, log }, payload);
        log.debug({ outcome }, 'follow-up choice timed out');
      },
    },
    'intent-question-timeout': {
      handle: async (payload, { log }) => {
        const outcome = await intentQuestionTimeout({ ...intake, log }, payload);
        log.debug({ outcome }, '«Это обращение?» timed out');
      },
    },
    'fetch-thread-snippet': {
      handle: async (payload, { log }) => {
        const result = await fetchThreadSnippet({ db: queryDeps(rt).db, reader: postReader, log }, payload);
        log.debug({ result }, 'thread snippet');
      },
    },
    'deliver-answer': {
      handle: async (payload, { log }) => {
        const result = await deliverAnswer({ ...queryDeps(rt), log, outbound }, payload);
        log.info({ result }, 'answer delivery');
      },
    },
    'ask-poll': {
      handle: async (payload, { log }) => {
        await askPoll({ ...handlerDeps(rt), log }, payload);
      },
    },
    remind: {
      handle: async (payload, { log }) => {
        const result = await remind(
          { ...handlerDeps(rt), log, onSent: (late) => rt.metrics.reminderLateness.observe(late) },
          payload,
        );
        log.debug({ result, kind: payload.kind }, 'reminder');
      },
    },
    'notify-official': {
      handle: async (payload, { log }) => {
        const result = await notifyOfficial({ ...queryDeps(rt), outbound, log }, payload);
        log.debug({ result }, 'case card to one person');
      },
    },
    'morning-digest': {
      handle: async (_payload, { log }) => {
        await planMorningDigest({ ...handlerDeps(rt), log });
      },
    },
    'send-digest': {
      handle: async (payload, { log }) => {
        const result = await sendDigest({ ...handlerDeps(rt), outbound, log }, payload);
        log.debug({ result }, 'morning digest to one person');
      },
    },
    'weekly-report': {
      handle: async (_payload, { log }) => {
        await planWeeklyReports({ ...handlerDeps(rt), log });
      },
    },
    'refresh-case-facts': {
      handle: async (_payload, { log }) => {
        const outcome = await refreshCaseFacts(handlerDeps(rt), { maxBatches: REFRESH_MAX_BATCHES });
        if (outcome.refreshed > 0 || outcome.recalendared > 0) log.info(outcome, 'ratings facts refreshed');
      },
    },
    'send-weekly-report': {
      handle: async (payload, { log }) => {
        const result = await sendWeeklyReport({ ...handlerDeps(rt), outbound, log }, payload);
        log.debug({ result }, 'weekly report to one person');
      },
    },
    'notify-operators': {
      handle: async (payload, { log }) => {
        await notifyOperators({ db: queryDeps(rt).db, outbound, operators, log }, payload);
      },
    },
    'retrain-classifier': {
      handle: async (_payload, { log }) => {
        const outcome = await retrain(rt, log);
        log.info({ outcome: outcome.status }, 'retraining done');
      },
    },
    // The safety net of inline deciding: a message stored but never decided (the process died in
    // between) is decided by this sweep once it is a minute old.
    'process-unprocessed': {
      handle: async (_payload, { log }) => {
        const decided = await processUnprocessed({ ...intake, log }, { graceMs: 60_000, limit: 500 });
        if (decided > 0) log.info({ decided }, 'messages decided by the sweep');
      },
    },
    // Decided inbox events go with the event ledger, dead letters after intake.deadLetterRetention.
    'prune-event-ledger': {
      handle: async (_payload, { log }) => {
        const deleted = await pruneEventLedger(queryDeps(rt), retention);
        log.info({ deleted }, 'event ledger, inbox and dead letters pruned');
      },
    },
    // Personal data past privacy.retentionMonths anonymised, daily (docs/operations/personal-data.md); counts only in the log.
    'anonymise-expired': {
      handle: async (_payload, { log }) => {
        const report = await anonymiseExpired(queryDeps(rt), retentionSettingsFor(rt.domain));
        log.info({ report }, 'personal data past retention anonymised');
      },
    },
    'poll-communities': communityPoller(rt, intake),
    // A year missing from the production calendar: one alert to the operators a week (handlers/calendar).
    'calendar-check': {
      handle: async (_payload, { log }) => {
        const outcome = await checkCalendarCoverage(handlerDeps(rt));
        if (outcome.status === 'covered') log.debug('production calendar covers the years deadlines reach');
        else log.warn({ outcome }, 'production calendar: a year deadlines reach is missing');
      },
    },
    // Official pages: every active page read within the platforms' limits (docs/architecture/official-pages.md).
    'monitor-pages': {
      handle: async (_payload, { log }) => {
        const report = await monitorPages({ ...pageMonitoringDeps(rt), log });
        log.info({ report }, 'official pages monitored');
      },
    },
    ...broadcastWorkers(rt, broadcastNotifier(rt)),
    ...approvalWorkers(rt),
  };
}

/** Public VK communities are read with the service token; without one this instance does not poll them. */
function communityPoller(rt: Runtime, intake: IntakeDeps): Worker<'poll-communities'> | null {
  const { publicCommunities: communities, pollRecentPosts } = rt.domain.intake;
  // The service token's one client: the official pages' monitoring shares its 3 requests/s.
  const api = vkServiceApi(rt);
  if (communities.length === 0 || !api) return null;
  const reader = new VkCommunityReader(api);
  return {
    handle: async (_payload, { log }) => {
      const reports = await pollCommunities({
        ...intake,
        reader,
        communities,
        recentPosts: pollRecentPosts,
        wake: () => rt.inbox?.wake(),
      });
      log.info({ reports }, 'public communities polled');
    },
  };
}

/** Registers every worker of the table with the queue. */
export async function registerWorkers(queue: QueueService, table: Workers): Promise<void> {
  for (const name of JOB_NAMES) await register(queue, name, table[name]);
}

async function register<N extends JobName>(queue: QueueService, name: N, worker: Worker<N> | null): Promise<void> {
  if (worker) await queue.work(name, worker.handle, worker.options);
}
