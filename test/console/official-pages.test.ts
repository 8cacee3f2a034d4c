import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../models/database.js';
import { local } from '../helpers/barnaul-calendar.js';
import { addPerson, type ConsoleApp, type ConsoleClient, signIn, startConsoleApp, textOf } from './harness.js';

const menuOf = (html: string) => textOf(/<nav aria-label="Разделы">[\s\S]*?<\/nav>/.exec(html)?.[0] ?? '');
const rowOf = (html: string, id: number) => textOf(new RegExp(`<tr id="page-${id}">[\\s\\S]*?</tr>`).exec(html)?.[0] ?? '');
const countPages = async (db: Db) =>
  Number(
    (
      await db
        .selectFrom('official_page')
        .select((e) => e.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

/** Inserts a page as the registry would, with what monitoring found (readable, score, a post). */
async function seedPage(
  db: Db,
  page: { externalId: string; owner: string; platform?: 'vk' | 'telegram' | 'max'; title?: string },
  found: { score?: number; reason?: string } = {},
): Promise<number> {
  const platform = page.platform ?? 'vk';
  const { id } = await db
    .insertInto('official_page')
    .values({
      platform,
      external_id: page.externalId,
      url: platform === 'vk' ? `https://vk.com/${page.externalId}` : `https://t.me/${page.externalId.replace('@', '')}`,
      title: page.title ?? null,
      owner_department: page.owner,
      status: 'active',
      readable: found.reason ? false : found.score !== undefined ? true : null,
      unreadable_reason: found.reason ?? null,
      last_checked_at: found.score !== undefined || found.reason ? local('2026-11-30 09:00') : null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (found.score !== undefined) {
    await db
      .insertInto('page_snapshot')
      .values([
        {
          page_id: id,
          taken_at: local('2026-11-29 09:00'),
          readable: true,
          figures: JSON.stringify({ postsPerWeek: 2 }),
          score: '55',
        },
        {
          page_id: id,
          taken_at: local('2026-11-30 09:00'),
          readable: true,
          figures: JSON.stringify({ postsPerWeek: 4.5, answeredShare: 0.75, medianReplyHours: 1.5 }),
          score: String(found.score),
        },
      ])
      .execute();
  }
  return id;
}

/**
 * Страницы in the console: the registry with each page's latest score, last check and why it cannot be
 * read, filters, the add form with Russian messages for a link that is no page and for a duplicate, a
 * page's history and its closing, the department scope, and the CSV of the filtered list.
 */
describe('console: official pages', () => {
  let c: ConsoleApp;
  let operator: ConsoleClient;
  let roadsPage: number;
  let hiddenPage: number;
  let housingPage: number;

  beforeAll(async () => {
    c = await startConsoleApp('console_pages');
    roadsPage = await seedPage(
      c.db,
      { externalId: 'roads_barnaul', owner: 'roads-transport', title: 'Дороги Барнаула' },
      { score: 72.5 },
    );
    hiddenPage = await seedPage(
      c.db,
      { externalId: '@roads_channel', owner: 'roads-transport', platform: 'telegram' },
      { reason: 'бот не администратор канала' },
    );
    housingPage = await seedPage(c.db, { externalId: 'housing_barnaul', owner: 'housing-utilities', title: 'ЖКХ Барнаула' });
    operator = await signIn(c, await addPerson(c.db, { name: 'Ольга Операторова', role: 'operator', department: 'mcu' }));
  }, 120_000);
  afterAll(async () => {
    await c?.stop();
  });

  it('when an operator opens Страницы, then every page with its score, last check and unreadable reason, and the add form', async () => {
    const list = await operator.get('/console/pages');
    expect(list.status).toBe(200);
    expect(menuOf(list.html)).toContain('Страницы');
    expect(rowOf(list.html, roadsPage)).toContain('Дороги Барнаула');
    expect(rowOf(list.html, roadsPage)).toContain('72,5');
    expect(rowOf(list.html, roadsPage)).toContain('30.11.2026, 09:00');
    expect(rowOf(list.html, hiddenPage)).toContain('бот не администратор канала');
    expect(rowOf(list.html, housingPage)).toContain('ЖКХ Барнаула');
    expect(list.html).toContain(`href="/console/pages/${roadsPage}"`);
    expect(list.html).toContain('method="post" action="/console/pages"');
    expect(list.html).toContain('href="/console/pages.csv"');
    const telegram = await operator.get('/console/pages?platform=telegram');
    expect(telegram.html).toContain(`id="page-${hiddenPage}"`);
    expect(telegram.html).not.toContain(`id="page-${roadsPage}"`);
  });

  it('when an operator adds a page, then it is registered and its page opens; a link that is no page or a duplicate is refused in Russian', async () => {
    const before = await countPages(c.db);
    const bad = await operator.post('/console/pages', { link: 'https://ok.ru/roads', ownerDepartment: 'roads-transport' });
    expect(bad.status).toBe(400);
    expect(textOf(bad.html)).toContain('Это не страница ВКонтакте, Telegram или MAX.');
    expect(bad.html).toMatch(/id="p-link"[^>]*aria-invalid="true"/);
    expect(bad.html).toContain('value="https://ok.ru/roads"');
    const post = await operator.post('/console/pages', { link: 'https://vk.com/wall-1_2', ownerDepartment: 'roads-transport' });
    expect(textOf(post.html)).toContain('Это ссылка на пост.');
    const noOwner = await operator.post('/console/pages', { link: 'https://vk.com/new_page', ownerDepartment: '' });
    expect(noOwner.status).toBe(400);
    expect(noOwner.html).toMatch(/id="p-owner"[^>]*aria-invalid="true"/);
    const duplicate = await operator.post('/console/pages', {
      link: 'https://m.vk.com/ROADS_BARNAUL',
      ownerDepartment: 'roads-transport',
    });
    expect(duplicate.status).toBe(400);
    expect(textOf(duplicate.html)).toContain(`Эта страница уже в реестре. Её номер — ${roadsPage}.`);
    expect(await countPages(c.db)).toBe(before);

    const added = await operator.post('/console/pages', {
      link: 'https://t.me/landscaping_brn',
      ownerDepartment: 'landscaping',
      title: 'Благоустройство',
      responsibleName: 'Сидорова А. А.',
      status: 'planned',
    });
    expect(added.status).toBe(303);
    const location = added.headers.get('location') ?? '';
    expect(location).toMatch(/^\/console\/pages\/\d+\?done=created$/);
    const page = await operator.get(location);
    expect(textOf(page.html)).toContain('Страница добавлена в реестр.');
    expect(textOf(page.html)).toContain('https://t.me/landscaping_brn');
    expect(textOf(page.html)).toContain('Сидорова А. А.');
    expect(textOf(page.html)).toContain('Страница ещё не проверялась.');
  });

  it('when an operator closes a page, then it stays with its history and its status says closed', async () => {
    const detail = await operator.get(`/console/pages/${roadsPage}`);
    expect(detail.status).toBe(200);
    const history = textOf(/<table[^>]*id="snapshots"[\s\S]*?<\/table>/.exec(detail.html)?.[0] ?? '');
    expect(history).toContain('30.11.2026, 09:00 72,5 4,5');
    expect(history).toContain('75 %');
    expect(history).toContain('1 ч 30 мин');
    expect(history).toContain('29.11.2026, 09:00 55 2');
    const closed = await operator.post(`/console/pages/${roadsPage}`, {
      version: versionOf(detail.html),
      link: 'https://vk.com/roads_barnaul',
      ownerDepartment: 'roads-transport',
      title: 'Дороги Барнаула',
      status: 'closed',
    });
    expect(closed.status).toBe(303);
    expect(closed.headers.get('location')).toBe(`/console/pages/${roadsPage}?done=saved`);
    const after = await operator.get(closed.headers.get('location') as string);
    expect(textOf(after.html)).toContain('Сохранено.');
    expect(textOf(after.html)).toMatch(/Статус Закрыта/);
    expect(textOf(/<table[^>]*id="snapshots"[\s\S]*?<\/table>/.exec(after.html)?.[0] ?? '')).toContain('72,5');
    const row = await c.db.selectFrom('official_page').select(['status']).where('id', '=', roadsPage).executeTakeFirstOrThrow();
    expect(row.status).toBe('closed');
  });

  it('when the page changed after the edit form was rendered, then 409 says so and nothing is overwritten', async () => {
    const detail = await operator.get(`/console/pages/${hiddenPage}`);
    const version = versionOf(detail.html);
    expect(version).not.toBe('');
    // Someone else saves first (the registry's own update moves updated_at on).
    await c.db
      .updateTable('official_page')
      .set({ title: 'Чужая правка', updated_at: new Date() })
      .where('id', '=', hiddenPage)
      .execute();
    const before = await c.db.selectFrom('official_page').selectAll().where('id', '=', hiddenPage).executeTakeFirstOrThrow();
    const stale = await operator.post(`/console/pages/${hiddenPage}`, {
      version,
      link: before.url,
      ownerDepartment: before.owner_department,
      title: 'Моя правка',
      status: before.status,
    });
    expect(stale.status).toBe(409);
    expect(textOf(stale.html)).toContain('Эту страницу изменил другой сотрудник');
    expect(stale.html).toContain('value="Чужая правка"');
    const after = await c.db.selectFrom('official_page').select(['title']).where('id', '=', hiddenPage).executeTakeFirstOrThrow();
    expect(after.title).toBe('Чужая правка');
    // Without a version the form is refused as stale too.
    const { version: _v, ...noVersion } = {
      version,
      link: before.url,
      ownerDepartment: before.owner_department,
      status: before.status,
    };
    expect((await operator.post(`/console/pages/${hiddenPage}`, noVersion)).status).toBe(400);
  });

  it('when the CSV is downloaded, then the filtered list with Russian headers and the latest figures', async () => {
    const csv = await operator.get('/console/pages.csv?owner=roads-transport');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = csv.html
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r?\n/);
    expect(lines[0]).toMatch(/^№;Платформа;Ссылка;Идентификатор;Название;Владелец;/);
    expect(lines[0]).toContain('Балл (0–100)');
    expect(lines.slice(1).map((l) => l.split(';')[0])).toEqual([String(roadsPage), String(hiddenPage)]);
    expect(lines[1]).toContain('72.5');
    expect((await operator.get('/console/pages.xlsx?owner=roads-transport')).status).toBe(200);
  });

  it('when a department official signs in, then their department’s pages only, no form, another’s page and a forged POST are 403', async () => {
    const official = await signIn(c, await addPerson(c.db, { role: 'official', department: 'housing-utilities' }));
    const list = await official.get('/console/pages');
    expect(list.status).toBe(200);
    expect(menuOf(list.html)).toContain('Страницы');
    expect(list.html).toContain(`id="page-${housingPage}"`);
    expect(list.html).not.toContain(`id="page-${hiddenPage}"`);
    expect(list.html).not.toContain('method="post" action="/console/pages"');
    expect((await official.get(`/console/pages/${housingPage}`)).status).toBe(200);
    expect((await official.get(`/console/pages/${hiddenPage}`)).status).toBe(403);
    expect((await official.get('/console/pages?owner=roads-transport')).status).toBe(403);
    const before = await countPages(c.db);
    const forged = await official.post('/console/pages', {
      link: 'https://vk.com/forged_page',
      ownerDepartment: 'housing-utilities',
    });
    expect(forged.status).toBe(403);
    expect(await countPages(c.db)).toBe(before);
  });
});

/** The edit form's version (the page's updatedAt as rendered). */
function versionOf(html: string): string {
  return /name="version" value="([^"]+)"/.exec(html)?.[1] ?? '';
}
