import type { Tx } from '../../models/database.js';
import type { JobQueue } from '../../models/jobs.js';
import type { MonitoredPage } from '../../models/page-monitoring-repository.js';
import type { AlertKind } from '../../models/schema.js';
import { insertAlert } from '../../models/structuring-repository.js';
import type { PageFigures } from './figures.js';

/**
 * Alerts to the МЦУ about official pages, through the operators' alerts (the `alert` table and the
 * `notify-operators` job, as urgent cases and spikes): once per page and condition — each is raised when
 * the condition begins (compared with the page's previous round), not every round it lasts.
 */

export type PageAlertKind = Extract<AlertKind, `page_${string}`>;

/** What every page alert carries, so the text names the page without a query of its own. */
function pageDetails(page: MonitoredPage): Record<string, unknown> {
  return { pageId: page.id, platform: page.platform, url: page.url, title: page.title, department: page.ownerDepartment };
}

export async function raisePageAlert(
  tx: Tx,
  jobs: JobQueue<Tx>,
  page: MonitoredPage,
  kind: PageAlertKind,
  details: Record<string, unknown>,
  at: Date,
): Promise<void> {
  const alertId = await insertAlert(
    tx,
    { kind, caseId: null, problemId: null, details: { ...pageDetails(page), ...details } },
    at,
  );
  await jobs.send('notify-operators', { alertId }, { tx });
}

/**
 * The conditions of a readable round that begin now: silent for more than `silentDays` (no post at all
 * counts), comments closed. `previous` is the page's last readable round's figures (none: the first).
 */
export function beginningConditions(
  figures: PageFigures,
  previous: Record<string, unknown> | undefined,
): { kind: PageAlertKind; details: Record<string, unknown> }[] {
  const begun: { kind: PageAlertKind; details: Record<string, unknown> }[] = [];
  if (figures.silent && previous?.silent !== true)
    begun.push({
      kind: 'page_silent',
      details: { lastPostAt: figures.lastPostAt, daysSinceLastPost: figures.daysSinceLastPost },
    });
  const wasOpen = (previous?.setup as { commentsOpen?: unknown } | undefined)?.commentsOpen;
  if (figures.setup.commentsOpen === false && wasOpen !== false) begun.push({ kind: 'page_comments_closed', details: {} });
  return begun;
}
