import { Bot } from '@maxhub/max-bot-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MaxChannelApi, MaxChannelProbe } from '../../bots/max/page-probe.js';
import { translateMaxUpdate } from '../../bots/max/translate.js';
import { ru } from '../../bots/texts/ru.js';
import { loadDomainConfig } from '../../config/domain.js';
import { type IntakeDeps, intakeSettingsFor, receiveMessage } from '../../handlers/intake/index.js';
import { type MonitoringDeps, monitorPages } from '../../handlers/page-monitoring/index.js';
import { createStructurer } from '../../handlers/structuring/index.js';
import { ManualClock } from '../../lib/clock.js';
import { WorkingCalendar } from '../../lib/deadlines/index.js';
import { answerOnPage, answerTargetFor } from '../../models/answer-target.js';
import { caseCard } from '../../models/case-query.js';
import type { Db } from '../../models/database.js';
import { firstReadAt } from '../../models/page-monitoring-repository.js';
import { createLogger } from '../../src/logger.js';
import { HOURS, local, PRODUCTION } from '../helpers/barnaul-calendar.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { recordingQueue } from '../helpers/jobs.js';
import { MaxApiFake, maxUser } from '../helpers/max-fake.js';

/**
 * A MAX channel's comments, read from the platform (GET /messages/{mid}/comments on the MAX fake): a
 * citizen's comment the channel answered (a comment without a sender, replying to it) and one it did not;
 * the figures by hand; the unanswered problem past the term becomes a case of the page's owner.
 */
const CHANNEL = -70_000_002;
const POST = 'mid.post0000000001';
const POST_URL = 'https://max.ru/zhkh_city/AZ0001';

