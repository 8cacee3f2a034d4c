import { DAY_MS } from '../../lib/deadlines/index.js';
import { inTransaction } from '../../models/database.js';
import {
  activePages,
  insertPageSnapshot,
  knownCommentCounts,
  lastReadableFigures,
  linkCommentCase,
  lockMonitoredPage,
  type MonitoredPage,
  markPageChecked,
  monitoredPage,
  storedMessageCases,
  upsertPageComments,
  upsertPagePosts,
  windowOfPage,
} from '../../models/page-monitoring-repository.js';
import type { HandlerDeps } from '../deps.js';
import type { StructuringDeps } from '../structuring/structure-case.js';
import { beginningConditions, raisePageAlert } from './alerts.js';
import { readChannel } from './channel-reading.js';
import { type JudgedComments, judgeOverdueComments, recordPageReplies } from './comment-cases.js';
import { type PageFigures, pageFigures, pageScore } from './figures.js';
import type { PagePlatforms, PageReading, ReadOutcome } from './ports.js';
import { pageSettings } from './settings.js';

/**
 * The monitoring round (docs/architecture/official-pages.md, «Мониторинг»): read every active page
 * within the platforms' limits → per page, in its own transaction, store its posts and comments, the
 * round's figures and score (a snapshot) or why it could not be read → comments unanswered past the term
 * become cases, the page's replies answer them → alerts for conditions that begin. A platform's limit or
 * error concludes nothing about a page: it is left as it was and read again next round.
 */

export type MonitoringDeps = Pick<HandlerDeps, 'db' | 'jobs' | 'clock' | 'calendar' | 'domain' | 'log'> & {
  platforms: PagePlatforms;
  structuring?: StructuringDeps;
};

/** What one round did, for the job's log (no personal data). */
export interface RoundReport {
  pages: number;
  read: number;
  unreadable: number;
  deferred: number;
  failed: number;
  casesOpened: number;
  answeredOnPage: number;
  alerts: number;
  ms: number;
}

/** One page's result. */
export type PageOutcome =
  | {
      status: 'done';
      score: number | null;
      figures: PageFigures;
      casesOpened: number[];
      answeredOnPage: number[];
      alerts: number;
    }
  | { status: 'unreadable'; reason: string; alerts: number }
  | { status: 'deferred'; reason: string }
  | { status: 'failed'; error: string };

/** The outcome of `refreshPage`, for `POST /api/v1/pages/:id/refresh`. */
export type RefreshOutcome =
  | { status: 'done'; pageId: number; score: number | null; figures: PageFigures; casesOpened: number; answeredOnPage: number }
  | { status: 'unreadable'; pageId: number; reason: string }
  | { status: 'deferred'; pageId: number; reason: string }
  | { status: 'not_found'; pageId: number };

/** A round over every active page: VK pages read together (batched), channels one by one. */
export async function monitorPages(deps: MonitoringDeps): Promise<RoundReport> {
  const started = deps.clock.now();
  const pages = await activePages(deps.db);
  const report: RoundReport = {
    pages: pages.length,
    read: 0,
    unreadable: 0,
    deferred: 0,
    failed: 0,
    casesOpened: 0,
    answeredOnPage: 0,
    alerts: 0,
    ms: 0,
  };
  const count = (outcome: PageOutcome) => {
    if (outcome.status === 'done') {
      report.read += 1;
      report.casesOpened += outcome.casesOpened.length;
      report.answeredOnPage += outcome.answeredOnPage.length;
    } else report[outcome.status] += 1;
    if ('alerts' in outcome) report.alerts += outcome.alerts;
  };
  await readPages(deps, pages, started, async (page, read) => count(await applyReading(deps, page, read)));
  report.ms = deps.clock.now().getTime() - started.getTime();
  return report;
}

/** One page read now (the registry's «Обновить»), whatever its status. */
export async function refreshPage(deps: MonitoringDeps, pageId: number): Promise<RefreshOutcome> {
  const page = await monitoredPage(deps.db, pageId);
  if (!page) return { status: 'not_found', pageId };
  let outcome: PageOutcome = { status: 'deferred', reason: 'not read' };
  await readPages(deps, [page], deps.clock.now(), async (p, read) => {
    outcome = await applyReading(deps, p, read);
  });
  const done = outcome as PageOutcome;
  switch (done.status) {
    case 'done':
      return {
        status: 'done',
        pageId,
        score: done.score,
        figures: done.figures,
        casesOpened: done.casesOpened.length,
        answeredOnPage: done.answeredOnPage.length,
      };
    case 'unreadable':
      return { status: 'unreadable', pageId, reason: done.reason };
    case 'deferred':
      return { status: 'deferred', pageId, reason: done.reason };
    case 'failed':
      throw new Error(`page ${pageId}: ${done.error}`);
  }
}

