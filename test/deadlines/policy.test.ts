import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadDomainConfig, REGIMES } from '../../config/domain.js';
import { computeDeadlines, pickPolicy, type SlaPolicies, WorkingCalendar } from '../../lib/deadlines/index.js';
import { HOURS, local, PRODUCTION } from '../helpers/barnaul-calendar.js';

const calendar = new WorkingCalendar({ productionCalendar: PRODUCTION, workingHours: HOURS, timeZone: 'Asia/Barnaul' });

// The shipped policies plus a drill policy for one channel; fixed here so the tests do not move
// when an operator retunes config/barnaul.yaml.
const POLICIES: SlaPolicies = {
  social: [
    { priority: 'normal', firstResponse: '9wh', finalResponse: '7wd' },
    { priority: 'urgent', firstResponse: '4wh', finalResponse: '7wd' },
    { channels: ['drill'], priority: 'normal', firstResponse: '15m', finalResponse: '2h' },
  ],
  pos: [{ priority: 'normal', firstResponse: '1wd', finalResponse: '8wd' }],
  appeal_59fz: [{ priority: 'normal', firstResponse: '7d', finalResponse: '30d', maxExtension: '30d' }],
};

describe('pickPolicy', () => {
  it('takes the regime’s catch-all when the channel has no policy of its own', () => {
    expect(pickPolicy(POLICIES, { regime: 'social', priority: 'normal', channel: 'telegram' })).toMatchObject({
      firstResponse: '9wh',
      finalResponse: '7wd',
    });
  });

  it('takes the urgent policy for an urgent case', () => {
    expect(pickPolicy(POLICIES, { regime: 'social', priority: 'urgent', channel: 'vk' }).firstResponse).toBe('4wh');
  });

  it('takes a channel’s own policy for that channel only', () => {
    expect(pickPolicy(POLICIES, { regime: 'social', priority: 'normal', channel: 'drill' }).firstResponse).toBe('15m');
    expect(pickPolicy(POLICIES, { regime: 'social', priority: 'normal' }).firstResponse).toBe('9wh'); // no channel given
  });

  it('puts urgency before channel: an urgent drill case gets the urgent catch-all', () => {
    expect(pickPolicy(POLICIES, { regime: 'social', priority: 'urgent', channel: 'drill' }).firstResponse).toBe('4wh');
  });

  it('falls back from urgent to normal when the regime has no urgent policy', () => {
    expect(pickPolicy(POLICIES, { regime: 'pos', priority: 'urgent', channel: 'pos' })).toMatchObject({
      priority: 'normal',
      firstResponse: '1wd',
      finalResponse: '8wd',
    });
    expect(pickPolicy(POLICIES, { regime: 'appeal_59fz', priority: 'urgent' }).maxExtension).toBe('30d');
  });

  it('says what is missing when a regime has no catch-all', () => {
    const broken: SlaPolicies = {
      ...POLICIES,
      pos: [{ channels: ['drill'], priority: 'normal', firstResponse: '1h', finalResponse: '2h' }],
    };
    expect(() => pickPolicy(broken, { regime: 'pos', priority: 'normal', channel: 'vk' })).toThrow(
      /sla\.policies\.pos needs a "normal" policy without channels/,
    );
  });

  it('finds a policy for every regime, priority and channel of the shipped domain file', () => {
    const domain = loadDomainConfig(fileURLToPath(new URL('../../config/barnaul.yaml', import.meta.url)));
    for (const regime of REGIMES) {
      for (const priority of ['normal', 'urgent'] as const) {
        for (const channel of ['telegram', 'vk', 'drill', undefined]) {
          const terms = pickPolicy(domain.sla.policies, { regime, priority, channel });
          expect(computeDeadlines(calendar, terms, local('2025-03-03 10:00')).finalResponseAt.getTime()).toBeGreaterThan(
            local('2025-03-03 10:00').getTime(),
          );
        }
      }
    }
  });
});

describe('computeDeadlines', () => {
  it('an urgent social case on 30 Dec after hours: 4 working hours and 7 working days after the holidays', () => {
    const terms = pickPolicy(POLICIES, { regime: 'social', priority: 'urgent', channel: 'telegram' });
    expect(computeDeadlines(calendar, terms, local('2025-12-30 17:30'))).toEqual({
      firstResponseAt: local('2026-01-12 12:00'), // Mon 12 Jan 08:00 + 4 h
      finalResponseAt: local('2026-01-20 17:00'), // working days 12, 13, 14, 15, 16, 19, 20 Jan
      firstResponseMode: 'working',
      finalResponseMode: 'working',
      provisional: false,
    });
  });

  it('a 59-ФЗ appeal: calendar days, and the latest deadline an extension may reach', () => {
    const terms = pickPolicy(POLICIES, { regime: 'appeal_59fz', priority: 'normal' });
    expect(computeDeadlines(calendar, terms, local('2025-03-14 10:00'))).toEqual({
      firstResponseAt: local('2025-03-21 10:00'), // Fri + 7 days = Fri
      finalResponseAt: local('2025-04-14 17:00'), // + 30 days = Sun 13 Apr → Monday's end
      firstResponseMode: 'calendar-days',
      finalResponseMode: 'calendar-days',
      provisional: false,
      latestFinalResponseAt: local('2025-05-14 17:00'), // Mon 14 Apr 17:00 + 30 days = Wed 14 May, working
    });
  });

  it('a drill runs on the plain clock, through a holiday night', () => {
    const terms = pickPolicy(POLICIES, { regime: 'social', priority: 'normal', channel: 'drill' });
    expect(computeDeadlines(calendar, terms, local('2025-01-01 03:00'))).toEqual({
      firstResponseAt: local('2025-01-01 03:15'),
      finalResponseAt: local('2025-01-01 05:00'),
      firstResponseMode: 'calendar',
      finalResponseMode: 'calendar',
      provisional: false,
    });
  });
});
