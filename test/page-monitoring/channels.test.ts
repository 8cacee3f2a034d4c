import type { Update } from 'grammy/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MaxChannelProbe } from '../../bots/max/page-probe.js';
import { TelegramChannelProbe } from '../../bots/telegram/page-probe.js';
import { translateUpdate } from '../../bots/telegram/translate.js';
import { loadDomainConfig } from '../../config/domain.js';
import { type IntakeDeps, intakeSettingsFor, processMessage, receiveMessage } from '../../handlers/intake/index.js';
import { ANSWERED_ON_PAGE, type MonitoringDeps, monitorPages, refreshPage } from '../../handlers/page-monitoring/index.js';
import { createStructurer } from '../../handlers/structuring/index.js';
import { ManualClock } from '../../lib/clock.js';
import { WorkingCalendar } from '../../lib/deadlines/index.js';
import type { Db } from '../../models/database.js';
import { createLogger } from '../../src/logger.js';
import { HOURS, local, PRODUCTION } from '../helpers/barnaul-calendar.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { recordingQueue } from '../helpers/jobs.js';

/**
 * Telegram and MAX channels: the Bot APIs show no history, so a channel's posts and its discussion group's
 * comments are what the inbox stored from updates; the bot's own status decides whether the channel can be
 * read at all. The platforms' answers come from stubs of the two calls each probe makes.
 */
const CHANNEL = -1_001_000_000_001;
const GROUP = -1_001_000_000_002;
/** A channel first seen on 1 October (pending), approved by an operator on 9 November, nothing posted since. */
const LATE = -1_001_000_000_003;
const BOT_ID = 777;
const unix = (s: string) => Math.floor(local(s).getTime() / 1000);

/** getChat / getMe / getChatMember as the Bot API answers them, the bot's status in each channel given. */
function telegramApi(status: Record<number, string>) {
  return {
    getChat: async (ref: string | number) => {
      // A public channel is found by its @name: another channel, where the bot is only a reader.
      const id = typeof ref === 'number' ? ref : -1_001_000_000_009;
      return {
        id,
        type: 'channel',
        title: `Канал ${id}`,
        description: 'Новости',
        ...(id === CHANNEL ? { linked_chat_id: GROUP } : {}),
      };
    },
    getMe: async () => ({ id: BOT_ID, is_bot: true, first_name: 'МЦУ' }),
    getChatMember: async (chatId: string | number) => ({ status: status[Number(chatId)] ?? 'left' }),
  } as unknown as ConstructorParameters<typeof TelegramChannelProbe>[0];
}

