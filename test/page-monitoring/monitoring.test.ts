import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVkApi } from '../../bots/vk/api.js';
import { createVkServicePacer, VkPagesReader } from '../../bots/vk/pages-reader.js';
import { loadDomainConfig } from '../../config/domain.js';
import {
  ANSWERED_ON_PAGE,
  digitalScores,
  type MonitoringDeps,
  monitorPages,
  refreshPage,
} from '../../handlers/page-monitoring/index.js';
import { createStructurer } from '../../handlers/structuring/index.js';
import { ManualClock } from '../../lib/clock.js';
import { WorkingCalendar } from '../../lib/deadlines/index.js';
import { answerTargetFor } from '../../models/answer-target.js';
import { attachMessageToCase, insertCase, nextCaseNumber } from '../../models/case-repository.js';
import type { Db } from '../../models/database.js';
import { commenterId, insertCommentMessage, pageSourceId } from '../../models/page-monitoring-repository.js';
import { createLogger } from '../../src/logger.js';
import { type FakeCommunity, VkPagesFake } from '../../src/sandbox/vk-pages-fake.js';
import { HOURS, local, PRODUCTION } from '../helpers/barnaul-calendar.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { recordingQueue } from '../helpers/jobs.js';

/**
 * Official VK pages monitored against the VK pages fake (3 requests/s, error 6 beyond), on a real
 * PostgreSQL, with a fake clock. Every figure below is worked out by hand on Barnaul's working time:
 * Mon–Thu 08:00–17:00, Fri 08:00–16:00, lunch 12:00–12:48; in May 2026 Fri 8 is a pre-holiday short day
 * (08:00–15:00: 6.2 h), Sat 9 and Mon 11 are holidays. The domain file's `pages` section has the schema's
 * defaults (reply term 8 working hours, window 30 days, silent after 7, weights 20/20/30/20/10, 5 posts a
 * week and a 2-hour median reply for full marks).
 */
const unix = (s: string) => Math.floor(local(s).getTime() / 1000);
const OWNER = 'roads-transport';

