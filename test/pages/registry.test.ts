import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { domainConfigSchema, loadDomainConfig } from '../../config/domain.js';
import {
  bindPages,
  DEFAULT_PAGE_SETTINGS,
  importPages,
  type PageCaller,
  type PagesApi,
  pageInputSchema,
  pagesReport,
  parsePageLink,
} from '../../handlers/pages/index.js';
import { ManualClock } from '../../lib/clock.js';
import { WorkingCalendar } from '../../lib/deadlines/index.js';
import type { Db } from '../../models/database.js';
import type { OfficialRow } from '../../models/people-repository.js';
import { HOURS, local, PRODUCTION } from '../helpers/barnaul-calendar.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { seedOfficial } from '../helpers/rows.js';

/**
 * The registry of official pages (handlers/pages) on a real database: the link parser, registering,
 * changing and closing pages with the roles' rules, duplicates whatever the case, the lists with the
 * latest snapshot monitoring wrote, the import's per-line report, and the weekly report's figures.
 */

describe('parsePageLink', () => {
  const good: [string, string | undefined, string, string, string][] = [
    ['https://vk.com/barnaul_adm', undefined, 'vk', 'barnaul_adm', 'https://vk.com/barnaul_adm'],
    ['vk.com/barnaul_adm/', undefined, 'vk', 'barnaul_adm', 'https://vk.com/barnaul_adm'],
    ['https://m.vk.com/barnaul_adm?from=search', undefined, 'vk', 'barnaul_adm', 'https://vk.com/barnaul_adm'],
    ['http://vk.ru/club123', undefined, 'vk', 'club123', 'https://vk.com/club123'],
    ['https://vk.com/public123', undefined, 'vk', 'club123', 'https://vk.com/club123'],
    ['https://vk.com/event0123', undefined, 'vk', 'club123', 'https://vk.com/club123'],
    ['123', 'vk', 'vk', 'club123', 'https://vk.com/club123'],
    ['barnaul.adm', 'vk', 'vk', 'barnaul.adm', 'https://vk.com/barnaul.adm'],
    ['https://t.me/barnaul_official', undefined, 'telegram', '@barnaul_official', 'https://t.me/barnaul_official'],
    ['t.me/s/barnaul_official', undefined, 'telegram', '@barnaul_official', 'https://t.me/barnaul_official'],
    ['https://telegram.me/Barnaul_Official', undefined, 'telegram', '@Barnaul_Official', 'https://t.me/Barnaul_Official'],
    ['@barnaul_official', undefined, 'telegram', '@barnaul_official', 'https://t.me/barnaul_official'],
    ['https://t.me/c/1234567890', undefined, 'telegram', '-1001234567890', 'https://t.me/c/1234567890'],
    ['-1001234567890', 'telegram', 'telegram', '-1001234567890', 'https://t.me/c/1234567890'],
    ['https://max.ru/id2225066565_gos', undefined, 'max', 'id2225066565_gos', 'https://max.ru/id2225066565_gos'],
    ['max.ru/barnaul', undefined, 'max', 'barnaul', 'https://max.ru/barnaul'],
    ['https://web.max.ru/-71234567890', undefined, 'max', '-71234567890', 'https://web.max.ru/-71234567890'],
    ['-71234567890', 'max', 'max', '-71234567890', 'https://web.max.ru/-71234567890'],
  ];
  it.each(good)('when %s (platform %s) is given, then %s %s', (input, platform, p, externalId, url) => {
    const outcome = parsePageLink(input, platform as 'vk' | undefined);
    expect(outcome).toEqual({ status: 'ok', link: { platform: p, externalId, url } });
  });

  const bad: [string, string | undefined, string, RegExp][] = [
    ['', undefined, 'empty', /empty/],
    ['   ', undefined, 'empty', /empty/],
    ['https://ok.ru/barnaul', undefined, 'unknown_site', /not a VK, Telegram or MAX page \(the site is ok\.ru\)/],
    ['https://barnaul.org', undefined, 'unknown_site', /barnaul\.org/],
    ['ftp://vk.com/barnaul', undefined, 'not_a_link', /not a web link/],
    ['барнаул', undefined, 'not_a_link', /not a link/],
    ['https://vk.com/id12345', undefined, 'personal_page', /person's profile/],
    ['https://vk.com/wall-123_45', undefined, 'post_link', /post/],
    ['https://vk.com/barnaul_adm/photos', undefined, 'post_link', /not the community/],
    ['https://vk.com/feed', undefined, 'not_a_page', /section of VK/],
    ['https://vk.com/', undefined, 'not_a_page', /home page/],
    ['https://vk.com/a b', undefined, 'bad_name', /short name/],
    ['https://t.me/+AbCdEf123', undefined, 'private_invite', /private invite/],
    ['https://t.me/joinchat/AbCdEf', undefined, 'private_invite', /private invite/],
    ['https://t.me/barnaul_official/125', undefined, 'post_link', /a post, not the channel/],
    ['https://t.me/share', undefined, 'not_a_page', /service link/],
    ['@ab', undefined, 'bad_name', /Telegram username/],
    ['@', undefined, 'empty', /empty/],
    ['https://max.ru/join/abcdef', undefined, 'private_invite', /private invite/],
    ['https://max.ru/barnaul/AaApSIDNYGM', undefined, 'post_link', /a post/],
    ['-1001234567890', undefined, 'needs_platform', /say the platform/],
    ['12345', 'telegram', 'bad_name', /chat id/],
    ['https://t.me/barnaul_official', 'vk', 'platform_mismatch', /telegram link, but the platform given is vk/],
  ];
  it.each(bad)('when %s (platform %s) is given, then %s naming the problem', (input, platform, problem, message) => {
    const outcome = parsePageLink(input, platform as 'vk' | undefined);
    expect(outcome).toMatchObject({ status: 'invalid', problem });
    if (outcome.status === 'invalid') expect(outcome.message).toMatch(message);
  });
});

describe('the registry of official pages', () => {
  let testDb: TestDatabase;
  let db: Db;
  let api: PagesApi;
  const domain = loadDomainConfig('config/barnaul.yaml');
  const calendar = new WorkingCalendar({ productionCalendar: PRODUCTION, workingHours: HOURS, timeZone: 'Asia/Barnaul' });
  const clock = new ManualClock(local('2026-11-30 10:00'));
  const service: PageCaller = { kind: 'service', actor: { type: 'api', author: 'test' } };
  let operator: PageCaller;
  let head: PageCaller;
  let official: PageCaller;
  let curator: PageCaller;
  const person = (o: { id: number; name: string; department: string; role: string }): PageCaller => ({
    kind: 'person',
    official: { ...o, preferredChannel: null, active: true } as OfficialRow,
  });
  const input = (over: Record<string, unknown> = {}) =>
    pageInputSchema.parse({ link: 'https://vk.com/roads_barnaul', ownerDepartment: 'roads-transport', ...over });
  const audit = (id: number) =>
    db
      .selectFrom('audit_log')
      .select(['action', 'actor', 'details'])
      .where('entity', '=', 'official_page')
      .where('entity_id', '=', String(id))
      .orderBy('id')
      .execute();

  beforeAll(async () => {
    testDb = await createTestDatabase('pages_registry', { migrate: true });
    db = testDb.handle.db;
    api = bindPages(() => ({ db, clock, domain }));
    operator = person(await seedOfficial(db, { role: 'operator', department: 'mcu' }));
    head = person(await seedOfficial(db, { role: 'department_head', department: 'housing-utilities' }));
    official = person(await seedOfficial(db, { role: 'official', department: 'roads-transport' }));
    curator = person(await seedOfficial(db, { role: 'curator', department: 'mcu' }));
  });
  afterAll(async () => testDb?.drop());

  it('when an operator registers a page, then it is stored with its parsed link, owner and status, and audited', async () => {
    const outcome = await api.create(
      operator,
      input({ title: 'Дорожный комитет', responsibleName: 'Петров П. П., 8-3852-00-00-00' }),
    );
    expect(outcome.status).toBe('ok');
    if (outcome.status !== 'ok') return;
    expect(outcome.value).toMatchObject({
      platform: 'vk',
      externalId: 'roads_barnaul',
      url: 'https://vk.com/roads_barnaul',
      title: 'Дорожный комитет',
      ownerDepartment: 'roads-transport',
      ownerDepartmentName: domain.departments.find((d) => d.id === 'roads-transport')?.name,
      responsibleName: 'Петров П. П., 8-3852-00-00-00',
      status: 'active',
      readable: null,
      latest: null,
    });
    expect(await audit(outcome.value.id)).toEqual([
      {
        action: 'page.created',
        actor: `official:${operator.kind === 'person' ? operator.official.id : 0}`,
        details: { platform: 'vk', externalId: 'roads_barnaul', owner: 'roads-transport', status: 'active' },
      },
    ]);
  });

  it('when the same page is registered again in another case or form, then a conflict naming the page first registered', async () => {
    const first = await api.list(service, { owner: 'roads-transport' }, { limit: 10 });
    const id = first.status === 'ok' ? first.value.items[0]?.id : undefined;
    for (const link of ['https://m.vk.com/ROADS_Barnaul', 'vk.com/roads_barnaul/']) {
      const again = await api.create(operator, input({ link }));
      expect(again).toEqual({
        status: 'conflict',
        code: 'PAGE_EXISTS',
        message: `vk roads_barnaul is registered already as page ${id}`,
        existingId: id,
      });
    }
    const club = await api.create(operator, input({ link: 'https://vk.com/club777' }));
    expect(club.status).toBe('ok');
    expect((await api.create(operator, input({ link: 'https://vk.com/public777' }))).status).toBe('conflict');
  });

  it('when the link is no page, the department unknown or the official unknown, then invalid naming the field, nothing stored', async () => {
    const before = await db
      .selectFrom('official_page')
      .select((e) => e.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    expect(await api.create(operator, input({ link: 'https://ok.ru/roads' }))).toMatchObject({
      status: 'invalid',
      code: 'INVALID_LINK',
      field: 'link',
      message: expect.stringMatching(/not a VK, Telegram or MAX page/),
    });
    expect(await api.create(operator, input({ ownerDepartment: 'ministry-of-magic' }))).toMatchObject({
      status: 'invalid',
      code: 'UNKNOWN_DEPARTMENT',
      field: 'ownerDepartment',
      message: expect.stringMatching(/unknown department "ministry-of-magic"/),
    });
    expect(await api.create(operator, input({ link: '@roads_tg', responsibleOfficialId: 999_999 }))).toMatchObject({
      status: 'invalid',
      code: 'UNKNOWN_OFFICIAL',
      field: 'responsibleOfficialId',
    });
    const after = await db
      .selectFrom('official_page')
      .select((e) => e.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    expect(after.n).toEqual(before.n);
  });

  it('when a department head or an official writes, then forbidden; the service token and operators may', async () => {
    for (const caller of [head, official, curator])
      expect(await api.create(caller, input({ link: '@someone_else' }))).toMatchObject({ status: 'forbidden' });
    expect((await api.create(service, input({ link: '@roads_tg', platform: 'telegram' }))).status).toBe('ok');
  });

  it('when a page is changed, then only what changed is written and audited by name; a link onto another community is refused', async () => {
    const tg = await api.list(service, { platform: 'telegram' }, { limit: 10 });
    const page = tg.status === 'ok' ? tg.value.items[0] : undefined;
    if (!page) throw new Error('no telegram page');
    clock.advance(60_000);
    const responsible = operator.kind === 'person' ? operator.official.id : 0;
    const changed = await api.update(operator, page.id, {
      organisation: 'МБУ «Автодорстрой»',
      responsibleOfficialId: responsible,
    });
    expect(changed).toMatchObject({
      status: 'ok',
      value: {
        organisation: 'МБУ «Автодорстрой»',
        responsibleOfficialId: responsible,
        responsibleOfficialName: expect.any(String),
      },
    });
    const same = await api.update(operator, page.id, { organisation: 'МБУ «Автодорстрой»' });
    expect(same.status === 'ok' && same.value.updatedAt).toEqual(changed.status === 'ok' && changed.value.updatedAt);
    expect((await audit(page.id)).map((a) => a.details)).toEqual([
      { platform: 'telegram', externalId: '@roads_tg', owner: 'roads-transport', status: 'active' },
      { fields: ['organisation', 'responsibleOfficialId'] },
    ]);
    expect(await api.update(operator, page.id, { link: 'https://vk.com/roads_barnaul' })).toMatchObject({
      status: 'invalid',
      code: 'LINK_CHANGE',
    });
    // The same channel written another way is no move.
    expect(await api.update(operator, page.id, { link: 'https://t.me/roads_tg' })).toMatchObject({ status: 'ok' });
    expect(await api.update(operator, page.id, { ownerDepartment: 'nowhere' })).toMatchObject({ code: 'UNKNOWN_DEPARTMENT' });
    expect(await api.update(operator, 999_999, { title: 'x' })).toMatchObject({ status: 'not_found' });
  });

  it('when a page with history is closed, then it stays with its snapshots, and the lists show the latest one', async () => {
    const created = await api.create(
      operator,
      input({ link: 'https://t.me/housing_barnaul', ownerDepartment: 'housing-utilities' }),
    );
    if (created.status !== 'ok') throw new Error('not created');
    const id = created.value.id;
    const snapshot = (at: string, score: number | null, figures: Record<string, unknown>) =>
      db
        .insertInto('page_snapshot')
        .values({
          page_id: id,
          taken_at: local(at),
          readable: score !== null,
          reason: score === null ? 'бот не администратор канала' : null,
          figures: JSON.stringify(figures),
          score: score === null ? null : String(score),
        })
        .execute();
    await snapshot('2026-11-28 09:00', 61.5, { postsPerWeek: 2 });
    await snapshot('2026-11-29 09:00', 72.25, { postsPerWeek: 3.5, answeredShare: 0.8 });
    await db
      .insertInto('page_post')
      .values({ page_id: id, post_id: '10', posted_at: local('2026-11-27 15:00') })
      .execute();
    const closed = await api.close(operator, id);
    expect(closed).toMatchObject({ status: 'ok', value: { status: 'closed' } });
    const detail = await api.get(service, id);
    expect(detail).toMatchObject({
      status: 'ok',
      value: {
        status: 'closed',
        lastPostAt: local('2026-11-27 15:00'),
        latest: {
          takenAt: local('2026-11-29 09:00'),
          score: 72.25,
          readable: true,
          figures: { postsPerWeek: 3.5, answeredShare: 0.8 },
        },
      },
    });
    expect(detail.status === 'ok' && detail.value.snapshots.map((s) => s.score)).toEqual([72.25, 61.5]);
    expect((await audit(id)).map((a) => a.action)).toEqual(['page.created', 'page.closed']);
    // Reopened, it is the same page with the same history.
    expect(await api.update(operator, id, { status: 'active' })).toMatchObject({ status: 'ok', value: { status: 'active' } });
  });

  it('when a department head lists, then only their department; another department is forbidden; filters and pages work', async () => {
    const mine = await api.list(head, {}, { limit: 50 });
    expect(mine.status === 'ok' && mine.value.items.map((p) => p.ownerDepartment)).toEqual(['housing-utilities']);
    expect(await api.list(head, { owner: 'roads-transport' }, { limit: 50 })).toMatchObject({ status: 'forbidden' });
    const roadsPage = await api.list(service, { owner: 'roads-transport' }, { limit: 1 });
    if (roadsPage.status !== 'ok') throw new Error('refused');
    expect(await api.get(head, roadsPage.value.items[0]?.id ?? 0)).toMatchObject({ status: 'forbidden' });

    const all = await api.list(curator, {}, { limit: 2 });
    if (all.status !== 'ok') throw new Error('refused');
    expect(all.value.items).toHaveLength(2);
    const rest = await api.list(curator, {}, { limit: 2, after: all.value.next ?? undefined });
    if (rest.status !== 'ok') throw new Error('refused');
    expect(rest.value.items.map((p) => p.id).every((id) => id > (all.value.next ?? 0))).toBe(true);
    expect(rest.value.next).toBeNull();
    const vk = await api.list(curator, { platform: 'vk', status: 'active' }, { limit: 50 });
    expect(vk).toMatchObject({ status: 'ok' });
    expect(vk.status === 'ok' && vk.value.items.map((p) => p.externalId).sort()).toEqual(['club777', 'roads_barnaul']);
  });

  it('when lines are imported, then broken ones are reported by number and the rest registered; the same file again changes nothing', async () => {
    const header = ['Ссылка', 'Владелец', 'Организация', 'Ответственный', 'Статус'];
    const row = (line: number, cells: (string | null)[]) => ({
      line,
      cells: Object.fromEntries(header.map((h, i) => [h, cells[i] ?? null])),
    });
    const rows = [
      row(2, ['https://vk.com/landscaping_brn', 'landscaping', null, 'Сидорова А. А.', 'активна']),
      row(3, [
        '@oktyabrsky_adm',
        'Администрация Октябрьского района города Барнаула',
        'МБУ «Благоустройство»',
        null,
        'планируется',
      ]),
      row(4, ['https://ok.ru/x', 'landscaping', null, null, null]),
      row(5, ['https://max.ru/barnaul_city', 'министерство', null, null, 'скоро']),
      row(6, ['https://VK.com/Landscaping_BRN', 'landscaping', null, null, null]),
      row(7, [null, null, null, null, null]),
      row(8, ['https://vk.com/roads_barnaul', 'roads-transport', null, null, 'закрыта']),
    ];
    const actor = { type: 'cli' as const };
    const first = await importPages({ db, clock, domain }, { header, rows, actor });
    expect(first).toEqual({
      status: 'done',
      summary: {
        created: 2,
        updated: 1,
        unchanged: 0,
        rejected: [
          { line: 4, reasons: [expect.stringMatching(/^ссылка: .*not a VK, Telegram or MAX page/)] },
          {
            line: 5,
            reasons: [expect.stringMatching(/^статус: "скоро"/), 'владелец: unknown department "министерство"'],
          },
          { line: 6, reasons: ['ссылка: the same page as line 2'] },
        ],
      },
    });
    const again = await importPages({ db, clock, domain }, { header, rows, actor });
    expect(again.status === 'done' && again.summary).toMatchObject({ created: 0, updated: 0, unchanged: 3 });
    const okt = await api.list(service, { owner: 'adm-oktyabrsky' }, { limit: 5 });
    expect(okt.status === 'ok' && okt.value.items).toEqual([
      expect.objectContaining({ externalId: '@oktyabrsky_adm', status: 'planned', organisation: 'МБУ «Благоустройство»' }),
    ]);
    expect(await importPages({ db, clock, domain }, { header: ['url', 'dept'], rows: [], actor })).toEqual({
      status: 'wrong_format',
      missing: ['ссылка', 'владелец'],
      known: ['ссылка', 'владелец', 'организация', 'ответственный', 'статус', 'название', 'платформа'],
    });
  });

  it('when the weekly report asks, then the active pages, their average score, the silent ones, comments past the term and the unreadable', async () => {
    const now = local('2026-11-30 15:00');
    const make = async (
      link: string,
      state: { readable: boolean | null; score?: number; lastPost?: string; silent?: boolean },
    ) => {
      const created = await api.create(operator, input({ link, ownerDepartment: 'info-policy' }));
      if (created.status !== 'ok') throw new Error(`${link} not created`);
      const id = created.value.id;
      await db
        .updateTable('official_page')
        .set({ readable: state.readable, last_checked_at: state.readable === null ? null : local('2026-11-30 09:00') })
        .where('id', '=', id)
        .execute();
      // The latest round's judgement of silence is the report's (figures.silent), as for the alert and the score.
      if (state.score !== undefined || state.silent)
        await db
          .insertInto('page_snapshot')
          .values({
            page_id: id,
            taken_at: local('2026-11-30 09:00'),
            readable: true,
            figures: JSON.stringify({ silent: state.silent === true }),
            score: state.score === undefined ? null : String(state.score),
          })
          .execute();
      if (state.lastPost)
        await db
          .insertInto('page_post')
          .values({ page_id: id, post_id: '1', posted_at: local(state.lastPost) })
          .execute();
      return id;
    };
    const fresh = await make('@info_fresh', { readable: true, score: 80, lastPost: '2026-11-29 10:00' });
    await make('@info_silent', { readable: true, score: 50, lastPost: '2026-11-20 10:00', silent: true });
    await make('@info_never_posted', { readable: true, silent: true });
    await make('@info_private', { readable: false });
    await make('@info_new', { readable: null });
    const comment = (id: string, at: string, replied: string | null) =>
      db
        .insertInto('page_comment')
        .values({
          page_id: fresh,
          comment_id: id,
          post_id: '1',
          author_id: '500',
          text: 'Когда починят?',
          created_at: local(at),
          replied_at: replied ? local(replied) : null,
        })
        .execute();
    // Term 8 working hours: Friday 27th 10:00 is past it by Monday 15:00 (6 h Fri + 6 h 12 min Mon);
    // Monday 09:00 is not (5 h 12 min); one answered; one of October, outside the 30-day window.
    await comment('a', '2026-11-27 10:00', null);
    await comment('b', '2026-11-30 09:00', null);
    await comment('c', '2026-11-26 10:00', '2026-11-26 11:00');
    await comment('d', '2026-10-20 10:00', null);
    expect(await pagesReport({ db, domain, calendar }, 'info-policy', now)).toEqual({
      count: 5,
      averageScore: 65,
      silent: 2,
      silentDays: 7,
      unanswered: 1,
      replyTermHours: 8,
      unreadable: 1,
    });
    expect(await pagesReport({ db, domain, calendar }, 'adm-central', now)).toBeNull();
  });

  it('when the domain file has no pages section, then the defaults are the schema’s', () => {
    expect(DEFAULT_PAGE_SETTINGS).toEqual(domainConfigSchema.unwrap().shape.pages.unwrap().parse({}));
    expect(DEFAULT_PAGE_SETTINGS).toMatchObject({ replyTermHours: 8, silentDays: 7, windowDays: 30 });
  });
});