/** Reads the pages and hands each one's outcome to `apply`, one page at a time. */
async function readPages(
  deps: MonitoringDeps,
  pages: readonly MonitoredPage[],
  now: Date,
  apply: (page: MonitoredPage, outcome: ReadOutcome) => Promise<void>,
): Promise<void> {
  const since = new Date(now.getTime() - pageSettings(deps.domain).windowDays * DAY_MS);
  const vkPages = pages.filter((p) => p.platform === 'vk');
  const byId = new Map(vkPages.map((p) => [p.id, p]));
  // The reader calls back while it goes on reading: writes are chained, one page at a time.
  let writes = Promise.resolve();
  if (vkPages.length > 0) {
    const reader = deps.platforms.vk;
    if (!reader) for (const p of vkPages) await apply(p, { status: 'deferred', reason: 'no VK_SERVICE_TOKEN' });
    else {
      const known = await knownCommentCounts(
        deps.db,
        vkPages.map((p) => p.id),
        since,
      );
      await reader.read(vkPages, {
        since,
        known,
        onPage: (pageId, outcome) => {
          const page = byId.get(pageId);
          if (page) writes = writes.then(() => apply(page, outcome));
          return writes;
        },
      });
      await writes;
    }
  }
  for (const page of pages) {
    if (page.platform === 'vk') continue;
    let outcome: ReadOutcome;
    try {
      outcome = await readChannel(deps, deps.platforms[page.platform], page, since);
    } catch (error) {
      // One channel's failure (the database, a bug) is not the round's: the others are still read.
      deps.log.error(
        { pageId: page.id, error: (error as Error)?.name ?? 'Error' },
        'official page: the channel could not be read',
      );
      outcome = { status: 'deferred', reason: `read failed: ${(error as Error)?.name ?? 'Error'}` };
    }
    await apply(page, outcome);
  }
}

/** Writes one page's outcome; never throws (a failure is logged and counted, the round goes on). */
async function applyReading(deps: MonitoringDeps, page: MonitoredPage, outcome: ReadOutcome): Promise<PageOutcome> {
  try {
    if (outcome.status === 'deferred') {
      deps.log.info({ pageId: page.id, reason: outcome.reason }, 'official page not read this round (platform limit or error)');
      return { status: 'deferred', reason: outcome.reason };
    }
    if (outcome.status === 'unreadable') return await markUnreadable(deps, page, outcome.reason, outcome.gone);
    return await storeReading(deps, page, outcome.reading);
  } catch (error) {
    deps.log.error(
      { pageId: page.id, error: (error as Error)?.name ?? 'Error' },
      'official page: the round could not store its reading',
    );
    return { status: 'failed', error: (error as Error).message };
  }
}

async function markUnreadable(deps: MonitoringDeps, page: MonitoredPage, reason: string, gone: boolean): Promise<PageOutcome> {
  const now = deps.clock.now();
  const alerts = await inTransaction(deps.db, async (tx) => {
    const locked = await lockMonitoredPage(tx, page.id);
    if (!locked) return 0;
    await markPageChecked(tx, page.id, { readable: false, reason, gone, title: null }, now);
    // History is kept: the page's posts, comments and earlier snapshots stay.
    await insertPageSnapshot(tx, { pageId: page.id, takenAt: now, readable: false, reason, figures: { gone }, score: null });
    // Alerted when it stops being readable, and again when it is found deleted (after being unreadable for
    // another reason); a planned or closed page (a refresh) raises nothing.
    const newlyGone = gone && locked.goneAt === null;
    if (locked.status !== 'active' || (locked.readable === false && !newlyGone)) return 0;
    await raisePageAlert(tx, deps.jobs, locked, 'page_unreadable', { reason, gone }, now);
    return 1;
  });
  deps.log.warn({ pageId: page.id, platform: page.platform, reason }, 'official page cannot be read');
  return { status: 'unreadable', reason, alerts };
}

