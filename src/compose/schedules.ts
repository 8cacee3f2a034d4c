import { pagesCron } from '../../handlers/page-monitoring/index.js';
import { digestCron } from '../../handlers/reminders/index.js';
import { weeklyReportCron } from '../../handlers/reports/index.js';
import type { JobName } from '../../models/jobs.js';
import type { QueueService } from '../jobs/queue.js';
import type { Runtime } from './runtime.js';

/**
 * The cron schedules, in the city's time zone. pg-boss keeps them in the database, so with several
 * instances each tick fires once.
 */
export async function applySchedules(rt: Runtime, queue: QueueService): Promise<void> {
  const tz = rt.domain.city.timezone;
  const crons: [JobName, string | undefined][] = [
    // Messages stored but never decided are swept every minute.
    ['process-unprocessed', '* * * * *'],
    // The event ledger forgets ids older than intake.eventLedgerRetention, daily at 03:30 city time.
    ['prune-event-ledger', '30 3 * * *'],
    // Personal data past privacy.retentionMonths are anonymised daily at 04:00 city time (the job does nothing without it).
    ['anonymise-expired', '0 4 * * *'],
    // The morning digest at sla.digest.at; the job itself skips days off by the production calendar.
    ['morning-digest', digestCron(rt.domain.sla.digest.at)],
    // The weekly report at reports.weeklyAt (else the digest's time), daily: the job plans only on the
    // first working day of the week by the production calendar.
    ['weekly-report', weeklyReportCron(rt.domain.reports?.weeklyAt ?? rt.domain.sla.digest.at)],
    ['retrain-classifier', rt.domain.structuring?.retrainCron],
    // The ratings' facts of the cases written to since the last run, every minute (reads refresh too).
    ['refresh-case-facts', '* * * * *'],
    // Scheduled broadcasts start, and running ones nobody holds get a sender again, every minute.
    ['broadcast-sweep', '* * * * *'],
    // The official pages' monitoring round at pages.schedule (the schema's default without the section).
    ['monitor-pages', pagesCron(rt.domain)],
    // A year missing from the production calendar (next year from 1 October): daily at 10:00, the job
    // alerts once per ISO week, on a working day.
    ['calendar-check', '0 10 * * *'],
  ];
  for (const [name, cron] of crons) if (cron) await queue.schedule(name, cron, {}, tz);

  const { publicCommunities, pollCommunitiesCron } = rt.domain.intake;
  if (publicCommunities.length === 0) await queue.unschedule('poll-communities');
  else if (rt.config.vkServiceToken) await queue.schedule('poll-communities', pollCommunitiesCron, {}, tz);
  // Leave the cluster-wide schedule alone: another worker may have the token.
  else rt.log.warn('public communities are configured but this worker has no VK_SERVICE_TOKEN: it will not poll them');
}