describe('official pages: MAX channel comments (real PostgreSQL, MAX fake)', () => {
  let testDb: TestDatabase;
  let db: Db;
  let deps: MonitoringDeps;
  let pageId: number;
  const fake = new MaxApiFake();
  const clock = new ManualClock(local('2026-11-09 09:00'));
  const domain = loadDomainConfig('config/barnaul.yaml');
  const calendar = new WorkingCalendar({ productionCalendar: PRODUCTION, workingHours: HOURS, timeZone: 'Asia/Barnaul' });
  const jobs = recordingQueue();

  beforeAll(async () => {
    await fake.start();
    testDb = await createTestDatabase('page_max_comments', { migrate: true });
    db = testDb.handle.db;
    const log = createLogger({ level: 'silent' });
    const structuring = { domain, structurer: createStructurer(domain, null), calendar };
    const api = new Bot(fake.token, { clientOptions: { baseUrl: fake.baseUrl } }).api;
    deps = {
      db,
      jobs,
      clock,
      calendar,
      domain,
      log,
      structuring,
      platforms: {
        max: new MaxChannelProbe(
          {
            getChat: async (id: number) => ({
              chat_id: id,
              type: 'channel',
              status: 'active',
              title: 'ЖКХ в MAX',
              description: 'Новости',
            }),
            getChatMembership: async () => ({ is_admin: true, is_owner: false }),
            // The channel's administrator 5009 writes under their own name too.
            getChatAdmins: async () => ({ members: [{ user_id: 5009, is_admin: true, is_owner: false }] }),
            getComments: api.getComments,
          } as unknown as ConstructorParameters<typeof MaxChannelProbe>[0],
          { minIntervalMs: 0 },
        ),
      },
    };
    await db
      .insertInto('source')
      .values({
        channel: 'max',
        external_id: String(CHANNEL),
        kind: 'official_channel',
        title: null,
        official: true,
        status: 'active',
        created_at: local('2026-10-01 09:00'),
        updated_at: local('2026-10-01 09:00'),
      })
      .execute();
    const page = await db
      .insertInto('official_page')
      .values({
        platform: 'max',
        external_id: String(CHANNEL),
        url: 'https://max.ru/zhkh_city',
        owner_department: 'housing-utilities',
        status: 'active',
        created_at: local('2026-11-01 09:00'),
        updated_at: local('2026-11-01 09:00'),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    pageId = page.id;
    // The channel's post, stored by the inbox from its update (Thu 5 November).
    const intake: IntakeDeps = { db, jobs, clock, log, settings: intakeSettingsFor(domain), structuring };
    const at = local('2026-11-05 10:00').getTime();
    const incoming = translateMaxUpdate({
      update_type: 'message_created',
      timestamp: at,
      message: {
        recipient: { chat_id: CHANNEL, chat_type: 'channel', user_id: null },
        timestamp: at,
        body: { mid: POST, seq: 1, text: 'Графики отключений' },
        url: POST_URL,
      },
    });
    if (!incoming) throw new Error('not a message');
    await receiveMessage(intake, incoming);
  });
  afterAll(async () => {
    await testDb.drop();
    await fake.stop();
  });

  it('when the channel answered one comment and not the other, then the figures count both and the overdue problem becomes a case', async () => {
    // The first round (Mon 9 November 09:00) sees the post and no comments yet.
    expect(await monitorPages(deps)).toMatchObject({ read: 1, casesOpened: 0 });

    const citizen = (id: number) => maxUser({ userId: id, firstName: 'Житель' } as Parameters<typeof maxUser>[0]);
    const asked = fake.addComment(POST, {
      sender: citizen(5001),
      chatId: CHANNEL,
      at: local('2026-11-09 09:30'),
      text: 'Когда дадут горячую воду на Попова, 50?',
    });
    fake.addComment(POST, {
      sender: null,
      chatId: CHANNEL,
      at: local('2026-11-09 11:00'),
      text: 'Подача воды восстановлена.',
      replyTo: asked,
    });
    // An administrator's comment under their own name is not a citizen's: neither counted nor made a case.
    fake.addComment(POST, {
      sender: citizen(5009),
      chatId: CHANNEL,
      at: local('2026-11-09 10:30'),
      text: 'Аварийная бригада выехала, нет горячей воды до вечера',
    });
    const unanswered = fake.addComment(POST, {
      sender: citizen(5002),
      chatId: CHANNEL,
      at: local('2026-11-09 10:00'),
      text: 'В доме на Ленина, 10 третий день нет горячей воды',
    });

    // Wed 11 November 09:00: Mon 10:00 + 8 working hours was Tue 09:48 (Mon 10–12, 12:48–17 = 6.2 h; Tue 08:00 + 1.8 h).
    clock.set(local('2026-11-11 09:00'));
    const report = await monitorPages(deps);
    expect(report).toMatchObject({ read: 1, casesOpened: 1, failed: 0 });

    const snaps = await db.selectFrom('page_snapshot').selectAll().where('page_id', '=', pageId).orderBy('taken_at').execute();
    expect(snaps).toHaveLength(2);
    expect(snaps[1]?.figures).toMatchObject({
      commentsMeasured: true,
      comments: 2,
      answered: 1,
      overdue: 1,
      pending: 0,
      // 1 answered of 1 answered + 1 overdue.
      answeredShare: 0.5,
      // Mon 09:30 → 11:00, no lunch in between.
      medianReplyHours: 1.5,
    });

    const rows = await db.selectFrom('page_comment').selectAll().where('page_id', '=', pageId).orderBy('created_at').execute();
    expect(rows).toEqual([
      expect.objectContaining({ comment_id: asked, post_id: POST, author_id: '5001', case_id: null }),
      expect.objectContaining({ comment_id: unanswered, post_id: POST, author_id: '5002', replied_at: null }),
    ]);
    expect(rows[0]?.replied_at?.getTime()).toBe(local('2026-11-09 11:00').getTime());
    const caseId = rows[1]?.case_id;
    expect(caseId).toEqual(expect.any(Number));
    const c = await db
      .selectFrom('case')
      .selectAll()
      .where('id', '=', caseId as number)
      .executeTakeFirstOrThrow();
    expect(c).toMatchObject({ channel: 'max', text: 'В доме на Ленина, 10 третий день нет горячей воды' });
    const alert = await db
      .selectFrom('alert')
      .select(['kind', 'details'])
      .where('kind', '=', 'page_comments_unanswered')
      .execute();
    expect(alert).toEqual([expect.objectContaining({ details: expect.objectContaining({ pageId, cases: [caseId], count: 1 }) })]);

    // A MAX comment has no link of its own: the post's permalink is the comment's and the case message's.
    expect(rows[1]?.url).toBe(POST_URL);
    const message = await db
      .selectFrom('message')
      .select(['channel', 'kind', 'platform_ids', 'permalink'])
      .where('case_id', '=', caseId as number)
      .executeTakeFirstOrThrow();
    expect(message.permalink).toBe(POST_URL);
    // The answer is only recorded: the bot never posts into the channel; the page's reply closes the case.
    expect(answerTargetFor(message as Parameters<typeof answerTargetFor>[0])).toEqual({
      channel: 'max',
      mode: 'record',
      onPage: true,
    });
    // The official's card says where to answer, and that the bot will not post it.
    const card = await caseCard(db, caseId as number);
    expect(answerOnPage(card?.answer_place)).toBe(true);
    expect(card).toMatchObject({ permalink: POST_URL });
    const text = ru.reminderCard(
      {
        id: caseId as number,
        number: 'МЦУ-2026-000001',
        text: 'x',
        channel: 'max',
        district: null,
        deadlineAt: null,
        priority: 'normal',
        kind: null,
        answerOnPage: true,
      },
      { timezone: 'Asia/Barnaul', locale: 'ru-RU' },
    );
    expect(text).toContain(ru.answerOnPageHint);

    // The next round opens nothing again.
    expect(await monitorPages(deps)).toMatchObject({ read: 1, casesOpened: 0 });
  });

  it('when the page was read before its comments were measured, then its backlog starts at the first measuring round', async () => {
    await db
      .insertInto('page_snapshot')
      .values({
        page_id: pageId,
        taken_at: local('2026-11-02 09:00'),
        readable: true,
        reason: null,
        figures: JSON.stringify({ commentsMeasured: false }),
        score: null,
      })
      .execute();
    expect((await firstReadAt(db, pageId))?.getTime()).toBe(local('2026-11-09 09:00').getTime());
  });
});

describe("official pages: reading a MAX post's comments page by page", () => {
  const comment = (mid: string, at: number, userId = 7) => ({
    sender: { user_id: userId },
    timestamp: at,
    body: { mid, text: 'нет воды' },
  });
  /** GET /messages/{mid}/comments over `all`: `after` inclusive, `before` exclusive, the newest `count`. */
  const apiOver = (all: ReturnType<typeof comment>[], calls: { n: number }) =>
    ({
      getChatAdmins: async () => ({ members: [] }),
      getComments: async (_mid: string, q: { after?: number; before?: number; count?: number }) => {
        calls.n += 1;
        const matching = all
          .filter((m) => m.timestamp >= (q.after ?? -Infinity) && m.timestamp < (q.before ?? Infinity))
          .sort((a, b) => b.timestamp - a.timestamp);
        return { messages: matching.slice(0, q.count ?? 100) };
      },
    }) as unknown as MaxChannelApi;

  it('when comments share the boundary millisecond of a page, then none is skipped', async () => {
    // 99 comments one millisecond apart, then 21 in one millisecond: the first page ends inside that millisecond.
    const all = [
      ...Array.from({ length: 99 }, (_, i) => comment(`mid.a${i}`, 10_000 + i)),
      ...Array.from({ length: 21 }, (_, i) => comment(`mid.b${i}`, 5_000)),
    ];
    const calls = { n: 0 };
    const probe = new MaxChannelProbe(apiOver(all, calls), { minIntervalMs: 0 });
    const [read] = await probe.comments('-1', [{ id: 'mid.post', postedAt: new Date(0) }], new Date(0));
    expect(read?.comments).toHaveLength(120);
    expect(new Set(read?.comments?.map((c) => c.id)).size).toBe(120);
  });

  it("when a post has more comments than the pages' cap reads, then the post is not taken as read", async () => {
    const all = Array.from({ length: 2_500 }, (_, i) => comment(`mid.c${i}`, 100_000 + i));
    const calls = { n: 0 };
    const probe = new MaxChannelProbe(apiOver(all, calls), { minIntervalMs: 0 });
    const read = await probe.comments('-1', [{ id: 'mid.post', postedAt: new Date(0) }], new Date(0));
    expect(read).toEqual([{ postId: 'mid.post', comments: null }]);
    expect(calls.n).toBe(20);
  });
});