async function storeReading(deps: MonitoringDeps, page: MonitoredPage, reading: PageReading): Promise<PageOutcome> {
  const settings = pageSettings(deps.domain);
  const now = deps.clock.now();
  const since = new Date(now.getTime() - settings.windowDays * DAY_MS);
  let alerts = 0;

  const stored = await inTransaction(deps.db, async (tx) => {
    const locked = await lockMonitoredPage(tx, page.id);
    if (!locked) return undefined;
    await upsertPagePosts(
      tx,
      page.id,
      reading.posts.map((p) => ({
        postId: p.id,
        postedAt: p.postedAt,
        views: p.views,
        likes: p.likes,
        reposts: p.reposts,
        comments: p.commentsRead ? p.comments : null,
        url: p.url,
      })),
      now,
    );
    await upsertPageComments(
      tx,
      page.id,
      reading.comments.map((c) => ({
        commentId: c.id,
        postId: c.postId,
        authorId: c.authorId,
        text: c.text,
        createdAt: c.createdAt,
        url: c.url,
        repliedAt: c.reply?.at ?? null,
        replyId: c.reply?.id ?? null,
      })),
    );
    // Intake opened a case for a comment it stored (a Telegram discussion group; the city's own VK community,
    // whose wall comments come by the Callback API): linked now, so the page's reply answers it even when it
    // came within the term (the comment is then never judged).
    for (const c of reading.comments) if (c.caseId) await linkCommentCase(tx, page.id, c.id, c.caseId);
    if (page.platform === 'vk' && reading.commentSource && reading.comments.length > 0) {
      const source = reading.commentSource;
      const keyOf = (c: { id: string; postId: string }) => `wall:${source.sourceExternalId}_${c.postId}:${c.id}`;
      const intakeCases = await storedMessageCases(tx, source, reading.comments.map(keyOf));
      for (const c of reading.comments) {
        const caseId = intakeCases.get(keyOf(c));
        if (caseId !== undefined) await linkCommentCase(tx, page.id, c.id, caseId);
      }
    }
    await markPageChecked(tx, page.id, { readable: true, reason: null, gone: false, title: reading.title }, now);

    const window = await windowOfPage(tx, page.id, since);
    const figures = pageFigures(
      {
        now,
        setup: {
          ...reading.setup,
          responsible: locked.responsibleOfficialId !== null || (locked.responsibleName ?? '').trim() !== '',
        },
        postsInWindow: window.posts,
        lastPostAt: window.lastPostAt,
        comments: window.comments,
        commentsMeasured: reading.commentsMeasured,
        observedSince: reading.observedSince,
      },
      settings,
      deps.calendar,
    );
    const { score, parts } = pageScore(figures, settings);
    const previous = await lastReadableFigures(tx, page.id);
    await insertPageSnapshot(tx, {
      pageId: page.id,
      takenAt: now,
      readable: true,
      reason: null,
      figures: { ...figures, parts },
      score,
    });
    // A planned or closed page read by a refresh is measured, never alerted on.
    for (const c of locked.status === 'active' ? beginningConditions(figures, previous) : []) {
      await raisePageAlert(tx, deps.jobs, locked, c.kind, c.details, now);
      alerts += 1;
    }
    return { figures, score, page: locked };
  });
  if (!stored) return { status: 'deferred', reason: 'page removed meanwhile' };

  const replies = new Map(reading.comments.flatMap((c) => (c.reply ? [[c.id, c.reply.text] as const] : [])));
  // The snapshot is stored: a failure from here on is logged and the page still counts as read; the replies
  // are recorded again next round, and the cases opened are always alerted.
  let answeredOnPage: number[] = [];
  try {
    answeredOnPage = await recordPageReplies(deps, stored.page, replies, now);
  } catch (error) {
    deps.log.error({ pageId: page.id, error: (error as Error)?.name ?? 'Error' }, 'official page: replies not recorded');
  }
  let judged: JudgedComments = { cases: [], overdueWithCase: [], notProblems: 0, waiting: 0, failed: 0 };
  // Only an active page's comments become cases (a refresh of a planned or closed page measures it only).
  if (reading.commentSource && stored.page.status === 'active')
    try {
      judged = await judgeOverdueComments(deps, stored.page, reading.commentSource, now);
    } catch (error) {
      deps.log.error({ pageId: page.id, error: (error as Error)?.name ?? 'Error' }, 'official page: comments not judged');
    }
  const overdue = [...judged.cases, ...judged.overdueWithCase];
  if (overdue.length > 0) {
    await inTransaction(deps.db, (tx) =>
      raisePageAlert(
        tx,
        deps.jobs,
        stored.page,
        'page_comments_unanswered',
        { cases: overdue.map((c) => c.caseId), count: overdue.length, termHours: settings.replyTermHours },
        now,
      ),
    );
    alerts += 1;
  }
  deps.log.info(
    {
      pageId: page.id,
      score: stored.score,
      posts: reading.posts.length,
      comments: reading.comments.length,
      casesOpened: judged.cases.length,
      commentsFailed: judged.failed,
      answeredOnPage: answeredOnPage.length,
    },
    'official page read',
  );
  return {
    status: 'done',
    score: stored.score,
    figures: stored.figures,
    casesOpened: judged.cases.map((c) => c.caseId),
    answeredOnPage,
    alerts,
  };
}