describe('official pages: Telegram and MAX channels (real PostgreSQL, stored updates)', () => {
  let testDb: TestDatabase;
  let db: Db;
  let deps: MonitoringDeps;
  let intake: IntakeDeps;
  const clock = new ManualClock(local('2026-11-10 09:00'));
  const domain = loadDomainConfig('config/barnaul.yaml');
  const calendar = new WorkingCalendar({ productionCalendar: PRODUCTION, workingHours: HOURS, timeZone: 'Asia/Barnaul' });
  const jobs = recordingQueue();
  const ids: Record<string, number> = {};

  const addPage = async (key: string, platform: 'telegram' | 'max', externalId: string) => {
    const row = await db
      .insertInto('official_page')
      .values({
        platform,
        external_id: externalId,
        url: platform === 'telegram' ? `https://t.me/${externalId}` : `https://max.ru/${externalId}`,
        owner_department: 'housing-utilities',
        status: 'active',
        created_at: local('2026-11-01 09:00'),
        updated_at: local('2026-11-01 09:00'),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    ids[key] = row.id;
  };
  const store = async (update: Record<string, unknown>) => {
    const incoming = translateUpdate(update as unknown as Update);
    if (!incoming) throw new Error('not a message');
    return receiveMessage(intake, incoming);
  };

  beforeAll(async () => {
    testDb = await createTestDatabase('page_channels', { migrate: true });
    db = testDb.handle.db;
    const log = createLogger({ level: 'silent' });
    const structuring = { domain, structurer: createStructurer(domain, null), calendar };
    intake = { db, jobs, clock, log, settings: intakeSettingsFor(domain), structuring };
    deps = {
      db,
      jobs,
      clock,
      calendar,
      domain,
      log,
      structuring,
      platforms: {
        telegram: new TelegramChannelProbe(telegramApi({ [CHANNEL]: 'administrator', [LATE]: 'administrator' })),
        max: new MaxChannelProbe({
          getChat: async (id: number) => ({
            chat_id: id,
            type: 'channel',
            status: 'active',
            title: 'Канал в MAX',
            description: '',
          }),
          getChatMembership: async () => ({ is_admin: false, is_owner: false }),
        } as unknown as ConstructorParameters<typeof MaxChannelProbe>[0]),
      },
    };
    // The operators approved the channel and its discussion group (the inbox keeps their messages).
    for (const [externalId, kind] of [
      [CHANNEL, 'official_channel'],
      [GROUP, 'discussion_group'],
    ] as const)
      await db
        .insertInto('source')
        .values({
          channel: 'telegram',
          external_id: String(externalId),
          kind,
          title: null,
          official: kind === 'official_channel',
          status: 'active',
          created_at: local('2026-10-01 09:00'),
          updated_at: local('2026-10-01 09:00'),
        })
        .execute();
    await db
      .insertInto('source')
      .values({
        channel: 'telegram',
        external_id: String(LATE),
        kind: 'official_channel',
        title: null,
        official: true,
        status: 'active',
        created_at: local('2026-10-01 09:00'),
        updated_at: local('2026-11-09 09:00'),
      })
      .execute();
    await addPage('administered', 'telegram', String(CHANNEL));
    await addPage('late', 'telegram', String(LATE));
    await addPage('notAdmin', 'telegram', '@other_channel');
    await addPage('max', 'max', '-70000001');

    const channel = { id: CHANNEL, type: 'channel', title: 'ЖКХ Барнаула' };
    const group = { id: GROUP, type: 'supergroup', title: 'ЖКХ Барнаула: обсуждение' };
    const post = {
      message_id: 10,
      chat: channel,
      sender_chat: channel,
      date: unix('2026-11-05 10:00'),
      text: 'Графики отключений',
    };
    const copy = {
      message_id: 500,
      chat: group,
      sender_chat: channel,
      from: { id: 136817688, is_bot: true, first_name: 'Channel' },
      date: unix('2026-11-05 10:00'),
      is_automatic_forward: true,
      forward_origin: { type: 'channel', chat: channel, message_id: 10, date: unix('2026-11-05 10:00') },
      text: post.text,
    };
    const citizen = { id: 4242, is_bot: false, first_name: 'Житель' };
    const comment = {
      message_id: 501,
      chat: group,
      from: citizen,
      date: unix('2026-11-05 11:00'),
      message_thread_id: 500,
      reply_to_message: copy,
      text: 'В доме на Ленина, 10 третий день нет горячей воды',
    };
    const reply = {
      message_id: 502,
      chat: group,
      sender_chat: channel,
      from: { id: 136817688, is_bot: true, first_name: 'Channel' },
      date: unix('2026-11-05 14:00'),
      message_thread_id: 500,
      reply_to_message: comment,
      text: 'Подача воды восстановлена, просим проверить.',
    };
    await store({ update_id: 1, channel_post: post });
    await store({ update_id: 2, message: copy });
    const stored = await store({ update_id: 3, message: comment });
    // Intake decides the citizen's comment at once: a case.
    if (stored.status === 'stored') await processMessage(intake, { messageId: stored.messageId });
    await store({ update_id: 4, message: reply });
  });
  afterAll(async () => testDb.drop());

  it('when the bot does not administer a Telegram channel, then the page is unreadable «бот не администратор канала», never scored', async () => {
    await monitorPages(deps);
    const page = await db
      .selectFrom('official_page')
      .selectAll()
      .where('id', '=', ids.notAdmin as number)
      .executeTakeFirstOrThrow();
    expect(page).toMatchObject({ readable: false, unreadable_reason: 'бот не администратор канала', gone_at: null });
    const snaps = await db
      .selectFrom('page_snapshot')
      .selectAll()
      .where('page_id', '=', ids.notAdmin as number)
      .execute();
    expect(snaps).toEqual([expect.objectContaining({ readable: false, score: null, reason: 'бот не администратор канала' })]);
    const alert = await db.selectFrom('alert').select('details').where('kind', '=', 'page_unreadable').execute();
    expect(alert.map((a) => a.details.pageId).sort()).toEqual([ids.notAdmin, ids.max].sort());
  });

  it('when the bot is not an administrator of a MAX channel, then it is unreadable too', async () => {
    expect(await refreshPage(deps, ids.max as number)).toEqual({
      status: 'unreadable',
      pageId: ids.max,
      reason: 'бот не администратор канала',
    });
  });

  it('when the bot administers the channel, then posts and comments come from the stored updates and the page’s reply answers the case', async () => {
    const page = await db
      .selectFrom('official_page')
      .selectAll()
      .where('id', '=', ids.administered as number)
      .executeTakeFirstOrThrow();
    expect(page).toMatchObject({ readable: true, title: 'Канал -1001000000001' });
    const [snap] = await db
      .selectFrom('page_snapshot')
      .selectAll()
      .where('page_id', '=', ids.administered as number)
      .execute();
    const f = snap?.figures as Record<string, unknown>;
    // The bot's recording began on 1 October (the source's first sight), before the window: the whole window counts.
    expect(f).toMatchObject({
      postsInWindow: 1,
      observedDays: 30,
      commentsMeasured: true,
      comments: 1,
      answered: 1,
      // Thu 5 November 11:00 → 14:00: 3 hours less the lunch (12:00–12:48) = 2.2 working hours.
      medianReplyHours: 2.2,
      // Description and discussion group present; no responsible person in the registry: 2 of 3.
      setup: { verified: null, description: true, contacts: null, commentsOpen: true, responsible: false },
      setupShare: 0.6667,
    });
    const comment = await db
      .selectFrom('page_comment')
      .selectAll()
      .where('page_id', '=', ids.administered as number)
      .executeTakeFirstOrThrow();
    expect(comment).toMatchObject({ comment_id: '501', post_id: '10', author_id: '4242', reply_id: '502' });
    expect(comment.case_id).not.toBeNull();
    const c = await db
      .selectFrom('case')
      .selectAll()
      .where('id', '=', comment.case_id as number)
      .executeTakeFirstOrThrow();
    expect(c.status).toBe('answered');
    const answer = await db.selectFrom('answer').selectAll().where('case_id', '=', c.id).executeTakeFirstOrThrow();
    expect(answer).toMatchObject({
      state: 'recorded',
      text: 'Подача воды восстановлена, просим проверить.',
      author: 'platform:telegram',
    });
    const audit = await db
      .selectFrom('audit_log')
      .select('details')
      .where('entity_id', '=', String(c.id))
      .where('action', '=', 'status_changed')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(audit.details).toMatchObject({ to: 'answered', comment: ANSWERED_ON_PAGE });
  });

  it('when a channel was approved lately and nothing is recorded yet, then it is measured from the approval: not silent, no freshness mark', async () => {
    const [snap] = await db
      .selectFrom('page_snapshot')
      .selectAll()
      .where('page_id', '=', ids.late as number)
      .execute();
    const f = snap?.figures as Record<string, unknown>;
    // Approved 9 November 09:00, read 10 November 09:00: one day observed (not the 40 since its first sighting).
    expect(f).toMatchObject({ observedDays: 1, postsInWindow: 0, lastPostAt: null, silent: false });
    expect((f.parts as Record<string, unknown>).freshness).toBeNull();
    const silent = await db.selectFrom('alert').select('details').where('kind', '=', 'page_silent').execute();
    expect(silent.map((a) => a.details.pageId)).not.toContain(ids.late);
  });
});