describe('official pages: monitoring VK communities (real PostgreSQL, the VK pages fake)', () => {
  let testDb: TestDatabase;
  let db: Db;
  let deps: MonitoringDeps;
  const fake = new VkPagesFake(3);
  const jobs = recordingQueue();
  const clock = new ManualClock(local('2026-05-12 10:00'));
  const domain = loadDomainConfig('config/barnaul.yaml');
  const calendar = new WorkingCalendar({ productionCalendar: PRODUCTION, workingHours: HOURS, timeZone: 'Asia/Barnaul' });
  const pageIds: Record<string, number> = {};

  /** The roads committee's community: four posts in the window, one before it; comments at known times. */
  const roads: FakeCommunity = {
    id: 101,
    screenName: 'barnaul_roads',
    name: 'Дороги Барнаула',
    description: 'Официальная страница комитета',
    verified: true,
    posts: [
      {
        id: 1,
        date: unix('2026-05-06 09:00'),
        views: 500,
        likes: 20,
        reposts: 3,
        comments: [
          {
            id: 11,
            fromId: 9001,
            date: unix('2026-05-06 10:00'),
            text: 'Когда починят светофор на перекрёстке Ленина и Молодёжной?',
            thread: [
              { id: 12, fromId: -101, date: unix('2026-05-06 10:30'), text: 'Бригада выехала, светофор заработает сегодня.' },
            ],
          },
          {
            id: 13,
            fromId: 9002,
            date: unix('2026-05-07 16:00'),
            text: 'Во дворе дома на Малахова не горит фонарь',
            thread: [{ id: 14, fromId: -101, date: unix('2026-05-08 09:00'), text: 'Передали в Горсвет, спасибо.' }],
          },
        ],
      },
      {
        id: 2,
        date: unix('2026-05-07 12:00'),
        views: 300,
        likes: 5,
        reposts: 0,
        comments: [
          {
            id: 21,
            fromId: 9003,
            date: unix('2026-05-07 15:00'),
            text: 'Огромная яма на дороге у дома по улице Попова, 70, колёса пробиваем каждый день',
          },
          { id: 22, fromId: 9004, date: unix('2026-05-07 15:30'), text: 'Спасибо большое за вашу работу!' },
        ],
      },
      {
        id: 3,
        date: unix('2026-05-08 11:00'),
        views: 200,
        likes: 2,
        reposts: 1,
        comments: [
          {
            id: 31,
            fromId: 9005,
            date: unix('2026-05-08 13:00'),
            text: 'Не вывозят мусор с контейнерной площадки на Антона Петрова',
          },
          {
            id: 32,
            fromId: 9006,
            date: unix('2026-05-08 14:00'),
            text: 'Третий день нет горячей воды в доме',
            thread: [{ id: 33, fromId: -101, date: unix('2026-05-12 09:30'), text: 'Уточняем у ресурсоснабжающей организации.' }],
          },
        ],
      },
      { id: 4, date: unix('2026-04-20 10:00'), views: 100, comments: [] },
      { id: 5, date: unix('2026-03-01 10:00'), views: 900, comments: [] },
    ],
  };
  /** A subordinate organisation's community that goes private after the first round. */
  const school: FakeCommunity = {
    id: 102,
    screenName: 'school_42',
    name: 'Школа № 42',
    posts: [{ id: 1, date: unix('2026-05-11 12:00'), comments: [] }],
  };

  const page = (id: number) => db.selectFrom('official_page').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const snapshots = (id: number) =>
    db.selectFrom('page_snapshot').selectAll().where('page_id', '=', id).orderBy('taken_at').orderBy('id').execute();
  const alerts = () => db.selectFrom('alert').select(['kind', 'details']).orderBy('id').execute();
  const comment = (pageId: number, commentId: string) =>
    db
      .selectFrom('page_comment')
      .selectAll()
      .where('page_id', '=', pageId)
      .where('comment_id', '=', commentId)
      .executeTakeFirstOrThrow();
  /** A VK comment the Callback API stored (post 1 of the community) and the case intake opened for it. */
  const intakeCase = (c: { owner: string; fromId: string; externalId: string; text: string; at: Date }) =>
    db.transaction().execute(async (tx) => {
      const sourceId = await pageSourceId(tx, { channel: 'vk', externalId: c.owner, title: null }, c.at);
      const citizenId = await commenterId(tx, 'vk', c.fromId, c.at);
      const messageId = await insertCommentMessage(
        tx,
        {
          channel: 'vk',
          sourceId,
          externalId: c.externalId,
          citizenId,
          text: c.text,
          permalink: null,
          postId: '1',
          platformIds: {},
          platformAt: c.at,
          pageId: 0,
        },
        c.at,
      );
      const id = await insertCase(tx, {
        number: await nextCaseNumber(tx, 2026),
        status: 'new',
        channel: 'vk',
        sourceId,
        citizenId,
        text: c.text,
        triageReason: null,
        at: c.at,
      });
      await attachMessageToCase(tx, messageId, id, c.at);
      return id;
    });
  const count = async (table: 'case' | 'message') =>
    Number((await sql<{ n: string }>`select count(*) as n from ${sql.table(table)}`.execute(db)).rows[0]?.n);

  beforeAll(async () => {
    testDb = await createTestDatabase('page_monitoring', { migrate: true });
    db = testDb.handle.db;
    fake.add(roads, school);
    await fake.start();
    const api = createVkApi({
      token: 'service-token',
      apiBaseUrl: fake.baseUrl,
      requestsPerSecond: 3,
      pacer: createVkServicePacer(),
    });
    deps = {
      db,
      jobs,
      clock,
      calendar,
      domain,
      log: createLogger({ level: 'silent' }),
      platforms: { vk: new VkPagesReader(api) },
      structuring: { domain, structurer: createStructurer(domain, null), calendar },
    };
    for (const [key, externalId, owner, responsible] of [
      ['roads', 'barnaul_roads', OWNER, 'Иванова А. П., +7 3852 000000'],
      ['school', 'club102', 'education', null],
    ] as const) {
      const row = await db
        .insertInto('official_page')
        .values({
          platform: 'vk',
          external_id: externalId,
          url: `https://vk.com/${externalId}`,
          owner_department: owner,
          responsible_name: responsible,
          status: 'active',
          created_at: local('2026-04-01 09:00'),
          updated_at: local('2026-04-01 09:00'),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      pageIds[key] = row.id;
    }
    // The roads page was first read on 1 May: its comments since are judged (a page's backlog before its
    // first readable round never becomes cases).
    await db
      .insertInto('page_snapshot')
      .values({
        page_id: pageIds.roads as number,
        taken_at: local('2026-05-01 09:00'),
        readable: true,
        reason: null,
        figures: '{}',
        score: null,
      })
      .execute();
  });
  afterAll(async () => {
    await fake.stop();
    await testDb.drop();
  });

  it('when a round reads the pages, then figures and the score are as computed by hand (working hours, holidays)', async () => {
    const report = await monitorPages(deps);
    expect(report).toMatchObject({ pages: 2, read: 2, unreadable: 0, deferred: 0, failed: 0 });

    const snap = (await snapshots(pageIds.roads as number)).at(-1);
    const f = snap?.figures as Record<string, unknown>;
    // Posts 1–4 are within 30 days of Tue 12 May 10:00; post 5 (1 March) is not.
    expect(f.postsInWindow).toBe(4);
    expect(f.postsPerWeek).toBe(0.93); // 4 / (30 / 7)
    // The last post: Fri 8 May 11:00 → Tue 12 May 10:00 = 95 h = 3.96 days (calendar time).
    expect(f.daysSinceLastPost).toBe(3.96);
    expect(f.silent).toBe(false);
    // Comments open is not measured on an open wall (a post's can_post is the reader's own right): left out;
    // the registry names its responsible person.
    expect(f.setup).toEqual({ verified: true, description: true, contacts: false, commentsOpen: null, responsible: true });
    expect(f.setupShare).toBe(0.75);
    expect(f.views).toBe(1100);
    // Six citizens' comments. Answered: 11 (0.5 h), 13 (Thu 16:00 → Fri 09:00: 1 + 1 = 2 h) and 32 (Fri
    // 14:00 → Tue 09:30: 1 h of the short Friday, the holidays, 1.5 h on Tuesday = 2.5 h).
    // Unanswered past 8 working hours: 21 (Thu 15:00: 2 + 6.2 + 2 = 10.2 h) and 22 (Thu 15:30: 9.7 h).
    // Within the term: 31 (Fri 13:00: 2 h on Friday + 2 h on Tuesday = 4 h, though four calendar days old).
    expect(f).toMatchObject({ comments: 6, answered: 3, overdue: 2, pending: 1, answeredShare: 0.6, medianReplyHours: 2 });

    // Score: set-up 0.75 × 20 + posts 0.93/5 × 20 + answered 0.6 × 30 + median (2 h ≤ target) 1 × 20
    // + freshness (1 − 3.96/7) × 10, over the weights' sum 100.
    const byHand = 0.75 * 20 + (0.93 / 5) * 20 + 0.6 * 30 + 1 * 20 + (1 - 3.96 / 7) * 10;
    expect(Number(snap?.score)).toBe(Math.round(byHand * 100) / 100);
    expect(Number(snap?.score)).toBe(61.06);

    const roadsPage = await page(pageIds.roads as number);
    expect(roadsPage).toMatchObject({ readable: true, unreadable_reason: null, gone_at: null, title: 'Дороги Барнаула' });
    // The page's replies are kept with the comment they answer.
    expect(await comment(pageIds.roads as number, '32')).toMatchObject({ reply_id: '33', replied_at: local('2026-05-12 09:30') });
  });

  it('when a problem comment goes unanswered past the term, then it becomes a case of the page owner with its link; a thank-you does not', async () => {
    const pothole = await comment(pageIds.roads as number, '21');
    expect(pothole.case_id).not.toBeNull();
    expect(pothole.assessed_at).toEqual(local('2026-05-12 10:00'));
    const c = await db
      .selectFrom('case')
      .selectAll()
      .where('id', '=', pothole.case_id as number)
      .executeTakeFirstOrThrow();
    expect(c).toMatchObject({ department: OWNER, routing_rule: `page: ${pageIds.roads}`, channel: 'vk', text: pothole.text });
    // Its clock runs from the comment, like an appeal registered elsewhere.
    expect(c.created_at).toEqual(local('2026-05-07 15:00'));
    const message = await db.selectFrom('message').selectAll().where('case_id', '=', c.id).executeTakeFirstOrThrow();
    expect(message).toMatchObject({
      permalink: 'https://vk.com/wall-101_2?reply=21',
      external_id: 'wall:-101_2:21',
      kind: 'comment',
    });
    // Another community's wall: the city's token cannot comment there — the answer is only recorded, the
    // department answers on its page, and monitoring records the page's reply.
    expect(answerTargetFor(message as Parameters<typeof answerTargetFor>[0])).toEqual({
      channel: 'vk',
      mode: 'record',
      onPage: true,
    });

    const thanks = await comment(pageIds.roads as number, '22');
    expect(thanks).toMatchObject({ case_id: null });
    expect(thanks.assessed_at).not.toBeNull();
    // Within the term (4 working hours): not judged yet.
    expect(await comment(pageIds.roads as number, '31')).toMatchObject({ case_id: null, assessed_at: null });
    expect(await count('case')).toBe(1);

    const raised = await alerts();
    expect(raised.map((a) => a.kind)).toEqual(['page_comments_unanswered']);
    expect(raised[0]?.details).toMatchObject({ pageId: pageIds.roads, count: 1, cases: [c.id], termHours: 8 });
    expect(jobs.jobs.filter((j) => j.name === 'notify-operators')).toHaveLength(1);
  });

  it('when the community replies later, then the case is answered on the platform, once; the next overdue comment becomes a case', async () => {
    const pothole = await comment(pageIds.roads as number, '21');
    const potholeComment = roads.posts[1]?.comments[0];
    if (potholeComment)
      potholeComment.thread = [{ id: 23, fromId: -101, date: unix('2026-05-12 15:00'), text: 'Яму заделают до конца недели.' }];
    school.isClosed = 2;
    clock.set(local('2026-05-13 09:00'));

    const report = await monitorPages(deps);
    expect(report).toMatchObject({ read: 1, unreadable: 1, answeredOnPage: 1, casesOpened: 1 });

    const c = await db
      .selectFrom('case')
      .selectAll()
      .where('id', '=', pothole.case_id as number)
      .executeTakeFirstOrThrow();
    expect(c.status).toBe('answered');
    const answers = await db.selectFrom('answer').selectAll().where('case_id', '=', c.id).execute();
    expect(answers).toHaveLength(1);
    expect(answers[0]).toMatchObject({
      kind: 'final',
      state: 'recorded',
      text: 'Яму заделают до конца недели.',
      author: 'platform:vk',
    });
    expect(answers[0]?.created_at).toEqual(local('2026-05-12 15:00'));
    const audit = await db
      .selectFrom('audit_log')
      .select(['action', 'details'])
      .where('entity', '=', 'case')
      .where('entity_id', '=', String(c.id))
      .where('action', 'in', ['answer_recorded', 'status_changed'])
      .orderBy('id')
      .execute();
    expect(audit.at(-1)).toMatchObject({ action: 'status_changed', details: { to: 'answered', comment: ANSWERED_ON_PAGE } });
    expect(audit.some((a) => a.action === 'answer_recorded')).toBe(true);

    // 31 (the rubbish) is now past the term: Fri 13:00 → Wed 09:00 = 2 + 8.2 + 1 = 11.2 working hours.
    const rubbish = await comment(pageIds.roads as number, '31');
    expect(rubbish.case_id).not.toBeNull();
    expect(await count('case')).toBe(2);

    // Once: a third round changes nothing (no second case, answer or alert).
    const before = { alerts: (await alerts()).length, messages: await count('message') };
    const again = await monitorPages(deps);
    expect(again).toMatchObject({ casesOpened: 0, answeredOnPage: 0, alerts: 0 });
    expect(await count('case')).toBe(2);
    expect(await db.selectFrom('answer').select('id').where('case_id', '=', c.id).execute()).toHaveLength(1);
    expect({ alerts: (await alerts()).length, messages: await count('message') }).toEqual(before);
  });

  it('when a community is made private, then it is marked unreadable with the reason, alerted once, its history kept', async () => {
    const id = pageIds.school as number;
    expect(await page(id)).toMatchObject({ readable: false, unreadable_reason: 'частное сообщество' });
    expect((await page(id)).gone_at).toEqual(local('2026-05-13 09:00'));
    const history = await snapshots(id);
    expect(history.map((s) => [s.readable, s.reason, s.score === null])).toEqual([
      [true, null, false],
      [false, 'частное сообщество', true],
      [false, 'частное сообщество', true],
    ]);
    // Its posts stay.
    expect(await db.selectFrom('page_post').select('post_id').where('page_id', '=', id).execute()).toHaveLength(1);
    const unreadable = (await alerts()).filter((a) => a.kind === 'page_unreadable');
    expect(unreadable).toHaveLength(1);
    expect(unreadable[0]?.details).toMatchObject({ pageId: id, reason: 'частное сообщество', gone: true });
    // Left out of its department's digital score, not counted as zero.
    const digital = await digitalScores({ db });
    expect(digital.get('education')).toMatchObject({ score: null, pages: 1, scoredPages: 0 });
    expect(digital.get(OWNER)?.score).not.toBeNull();
  });

  it('when VK answers «rate limit reached» (29), then the pages are left as they were and read next time', async () => {
    school.isClosed = 0;
    const id = pageIds.school as number;
    const before = { snaps: (await snapshots(id)).length, page: await page(id), alerts: (await alerts()).length };
    fake.failRequests.push({ code: 29, times: 1 });
    clock.set(local('2026-05-13 12:00'));

    const limited = await monitorPages(deps);
    expect(limited).toMatchObject({ read: 0, unreadable: 0, deferred: 2, failed: 0 });
    expect((await snapshots(id)).length).toBe(before.snaps);
    expect(await page(id)).toEqual(before.page);
    expect((await alerts()).length).toBe(before.alerts);

    const next = await monitorPages(deps);
    expect(next).toMatchObject({ read: 2, deferred: 0 });
    expect(await page(id)).toMatchObject({ readable: true, unreadable_reason: null, gone_at: null });
  });

  it('when VK refuses requests with error 6 (too many per second), then they are repeated and the round still reads every page', async () => {
    fake.failRequests.push({ code: 6, times: 2 });
    const outcome = await refreshPage(deps, pageIds.roads as number);
    expect(outcome).toMatchObject({ status: 'done', pageId: pageIds.roads });
    expect(fake.tooMany).toBeGreaterThanOrEqual(2);
  });

  it('when one call inside execute hits a limit, then only its page is deferred', async () => {
    fake.failCalls.set('wall.get:-102', { code: 29, times: 1 });
    const report = await monitorPages(deps);
    expect(report).toMatchObject({ read: 1, deferred: 1, unreadable: 0 });
    expect(await page(pageIds.school as number)).toMatchObject({ readable: true });
  });

  it('when a page falls silent and closes its comments, then each is alerted once, not every round', async () => {
    // Its post says can_post 0 — the service token's own right, not the citizens': not «comments closed».
    const park: FakeCommunity = {
      id: 103,
      screenName: 'park_info',
      name: 'Парк культуры',
      wall: 1,
      posts: [{ id: 1, date: unix('2026-05-01 10:00'), canComment: false, comments: [] }],
    };
    fake.add(park);
    const row = await db
      .insertInto('official_page')
      .values({
        platform: 'vk',
        external_id: 'park_info',
        url: 'https://vk.com/park_info',
        owner_department: 'landscaping',
        status: 'active',
        created_at: local('2026-04-01 09:00'),
        updated_at: local('2026-04-01 09:00'),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    clock.set(local('2026-05-13 15:00'));
    const first = await refreshPage(deps, row.id);
    if (first.status !== 'done') throw new Error(first.status);
    // 1 May 10:00 → 13 May 15:00 = 12 days 5 hours: silent for more than 7 days; comments not measured.
    expect(first.figures).toMatchObject({ daysSinceLastPost: 12.21, silent: true, setup: { commentsOpen: null } });
    // The community closes its wall (3): comments closed.
    park.wall = 3;
    const second = await refreshPage(deps, row.id);
    if (second.status !== 'done') throw new Error(second.status);
    expect(second.figures.setup.commentsOpen).toBe(false);
    await refreshPage(deps, row.id);
    const mine = (await alerts()).filter((a) => a.details.pageId === row.id);
    expect(mine.map((a) => a.kind)).toEqual(['page_silent', 'page_comments_closed']);
    expect(mine[0]?.details).toMatchObject({ lastPostAt: local('2026-05-01 10:00').toISOString(), daysSinceLastPost: 12.21 });
  });

  it('when intake opened a case for a comment of the city community and the page replies within the term, then the reply answers that case', async () => {
    fake.add({
      id: 104,
      screenName: 'barnaul_city',
      name: 'Барнаул — официально',
      posts: [
        {
          id: 1,
          date: unix('2026-05-13 09:00'),
          comments: [
            {
              id: 41,
              fromId: 9101,
              date: unix('2026-05-13 10:00'),
              text: 'На остановке Попова разбито стекло',
              thread: [{ id: 42, fromId: -104, date: unix('2026-05-13 11:00'), text: 'Стекло заменят завтра.' }],
            },
          ],
        },
      ],
    });
    // The Callback API stored the comment as `wall:-104_1:41`, and intake opened a case for it.
    const at = local('2026-05-13 10:00');
    const caseId = await intakeCase({
      owner: '-104',
      fromId: '9101',
      externalId: 'wall:-104_1:41',
      text: 'На остановке Попова разбито стекло',
      at,
    });
    const row = await db
      .insertInto('official_page')
      .values({
        platform: 'vk',
        external_id: 'barnaul_city',
        url: 'https://vk.com/barnaul_city',
        owner_department: OWNER,
        status: 'active',
        created_at: local('2026-04-01 09:00'),
        updated_at: local('2026-04-01 09:00'),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    clock.set(local('2026-05-13 15:00'));
    const outcome = await refreshPage(deps, row.id);
    expect(outcome).toMatchObject({ status: 'done', casesOpened: 0, answeredOnPage: 1 });
    expect(await comment(row.id, '41')).toMatchObject({ case_id: caseId, reply_id: '42' });
    const c = await db.selectFrom('case').select('status').where('id', '=', caseId).executeTakeFirstOrThrow();
    expect(c.status).toBe('answered');
    const answers = await db.selectFrom('answer').select(['text', 'state']).where('case_id', '=', caseId).execute();
    expect(answers).toEqual([{ text: 'Стекло заменят завтра.', state: 'recorded' }]);
  });

  it('when a comment intake made a case of goes unanswered past the term, then it is alerted once with that case', async () => {
    fake.add({
      id: 105,
      screenName: 'barnaul_city_news',
      name: 'Барнаул — новости',
      posts: [
        {
          id: 1,
          date: unix('2026-05-13 09:00'),
          comments: [{ id: 51, fromId: 9102, date: unix('2026-05-13 10:00'), text: 'Не горит фонарь во дворе на Малахова, 2' }],
        },
      ],
    });
    const at = local('2026-05-13 10:00');
    const caseId = await intakeCase({
      owner: '-105',
      fromId: '9102',
      externalId: 'wall:-105_1:51',
      text: 'Не горит фонарь во дворе на Малахова, 2',
      at,
    });
    const row = await db
      .insertInto('official_page')
      .values({
        platform: 'vk',
        external_id: 'barnaul_city_news',
        url: 'https://vk.com/barnaul_city_news',
        owner_department: OWNER,
        status: 'active',
        created_at: local('2026-04-01 09:00'),
        updated_at: local('2026-04-01 09:00'),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const mine = async () => (await alerts()).filter((a) => a.details.pageId === row.id && a.kind === 'page_comments_unanswered');
    // Read within the term (the first round: the comment is the page's backlog only if made before it).
    clock.set(local('2026-05-13 09:30'));
    expect(await refreshPage(deps, row.id)).toMatchObject({ status: 'done', casesOpened: 0 });
    clock.set(local('2026-05-13 11:00'));
    expect(await refreshPage(deps, row.id)).toMatchObject({ status: 'done', casesOpened: 0 });
    expect(await comment(row.id, '51')).toMatchObject({ case_id: caseId, assessed_at: null });
    expect(await mine()).toEqual([]);
    // 8 working hours later (the next working day, 10:00): past the term, no reply — alerted with intake's case.
    clock.set(local('2026-05-14 11:00'));
    expect(await refreshPage(deps, row.id)).toMatchObject({ status: 'done', casesOpened: 0 });
    expect((await mine()).map((a) => a.details)).toEqual([expect.objectContaining({ cases: [caseId], count: 1 })]);
    // Once: the next round raises nothing more for it.
    clock.set(local('2026-05-14 12:00'));
    await refreshPage(deps, row.id);
    expect(await mine()).toHaveLength(1);
    expect(await count('case')).toBeGreaterThan(0);
  });

  it('when a round and a refresh judge the same overdue comment at once, then one case, one alert; and its reply one answer', async () => {
    const gardens: FakeCommunity = { id: 105, screenName: 'barnaul_gardens', name: 'Сады', posts: [] };
    fake.add(gardens);
    const row = await db
      .insertInto('official_page')
      .values({
        platform: 'vk',
        external_id: 'barnaul_gardens',
        url: 'https://vk.com/barnaul_gardens',
        owner_department: OWNER,
        status: 'active',
        created_at: local('2026-04-01 09:00'),
        updated_at: local('2026-04-01 09:00'),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    // The page's first round comes before the comment (a comment of its backlog would not become a case).
    clock.set(local('2026-05-12 08:00'));
    await refreshPage(deps, row.id);
    const pothole = {
      id: 51,
      fromId: 9201,
      date: unix('2026-05-12 09:00'),
      text: 'Яма на дороге у дома по улице Гоголя, 12, пробили колесо',
    };
    gardens.posts.push({ id: 1, date: unix('2026-05-12 08:30'), comments: [pothole] });
    // Tue 09:00 → Wed 15:00: 7.2 + 6.2 = 13.4 working hours, past the term.
    clock.set(local('2026-05-13 15:00'));
    const mine = async () => (await alerts()).filter((a) => a.details.pageId === row.id && a.kind === 'page_comments_unanswered');
    const casesOf = () => db.selectFrom('page_comment').select('case_id').where('page_id', '=', row.id).execute();

    await Promise.all([monitorPages(deps), refreshPage(deps, row.id)]);
    const [judged] = await casesOf();
    expect(judged?.case_id).not.toBeNull();
    expect(await db.selectFrom('message').select('id').where('external_id', '=', 'wall:-105_1:51').execute()).toHaveLength(1);
    expect(await mine()).toHaveLength(1);

    Object.assign(pothole, { thread: [{ id: 52, fromId: -105, date: unix('2026-05-13 16:00'), text: 'Яму засыплют завтра.' }] });
    clock.set(local('2026-05-13 17:00'));
    await Promise.all([monitorPages(deps), refreshPage(deps, row.id)]);
    const answers = await db
      .selectFrom('answer')
      .select('state')
      .where('case_id', '=', judged?.case_id as number)
      .execute();
    expect(answers).toEqual([{ state: 'recorded' }]);
    expect(await mine()).toHaveLength(1);
  });

  it('when judging one comment throws, then the others still become cases, the alert is raised, and it is judged next round', async () => {
    const sport: FakeCommunity = { id: 106, screenName: 'barnaul_sport', name: 'Спорт', posts: [] };
    fake.add(sport);
    const row = await db
      .insertInto('official_page')
      .values({
        platform: 'vk',
        external_id: 'barnaul_sport',
        url: 'https://vk.com/barnaul_sport',
        owner_department: OWNER,
        status: 'active',
        created_at: local('2026-04-01 09:00'),
        updated_at: local('2026-04-01 09:00'),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    clock.set(local('2026-05-12 08:00'));
    await refreshPage(deps, row.id);
    sport.posts.push({
      id: 1,
      date: unix('2026-05-12 08:30'),
      comments: [
        { id: 61, fromId: 9301, date: unix('2026-05-12 09:00'), text: 'Сломана калитка на стадионе, ПОЛОМКА-СТРУКТУРЫ' },
        { id: 62, fromId: 9302, date: unix('2026-05-12 09:10'), text: 'Яма на беговой дорожке стадиона Динамо, можно упасть' },
      ],
    });
    clock.set(local('2026-05-14 15:00'));
    const structurer = deps.structuring?.structurer;
    if (!structurer) throw new Error('no structurer');
    const failing = {
      ...deps,
      structuring: {
        ...(deps.structuring as NonNullable<MonitoringDeps['structuring']>),
        structurer: {
          ...structurer,
          settings: structurer.settings,
          assess: (text: string, at: Date, geo: null) => {
            if (text.includes('ПОЛОМКА-СТРУКТУРЫ')) throw new Error('structurer broke');
            return structurer.assess(text, at, geo);
          },
        },
      },
    } as MonitoringDeps;
    const outcome = await refreshPage(failing, row.id);
    expect(outcome).toMatchObject({ status: 'done', casesOpened: 1 });
    expect(await comment(row.id, '61')).toMatchObject({ case_id: null, assessed_at: null });
    expect((await comment(row.id, '62')).case_id).not.toBeNull();
    const raised = (await alerts()).filter((a) => a.details.pageId === row.id && a.kind === 'page_comments_unanswered');
    expect(raised).toHaveLength(1);
    expect(raised[0]?.details).toMatchObject({ count: 1 });
    // The next round, the structurer working again, judges it.
    expect(await refreshPage(deps, row.id)).toMatchObject({ status: 'done', casesOpened: 1 });
    expect((await comment(row.id, '61')).case_id).not.toBeNull();
  });

  it('when a post leaves the window, then its comments are neither counted overdue nor made cases (their replies are no longer read)', async () => {
    fake.add({
      id: 107,
      screenName: 'barnaul_library',
      name: 'Библиотеки',
      posts: [
        {
          id: 1,
          date: unix('2026-04-10 10:00'),
          comments: [
            { id: 71, fromId: 9401, date: unix('2026-05-05 10:00'), text: 'В читальном зале течёт крыша, вёдра на полу' },
          ],
        },
      ],
    });
    const row = await db
      .insertInto('official_page')
      .values({
        platform: 'vk',
        external_id: 'barnaul_library',
        url: 'https://vk.com/barnaul_library',
        owner_department: OWNER,
        status: 'active',
        created_at: local('2026-04-01 09:00'),
        updated_at: local('2026-04-01 09:00'),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    // Wed 6 May 09:00: the post (10 April) is within 30 days; the comment waits 7.2 working hours, within the term.
    clock.set(local('2026-05-06 09:00'));
    const first = await refreshPage(deps, row.id);
    if (first.status !== 'done') throw new Error(first.status);
    expect(first.figures).toMatchObject({ comments: 1, pending: 1, overdue: 0 });
    // Tue 12 May: the post is older than the window (from 12 April), the comment is not.
    clock.set(local('2026-05-12 10:00'));
    const later = await refreshPage(deps, row.id);
    if (later.status !== 'done') throw new Error(later.status);
    expect(later.figures).toMatchObject({ comments: 0, overdue: 0, answeredShare: null });
    expect(later.casesOpened).toBe(0);
    expect(await comment(row.id, '71')).toMatchObject({ case_id: null, assessed_at: null });
  });

  it('when a page is registered with a backlog of unanswered comments, then they are counted but not made cases; later ones are', async () => {
    const museum: FakeCommunity = {
      id: 108,
      screenName: 'barnaul_museum',
      name: 'Музей',
      posts: [
        {
          id: 1,
          date: unix('2026-05-04 09:00'),
          comments: [{ id: 81, fromId: 9501, date: unix('2026-05-04 10:00'), text: 'В музее не работает лифт для колясок' }],
        },
      ],
    };
    fake.add(museum);
    const row = await db
      .insertInto('official_page')
      .values({
        platform: 'vk',
        external_id: 'barnaul_museum',
        url: 'https://vk.com/barnaul_museum',
        owner_department: OWNER,
        status: 'active',
        created_at: local('2026-05-12 09:00'),
        updated_at: local('2026-05-12 09:00'),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    clock.set(local('2026-05-12 10:00'));
    const first = await refreshPage(deps, row.id);
    if (first.status !== 'done') throw new Error(first.status);
    // Mon 4 May 10:00 → Tue 12 May 10:00: long past the term — overdue in the figures, but no case.
    expect(first.figures).toMatchObject({ comments: 1, overdue: 1 });
    expect(first.casesOpened).toBe(0);
    museum.posts[0]?.comments.push({
      id: 82,
      fromId: 9502,
      date: unix('2026-05-12 11:00'),
      text: 'В музее не работает лифт, второй раз пишу',
    });
    clock.set(local('2026-05-14 10:00'));
    const later = await refreshPage(deps, row.id);
    expect(later).toMatchObject({ status: 'done', casesOpened: 1 });
    expect(await comment(row.id, '81')).toMatchObject({ case_id: null, assessed_at: null });
    expect((await comment(row.id, '82')).case_id).not.toBeNull();
  });

  it('when a page is refreshed that is not registered, then not_found', async () => {
    expect(await refreshPage(deps, 999_999)).toEqual({ status: 'not_found', pageId: 999_999 });
  });
});
