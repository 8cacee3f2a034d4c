import { DAY_MS, type WorkingCalendar, workingTimeBetween } from '../../lib/deadlines/index.js';
import type { PageSetup } from './ports.js';
import type { PageSettings } from './settings.js';

/**
 * A page's figures and score: pure functions of what was read and stored, the clock and the working
 * calendar (docs/architecture/official-pages.md, «Оценка страницы»). Reply times are in working hours of
 * the production calendar, like every other time in the ratings.
 */

const WEEK_DAYS = 7;

const round = (v: number, places: number) => Math.round(v * 10 ** places) / 10 ** places;

/** Working hours from `a` to `b` (production calendar, lunch and nights excluded). */
export function workingHoursBetween(calendar: WorkingCalendar, a: Date, b: Date): number {
  return workingTimeBetween(calendar, a, b) / 60;
}

/** A citizen's comment of the window as the figures see it. */
export interface CommentTimes {
  createdAt: Date;
  repliedAt: Date | null;
}

export interface FigureInput {
  now: Date;
  setup: PageSetup;
  /** The page's posts made within the window. */
  postsInWindow: readonly { views: number | null; likes: number | null; reposts: number | null; comments: number | null }[];
  /** The page's latest post, whenever it was (null: none known). */
  lastPostAt: Date | null;
  /** Citizens' comments made within the window. */
  comments: readonly CommentTimes[];
  /** False where the platform shows no comments (MAX): the comment figures are null, not zero. */
  commentsMeasured: boolean;
  /** Since when the page is observed, when that is within the window (a channel recorded since the bot joined it). */
  observedSince: Date | null;
}

/** What a snapshot keeps (`page_snapshot.figures`); every key is listed in the docs. */
export interface PageFigures {
  windowDays: number;
  replyTermHours: number;
  setup: PageSetup;
  /** Present items over the items the platform shows (null: it shows none). */
  setupShare: number | null;
  postsInWindow: number;
  /** The days the posts were counted over: the window, or less when the page is observed for less. */
  observedDays: number;
  postsPerWeek: number;
  lastPostAt: string | null;
  daysSinceLastPost: number | null;
  /**
   * Silent for more than `silentDays` (an alert, once per silence); no post at all is silent, unless the page
   * is observed for less than `silentDays` (a channel approved lately): then false, and freshness has no mark.
   */
  silent: boolean;
  views: number | null;
  likes: number | null;
  reposts: number | null;
  commentsOnPosts: number | null;
  commentsMeasured: boolean;
  /** Citizens' comments of the window; answered by the page; unanswered past the term; unanswered within it. */
  comments: number | null;
  answered: number | null;
  overdue: number | null;
  pending: number | null;
  /** answered / (answered + overdue): a comment still within its term counts for nothing yet. */
  answeredShare: number | null;
  /** The median of the page's reply times, working hours. */
  medianReplyHours: number | null;
}

/** Figures of one round from what was read and stored. */
export function pageFigures(input: FigureInput, settings: PageSettings, calendar: WorkingCalendar): PageFigures {
  const { now } = input;
  const sum = (key: 'views' | 'likes' | 'reposts' | 'comments') => {
    const values = input.postsInWindow.map((p) => p[key]).filter((v): v is number => v !== null);
    return values.length === 0 ? null : values.reduce((s, v) => s + v, 0);
  };
  const measured = Object.values(input.setup).filter((v): v is boolean => v !== null);
  const observedDays =
    input.observedSince === null
      ? settings.windowDays
      : Math.max(1, Math.min(settings.windowDays, round((now.getTime() - input.observedSince.getTime()) / DAY_MS, 2)));
  const daysSinceLastPost = input.lastPostAt === null ? null : round((now.getTime() - input.lastPostAt.getTime()) / DAY_MS, 2);
  // No post recorded yet of a channel observed for less than `silentDays` (the bot sees only what arrives
  // after the approval): nothing is known of its silence — not silent, and freshness not measured.
  const tooShortToTell =
    input.lastPostAt === null &&
    input.observedSince !== null &&
    now.getTime() - input.observedSince.getTime() < settings.silentDays * DAY_MS;

  let comments: Pick<PageFigures, 'comments' | 'answered' | 'overdue' | 'pending' | 'answeredShare' | 'medianReplyHours'> = {
    comments: null,
    answered: null,
    overdue: null,
    pending: null,
    answeredShare: null,
    medianReplyHours: null,
  };
  if (input.commentsMeasured) {
    const replied = input.comments.filter((c) => c.repliedAt !== null);
    const unanswered = input.comments.filter((c) => c.repliedAt === null);
    const overdue = unanswered.filter((c) => isOverdue(calendar, c.createdAt, now, settings.replyTermHours)).length;
    const hours = replied.map((c) => Math.max(0, workingHoursBetween(calendar, c.createdAt, c.repliedAt as Date)));
    comments = {
      comments: input.comments.length,
      answered: replied.length,
      overdue,
      pending: unanswered.length - overdue,
      answeredShare: replied.length + overdue === 0 ? null : round(replied.length / (replied.length + overdue), 4),
      medianReplyHours: hours.length === 0 ? null : round(median(hours), 2),
    };
  }

  return {
    windowDays: settings.windowDays,
    replyTermHours: settings.replyTermHours,
    setup: input.setup,
    setupShare: measured.length === 0 ? null : round(measured.filter(Boolean).length / measured.length, 4),
    postsInWindow: input.postsInWindow.length,
    observedDays,
    postsPerWeek: round(input.postsInWindow.length / (observedDays / WEEK_DAYS), 2),
    lastPostAt: input.lastPostAt?.toISOString() ?? null,
    daysSinceLastPost,
    silent: daysSinceLastPost === null ? !tooShortToTell : daysSinceLastPost > settings.silentDays,
    views: sum('views'),
    likes: sum('likes'),
    reposts: sum('reposts'),
    commentsOnPosts: sum('comments'),
    commentsMeasured: input.commentsMeasured,
    ...comments,
  };
}

