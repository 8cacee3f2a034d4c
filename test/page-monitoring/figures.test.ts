import { describe, expect, it } from 'vitest';
import {
  departmentDigitalScore,
  isOverdue,
  PAGE_DEFAULTS,
  type PageSettings,
  pageFigures,
  pageScore,
  workingHoursBetween,
} from '../../handlers/page-monitoring/index.js';
import { WorkingCalendar } from '../../lib/deadlines/index.js';
import { HOURS, local, PRODUCTION } from '../helpers/barnaul-calendar.js';

/**
 * The page's figures and score as pure functions, every number worked out by hand. Barnaul's working time:
 * Mon–Thu 08:00–17:00, Fri 08:00–16:00, lunch 12:00–12:48; Fri 8 May 2026 a pre-holiday short day (ends
 * 15:00), Sat 9 and Mon 11 May holidays.
 */
const calendar = new WorkingCalendar({ productionCalendar: PRODUCTION, workingHours: HOURS, timeZone: 'Asia/Barnaul' });
const settings: PageSettings = PAGE_DEFAULTS;
/** Three of the five items present: the registry names no responsible person (a set-up item too). */
const setup = { verified: true, description: true, contacts: false, commentsOpen: true, responsible: false };

describe('page figures (pure)', () => {
  it('when a comment waits over the May holidays, then only working hours count towards the reply term', () => {
    // Thu 15:00–17:00 (2 h) + the short Friday 08:00–15:00 less lunch (6.2 h) + Tue 08:00–10:00 (2 h).
    expect(workingHoursBetween(calendar, local('2026-05-07 15:00'), local('2026-05-12 10:00'))).toBeCloseTo(10.2, 6);
    // Fri 13:00–15:00 (2 h) + Tue 08:00–10:00 (2 h): four calendar days, four working hours.
    expect(workingHoursBetween(calendar, local('2026-05-08 13:00'), local('2026-05-12 10:00'))).toBeCloseTo(4, 6);
    expect(isOverdue(calendar, local('2026-05-07 15:00'), local('2026-05-12 10:00'), 8)).toBe(true);
    expect(isOverdue(calendar, local('2026-05-08 13:00'), local('2026-05-12 10:00'), 8)).toBe(false);
  });

  it('when comments are answered at known times, then the shares and the median reply are as computed by hand', () => {
    const now = local('2026-05-12 10:00');
    const f = pageFigures(
      {
        now,
        setup,
        postsInWindow: [
          { views: 10, likes: 1, reposts: 0, comments: 2 },
          { views: 5, likes: null, reposts: null, comments: 0 },
        ],
        lastPostAt: local('2026-05-11 10:00'),
        comments: [
          // 0.5 h; Thu 16:00 → Fri 09:00 = 2 h; Fri 14:00 → Tue 11:00 = 1 + 3 = 4 h (the holidays in between).
          { createdAt: local('2026-05-06 10:00'), repliedAt: local('2026-05-06 10:30') },
          { createdAt: local('2026-05-07 16:00'), repliedAt: local('2026-05-08 09:00') },
          { createdAt: local('2026-05-08 14:00'), repliedAt: local('2026-05-12 11:00') },
          // Unanswered: past the term (10.2 h), within it (4 h).
          { createdAt: local('2026-05-07 15:00'), repliedAt: null },
          { createdAt: local('2026-05-08 13:00'), repliedAt: null },
        ],
        commentsMeasured: true,
        observedSince: null,
      },
      settings,
      calendar,
    );
    expect(f).toMatchObject({
      postsInWindow: 2,
      observedDays: 30,
      postsPerWeek: 0.47, // 2 / (30 / 7) = 0.4667
      daysSinceLastPost: 1, // Monday 11 May is a holiday, but freshness is calendar time
      silent: false,
      views: 15,
      likes: 1,
      reposts: 0,
      comments: 5,
      answered: 3,
      overdue: 1,
      pending: 1,
      answeredShare: 0.75,
      medianReplyHours: 2,
      setupShare: 0.6,
    });
    // 20 × 0.6 + 20 × 0.47/5 + 30 × 0.75 + 20 × 1 + 10 × (1 − 1/7), over 100.
    const { score, parts } = pageScore(f, settings);
    expect(parts).toEqual({ setup: 0.6, postsPerWeek: 0.094, answeredShare: 0.75, medianReply: 1, freshness: 1 - 1 / 7 });
    expect(score).toBe(Math.round((12 + 1.88 + 22.5 + 20 + 10 * (1 - 1 / 7)) * 100) / 100);
    expect(score).toBe(64.95);
  });

  it('when a platform shows no comments (MAX), then the comment criteria are left out of the score, not zero', () => {
    const f = pageFigures(
      {
        now: local('2026-05-20 10:00'),
        setup: { verified: null, description: true, contacts: null, commentsOpen: null, responsible: false },
        postsInWindow: Array.from({ length: 10 }, () => ({ views: null, likes: null, reposts: null, comments: null })),
        lastPostAt: local('2026-05-18 10:00'),
        comments: [],
        commentsMeasured: false,
        observedSince: null,
      },
      settings,
      calendar,
    );
    // Two items shown: a description (present) and the responsible person (none registered).
    expect(f).toMatchObject({ comments: null, answered: null, answeredShare: null, medianReplyHours: null, setupShare: 0.5 });
    expect(f.postsPerWeek).toBe(2.33);
    // (20 × 0.5 + 20 × 2.33/5 + 10 × (1 − 2/7)) / 50 × 100.
    const { score } = pageScore(f, settings);
    expect(score).toBe(Math.round(((10 + 9.32 + 10 * (1 - 2 / 7)) / 50) * 100 * 100) / 100);
    expect(score).toBe(52.93);
  });

  it('when the median reply lies between the target and the term, then its mark falls linearly; at the term it is 0', () => {
    const base = pageFigures(
      {
        now: local('2026-05-20 10:00'),
        setup,
        postsInWindow: [],
        lastPostAt: null,
        comments: [],
        commentsMeasured: true,
        observedSince: null,
      },
      settings,
      calendar,
    );
    expect(base.silent).toBe(true);
    expect(pageScore({ ...base, medianReplyHours: 5 }, settings).parts.medianReply).toBe(0.5); // (8 − 5) / (8 − 2)
    expect(pageScore({ ...base, medianReplyHours: 8 }, settings).parts.medianReply).toBe(0);
    expect(pageScore({ ...base, medianReplyHours: 1.5 }, settings).parts.medianReply).toBe(1);
    // No post at all: freshness 0.
    expect(pageScore(base, settings).parts.freshness).toBe(0);
  });

  it('when a channel is recorded for less than the window, then its posts a week are counted over the days it was seen', () => {
    const f = pageFigures(
      {
        now: local('2026-05-20 10:00'),
        setup,
        postsInWindow: Array.from({ length: 4 }, () => ({ views: null, likes: null, reposts: null, comments: null })),
        lastPostAt: local('2026-05-19 10:00'),
        comments: [],
        commentsMeasured: false,
        observedSince: local('2026-05-13 10:00'),
      },
      settings,
      calendar,
    );
    expect(f.observedDays).toBe(7);
    expect(f.postsPerWeek).toBe(4);
  });

  it('when a channel approved lately has no post recorded yet, then it is not silent and freshness has no mark; after silentDays it is', () => {
    const input = {
      setup,
      postsInWindow: [],
      lastPostAt: null,
      comments: [],
      commentsMeasured: false,
      observedSince: local('2026-05-18 10:00'),
    };
    // Observed for 2 days (< 7): nothing is known of its silence.
    const early = pageFigures({ ...input, now: local('2026-05-20 10:00') }, settings, calendar);
    expect(early).toMatchObject({ observedDays: 2, postsPerWeek: 0, lastPostAt: null, daysSinceLastPost: null, silent: false });
    const { score, parts } = pageScore(early, settings);
    expect(parts.freshness).toBeNull();
    // Set-up 0.6 × 20 and posts 0 × 20 over 40 (freshness left out, no comments measured).
    expect(score).toBe(30);
    // Observed for 8 days (> 7) and still no post: silent, freshness 0.
    const late = pageFigures({ ...input, now: local('2026-05-26 10:00') }, settings, calendar);
    expect(late.silent).toBe(true);
    expect(pageScore(late, settings).parts.freshness).toBe(0);
  });

  it('when the registry names a responsible person, then the set-up share counts it', () => {
    const base = {
      now: local('2026-05-20 10:00'),
      postsInWindow: [],
      lastPostAt: local('2026-05-19 10:00'),
      comments: [],
      commentsMeasured: false,
      observedSince: null,
    };
    expect(pageFigures({ ...base, setup }, settings, calendar).setupShare).toBe(0.6);
    expect(pageFigures({ ...base, setup: { ...setup, responsible: true } }, settings, calendar).setupShare).toBe(0.8);
  });

  it('when a department has pages, then its digital score is the mean of the readable ones', () => {
    expect(departmentDigitalScore([80, null, 60])).toBe(70);
    expect(departmentDigitalScore([null])).toBeNull();
    expect(departmentDigitalScore([])).toBeNull();
  });
});
