import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { seedOfficial } from '../helpers/rows.js';

/** Text in windows-1251, as Russian Excel saves CSV (Cyrillic, «», №, — and ASCII are enough here). */
function cp1251(text: string): Buffer {
  const special: Record<string, number> = { Ё: 0xa8, ё: 0xb8, '«': 0xab, '»': 0xbb, '№': 0xb9, '—': 0x97 };
  return Buffer.from(
    [...text].map((ch) => {
      const code = ch.codePointAt(0) ?? 0x3f;
      if (code < 0x80) return code;
      if (code >= 0x410 && code <= 0x44f) return code - 0x410 + 0xc0;
      return special[ch] ?? 0x3f;
    }),
  );
}

/**
 * `mcu pages import` and `mcu pages list` as a person runs them: the city's list of pages as CSV (UTF-8
 * or windows-1251), broken lines reported by number with the reason and the rest imported, the same file
 * again creating nothing.
 */
describe('mcu pages', () => {
  let testDb: TestDatabase;
  let dir: string;
  let responsibleId = 0;
  beforeAll(async () => {
    testDb = await createTestDatabase('cli_pages', { migrate: true });
    dir = mkdtempSync(join(tmpdir(), 'mcu-pages-'));
    responsibleId = (await seedOfficial(testDb.handle.db, { name: 'Иванова И. И.', department: 'landscaping' })).id;
  });
  afterAll(async () => {
    await testDb?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  const mcu = (...args: string[]) =>
    spawnSync(process.execPath, ['bin/mcu.js', 'pages', ...args], {
      env: { PATH: process.env.PATH ?? '', DATABASE_URL: testDb.url },
      encoding: 'utf8',
    });
  const file = (name: string, content: string | Buffer) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };
  const lines = () => [
    'Ссылка;Владелец;Организация;Ответственный;Статус;Название',
    'https://vk.com/landscaping_brn;landscaping;;Сидорова А. А., 8-3852-00-00-01;активна;Благоустройство Барнаула',
    `https://t.me/roads_barnaul;Комитет по дорожному хозяйству и транспорту города Барнаула;МБУ «Автодорстрой»;${responsibleId};планируется;`,
    'https://ok.ru/barnaul;landscaping;;;;',
    'https://max.ru/barnaul_city;Министерство магии;;;скоро;',
    'https://vk.com/id123;landscaping;;;;',
    'https://VK.com/Landscaping_BRN;landscaping;;;;',
    '@oktyabrsky_adm;adm-oktyabrsky;;;закрыта;Октябрьский район',
  ];

  it('when the list has good and broken lines, then the broken are reported by number with the reason and the rest imported', async () => {
    const result = mcu('import', '--input', file('pages.csv', `${lines().join('\n')}\n`));
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout.split('\n')).toEqual([
      'created: 3',
      'updated: 0',
      'unchanged: 0',
      'rejected: 4',
      '  line 4: ссылка: "https://ok.ru/barnaul" is not a VK, Telegram or MAX page (the site is ok.ru)',
      '  line 5: статус: "скоро" — not «активна», «планируется» or «закрыта»; владелец: unknown department "Министерство магии"',
      '  line 6: ссылка: "https://vk.com/id123" is a person\'s profile, not a community',
      '  line 7: ссылка: the same page as line 2',
      '',
    ]);
    const rows = await testDb.handle.db
      .selectFrom('official_page')
      .select([
        'platform',
        'external_id',
        'owner_department',
        'organisation',
        'responsible_official_id',
        'responsible_name',
        'status',
        'title',
      ])
      .orderBy('id')
      .execute();
    expect(rows).toEqual([
      {
        platform: 'vk',
        external_id: 'landscaping_brn',
        owner_department: 'landscaping',
        organisation: null,
        responsible_official_id: null,
        responsible_name: 'Сидорова А. А., 8-3852-00-00-01',
        status: 'active',
        title: 'Благоустройство Барнаула',
      },
      {
        platform: 'telegram',
        external_id: '@roads_barnaul',
        owner_department: 'roads-transport',
        organisation: 'МБУ «Автодорстрой»',
        responsible_official_id: responsibleId,
        responsible_name: null,
        status: 'planned',
        title: null,
      },
      {
        platform: 'telegram',
        external_id: '@oktyabrsky_adm',
        owner_department: 'adm-oktyabrsky',
        organisation: null,
        responsible_official_id: null,
        responsible_name: null,
        status: 'closed',
        title: 'Октябрьский район',
      },
    ]);
  });

  it('when the same file is imported again, then nothing is created or changed; a changed line updates its page', async () => {
    const again = mcu('import', '--input', join(dir, 'pages.csv'));
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/^created: 0\nupdated: 0\nunchanged: 3\nrejected: 4\n/);
    const changed = lines().map((l) => l.replace(';планируется;', ';активна;'));
    const updated = mcu('import', '--input', file('pages-changed.csv', cp1251(`${changed.join('\r\n')}\r\n`)));
    expect(updated.stderr).toContain('read as windows-1251');
    expect(updated.stdout).toMatch(/^created: 0\nupdated: 1\nunchanged: 2\nrejected: 4\n/);
    const count = await testDb.handle.db
      .selectFrom('official_page')
      .select((e) => e.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(3);
    const roads = await testDb.handle.db
      .selectFrom('official_page')
      .select('status')
      .where('external_id', '=', '@roads_barnaul')
      .executeTakeFirstOrThrow();
    expect(roads.status).toBe('active');
  });

  it('when the file lacks a required column or is not there, then it says so and imports nothing', () => {
    const wrong = mcu('import', '--input', file('wrong.csv', 'url;dept\nhttps://vk.com/x;mcu\n'));
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toMatch(/missing columns ссылка, владелец; found: url, dept/);
    const missing = mcu('import', '--input', join(dir, 'nope.csv'));
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/no such file/);
    expect(mcu('import').status).toBe(2);
  });

  it('when the pages are listed, then one line each with the owner, score and link; filters narrow it', () => {
    const all = mcu('list');
    expect(all.status).toBe(0);
    const out = all.stdout.trim().split('\n');
    expect(out).toHaveLength(3);
    expect(out[0]).toMatch(/^\d+\tvk\tactive\tlandscaping\t-\t-\thttps:\/\/vk\.com\/landscaping_brn\tБлагоустройство Барнаула$/);
    expect(mcu('list', '--platform', 'telegram', '--status', 'closed').stdout.trim().split('\n')).toHaveLength(1);
    expect(mcu('list', '--platform', 'icq').status).toBe(2);
    expect(mcu('list', '--owner', 'atlantis').stderr).toMatch(/unknown department "atlantis"/);
  });

  it('when a line has several mistakes, then each is reported; a bare phone number as the responsible is a contact, not a person', async () => {
    const result = mcu(
      'import',
      '--input',
      file(
        'pages-more.csv',
        [
          'Ссылка;Владелец;Ответственный;Статус',
          'https://ok.ru/culture;Министерство магии;;скоро',
          'https://vk.com/culture_brn;landscaping;83852000001;',
          `https://vk.com/sport_brn;landscaping;${responsibleId};`,
          '',
        ].join('\n'),
      ),
    );
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(
      '  line 2: ссылка: "https://ok.ru/culture" is not a VK, Telegram or MAX page (the site is ok.ru); статус: "скоро" — not «активна», «планируется» or «закрыта»; владелец: unknown department "Министерство магии"',
    );
    const rows = await testDb.handle.db
      .selectFrom('official_page')
      .select(['external_id', 'responsible_official_id', 'responsible_name'])
      .where('external_id', 'in', ['culture_brn', 'sport_brn'])
      .orderBy('external_id')
      .execute();
    expect(rows).toEqual([
      { external_id: 'culture_brn', responsible_official_id: null, responsible_name: '83852000001' },
      { external_id: 'sport_brn', responsible_official_id: responsibleId, responsible_name: null },
    ]);
  });
});