/** Unanswered for `termHours` working hours or more. */
export function isOverdue(calendar: WorkingCalendar, createdAt: Date, now: Date, termHours: number): boolean {
  // Working time never exceeds clock time: a comment younger than the term in clock hours is never overdue.
  if (now.getTime() - createdAt.getTime() < termHours * 3_600_000) return false;
  return workingHoursBetween(calendar, createdAt, now) >= termHours;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Each criterion's mark, 0–1 (null: not measured, left out of the score). */
export interface ScoreParts {
  setup: number | null;
  postsPerWeek: number;
  answeredShare: number | null;
  medianReply: number | null;
  /** null: no post recorded yet of a page observed for less than `silentDays` (not silent, not measured). */
  freshness: number | null;
}

/**
 * The page score, 0–100: the criteria's marks weighted by the domain file (`pages.criteria`), over the
 * criteria that have a mark (a page with no comments to answer is scored on the rest); null when none has.
 * - set-up: the share of the items present; posts a week: against the target, capped at 1;
 * - answered share as it is; median reply: 1 within the target, 0 at the reply term, linear between;
 * - freshness: 1 for a post just made, 0 at `silentDays` since the last post (and with no post at all,
 *   unless the page is observed for less than `silentDays`: then no mark).
 */
export function pageScore(f: PageFigures, settings: PageSettings): { score: number | null; parts: ScoreParts } {
  const c = settings.criteria;
  const term = settings.replyTermHours;
  const target = c.medianReplyTargetHours;
  const parts: ScoreParts = {
    setup: f.setupShare,
    postsPerWeek: Math.min(1, f.postsPerWeek / c.postsPerWeekTarget),
    answeredShare: f.answeredShare,
    medianReply:
      f.medianReplyHours === null
        ? null
        : f.medianReplyHours <= target
          ? 1
          : f.medianReplyHours >= term
            ? 0
            : (term - f.medianReplyHours) / (term - target),
    // Clamped: a post stamped a little ahead of our clock must not lift the score above 100.
    freshness:
      f.daysSinceLastPost !== null
        ? Math.min(1, Math.max(0, 1 - f.daysSinceLastPost / settings.silentDays))
        : f.silent
          ? 0
          : null,
  };
  const weighted: [number, number | null][] = [
    [c.setupWeight, parts.setup],
    [c.postsPerWeekWeight, parts.postsPerWeek],
    [c.answeredShareWeight, parts.answeredShare],
    [c.medianReplyWeight, parts.medianReply],
    [c.freshnessWeight, parts.freshness],
  ];
  const present = weighted.filter((w): w is [number, number] => w[1] !== null && w[0] > 0);
  const weightSum = present.reduce((s, [w]) => s + w, 0);
  const score = weightSum === 0 ? null : round((100 * present.reduce((s, [w, v]) => s + w * v, 0)) / weightSum, 2);
  return { score, parts };
}

/** A department's digital-transformation score: the mean of its readable pages' latest scores (unreadable ones left out). */
export function departmentDigitalScore(scores: readonly (number | null)[]): number | null {
  const present = scores.filter((s): s is number => s !== null);
  return present.length === 0 ? null : round(present.reduce((s, v) => s + v, 0) / present.length, 1);
}
