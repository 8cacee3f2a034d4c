import { Bot } from '@maxhub/max-bot-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MaxChannelProbe } from '../../bots/max/page-probe.js';
import { translateMaxUpdate } from '../../bots/max/translate.js';
import { loadDomainConfig } from '../../config/domain.js';
import { type IntakeDeps, intakeSettingsFor, receiveMessage } from '../../handlers/intake/index.js';
import { type MonitoringDeps, monitorPages } from '../../handlers/page-monitoring/index.js';
import { createStructurer } from '../../handlers/structuring/index.js';
import { ManualClock } from '../../lib/clock.js';
import { WorkingCalendar } from '../../lib/deadlines/index.js';
import type { Db } from '../../models/database.js';
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
        max: new MaxChannelProbe({
          getChat: async (id: number) => ({
            chat_id: id,
            type: 'channel',
            status: 'active',
            title: 'ЖКХ в MAX',
            description: 'Новости',
          }),
          getChatMembership: async () => ({ is_admin: true, is_owner: false }),
          getComments: api.getComments,
        } as unknown as ConstructorParameters<typeof MaxChannelProbe>[0]),
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

    // The next round opens nothing again.
    expect(await monitorPages(deps)).toMatchObject({ read: 1, casesOpened: 0 });
  });
});
