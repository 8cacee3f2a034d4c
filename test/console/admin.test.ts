import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calendarCoverage, WorkingCalendar } from '../../lib/deadlines/index.js';
import { startTelegramEmulator, type TelegramEmulator } from '../../src/sandbox/telegram-emulator.js';
import { HOURS, SHIPPED } from '../helpers/barnaul-calendar.js';
import { seedSource } from '../helpers/rows.js';
import { addPerson, type ConsoleApp, signIn, startConsoleApp, textOf } from './harness.js';

/** The menu's visible text. */
const menu = (html: string) => textOf(/<nav aria-label="Разделы">[\s\S]*?<\/nav>/.exec(html)?.[0] ?? '');

/**
 * Источники, Сотрудники, Настройки. The staff bot runs on the Bot API emulator, so the app knows its
 * username and an invite has a real Telegram link (and its QR code).
 */
describe('console: sources, people, settings', () => {
  let c: ConsoleApp;
  let emulator: TelegramEmulator;

  beforeAll(async () => {
    emulator = await startTelegramEmulator();
    c = await startConsoleApp('console_admin', {
      TELEGRAM_BOT_TOKEN: emulator.token,
      TELEGRAM_API_ROOT: emulator.apiRoot,
      APP_ROLES: 'http,telegram,worker',
    });
  });
  afterAll(async () => {
    await c?.stop();
    await emulator?.stop();
  });

  const countPeople = async () =>
    Number(
      (
        await c.db
          .selectFrom('official')
          .select((e) => e.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  describe('sources', () => {
    it('when an operator approves a pending chat as official, then it is active and official, and the page says so', async () => {
      const source = await seedSource(c.db, {
        channel: 'telegram',
        kind: 'city_chat',
        title: 'Барнаул — соседи',
        status: 'pending',
      });
      const client = await signIn(c, await addPerson(c.db, { role: 'operator', department: 'mcu' }));
      const page = await client.get('/console/sources?status=pending');
      expect(page.status).toBe(200);
      expect(textOf(page.html)).toContain('Барнаул — соседи');
      expect(textOf(page.html)).toContain('Городской чат');
      expect(page.html).toContain(`action="/console/sources/${source.id}/approve?status=pending"`);
      const version = new RegExp(`/console/sources/${source.id}/approve[\\s\\S]*?name="version" value="([^"]+)"`).exec(
        page.html,
      )?.[1];
      const done = await client.post(`/console/sources/${source.id}/approve?status=pending`, {
        version: version as string,
        official: 'on',
      });
      expect(done.status).toBe(303);
      expect(done.headers.get('location')).toBe('/console/sources?status=pending&done=approved');
      expect(textOf((await client.get(done.headers.get('location') as string)).html)).toContain('Источник подключён.');
      const row = await c.db
        .selectFrom('source')
        .select(['status', 'official'])
        .where('id', '=', source.id)
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ status: 'active', official: true });
    });

    it('when the source changed since the page was shown, then the decision is refused with 409 and nothing changes', async () => {
      const source = await seedSource(c.db, { channel: 'vk', kind: 'public_community', title: 'Паблик', status: 'pending' });
      const client = await signIn(c, await addPerson(c.db, { role: 'operator', department: 'mcu' }));
      await client.get('/console/sources');
      const stale = await client.post(`/console/sources/${source.id}/reject`, { version: '2000-01-01T00:00:00.000Z' });
      expect(stale.status).toBe(409);
      expect(textOf(stale.html)).toContain(`Источник №${source.id} изменил другой сотрудник`);
      const row = await c.db.selectFrom('source').select('status').where('id', '=', source.id).executeTakeFirstOrThrow();
      expect(row.status).toBe('pending');
    });

    it('when a role without triage opens sources or forges a decision, then 403 and the source stays as it was', async () => {
      const source = await seedSource(c.db, { channel: 'telegram', kind: 'city_chat', status: 'pending' });
      const curator = await signIn(c, await addPerson(c.db, { role: 'curator', department: 'mcu' }));
      const home = await curator.get('/console/cases');
      expect(menu(home.html)).not.toContain('Источники');
      expect((await curator.get('/console/sources')).status).toBe(403);
      const forged = await curator.post(`/console/sources/${source.id}/approve`, { version: source.updated_at.toISOString() });
      expect(forged.status).toBe(403);
      const row = await c.db.selectFrom('source').select('status').where('id', '=', source.id).executeTakeFirstOrThrow();
      expect(row.status).toBe('pending');
    });
  });

  describe('people', () => {
    it('when an operator invites a person, then they are created and the page shows the Telegram link and its QR code', async () => {
      const me = await addPerson(c.db, { role: 'operator', department: 'mcu' });
      const client = await signIn(c, me);
      const list = await client.get('/console/people');
      expect(list.status).toBe(200);
      expect(list.html).toContain('<label for="i-name">Имя и фамилия</label>');
      const before = await countPeople();
      const done = await client.post('/console/people/invite', {
        name: 'Галина Новикова',
        role: 'official',
        department: 'roads-transport',
      });
      expect(done.status).toBe(200);
      expect(await countPeople()).toBe(before + 1);
      const bot = c.app.botUsername;
      expect(bot).toBeTruthy();
      const link = new RegExp(`https://t\\.me/${bot}\\?start=[A-Za-z0-9_-]{32}`).exec(done.html)?.[0];
      expect(link).toBeDefined();
      expect(done.html).toMatch(
        /<div role="img" aria-label="QR-код ссылки-приглашения в Telegram"><svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"[\s\S]*?<\/svg>/,
      );
      expect(textOf(done.html)).toContain('Бот MAX не запущен в этом экземпляре');
      const person = await c.db
        .selectFrom('official')
        .select(['id', 'role', 'department', 'active'])
        .where('name', '=', 'Галина Новикова')
        .executeTakeFirstOrThrow();
      expect(person).toMatchObject({ role: 'official', department: 'roads-transport', active: true });

      // Another invite for the same person: a new link.
      const again = await client.post(`/console/people/${person.id}/invite`);
      expect(again.status).toBe(200);
      const second = new RegExp(`https://t\\.me/${bot}\\?start=[A-Za-z0-9_-]{32}`).exec(again.html)?.[0];
      expect(second).toBeDefined();
      expect(second).not.toBe(link);
      expect(await countPeople()).toBe(before + 1);
    });

    it('when the invite has no name, then 400 with the field marked and nobody is created', async () => {
      const client = await signIn(c, await addPerson(c.db, { role: 'operator', department: 'mcu' }));
      await client.get('/console/people');
      const before = await countPeople();
      const bad = await client.post('/console/people/invite', { name: '  ', role: 'official', department: 'roads-transport' });
      expect(bad.status).toBe(400);
      expect(bad.html).toContain(
        '<input id="i-name" name="name" maxlength="200" autocomplete="off" value="  " aria-invalid="true" aria-describedby="err-name">',
      );
      expect(textOf(bad.html)).toContain('Укажите имя.');
      expect(textOf(bad.html)).toContain('Приглашение не создано');
      // The other fields keep what was chosen.
      expect(bad.html).toMatch(/<option value="roads-transport" selected>/);
      const unknown = await client.post('/console/people/invite', { name: 'Кто-то', role: 'king', department: 'nowhere' });
      expect(unknown.status).toBe(400);
      expect(unknown.html).toContain('id="i-role" name="role" aria-invalid="true"');
      expect(unknown.html).toContain('id="i-department" name="department" aria-invalid="true"');
      expect(await countPeople()).toBe(before);
    });

    it('when a person is deactivated, then their console session ends at once; nobody can deactivate themselves', async () => {
      const admin = await addPerson(c.db, { name: 'Ольга Кадрова', role: 'operator', department: 'mcu' });
      const client = await signIn(c, admin);
      const leaving = await addPerson(c.db, { name: 'Уходящий Сотрудник', role: 'official', department: 'housing-utilities' });
      const theirs = await signIn(c, leaving);
      expect((await theirs.get('/console/cases')).status).toBe(200);

      const list = await client.get('/console/people');
      expect(list.html).toContain(`action="/console/people/${leaving.id}/deactivate"`);
      expect(list.html).not.toContain(`action="/console/people/${admin.id}/deactivate"`);
      expect(textOf(list.html)).toContain('себя отключить нельзя');

      const done = await client.post(`/console/people/${leaving.id}/deactivate`);
      expect(done.status).toBe(303);
      expect(textOf((await client.get(done.headers.get('location') as string)).html)).toContain('Сотрудник отключён');
      const gone = await theirs.get('/console/cases');
      expect(gone.status).toBe(303);
      expect(gone.headers.get('location')).toBe('/console/login?reason=expired');
      const row = await c.db.selectFrom('official').select('active').where('id', '=', leaving.id).executeTakeFirstOrThrow();
      expect(row.active).toBe(false);
      const sessions = await c.db
        .selectFrom('console_session')
        .select((e) => e.fn.countAll().as('n'))
        .where('official_id', '=', leaving.id)
        .where('ended_at', 'is', null)
        .executeTakeFirstOrThrow();
      expect(Number(sessions.n)).toBe(0);

      const twice = await client.post(`/console/people/${leaving.id}/deactivate`);
      expect(twice.status).toBe(409);
      const self = await client.post(`/console/people/${admin.id}/deactivate`);
      expect(self.status).toBe(422);
      expect(textOf(self.html)).toContain('Нельзя отключить самого себя');
      const still = await c.db.selectFrom('official').select('active').where('id', '=', admin.id).executeTakeFirstOrThrow();
      expect(still.active).toBe(true);
    });

    it('when a role without people:manage opens people or forges an invite or a deactivation, then 403 and nothing changes', async () => {
      const victim = await addPerson(c.db, { role: 'official', department: 'roads-transport' });
      const head = await signIn(c, await addPerson(c.db, { role: 'department_head', department: 'roads-transport' }));
      const home = await head.get('/console/cases');
      expect(menu(home.html)).not.toContain('Сотрудники');
      expect((await head.get('/console/people')).status).toBe(403);
      const before = await countPeople();
      expect((await head.post('/console/people/invite', { name: 'Х', role: 'head', department: 'mcu' })).status).toBe(403);
      expect((await head.post(`/console/people/${victim.id}/invite`)).status).toBe(403);
      expect((await head.post(`/console/people/${victim.id}/deactivate`)).status).toBe(403);
      expect(await countPeople()).toBe(before);
      const row = await c.db.selectFrom('official').select('active').where('id', '=', victim.id).executeTakeFirstOrThrow();
      expect(row.active).toBe(true);
    });
  });

  describe('settings', () => {
    it('when a role that sees all cases opens settings, then departments, categories and SLA policies show with a real file:line', async () => {
      const client = await signIn(c, await addPerson(c.db, { role: 'coordinator', department: 'mcu' }));
      const page = await client.get('/console/settings');
      expect(page.status).toBe(200);
      const lines = readFileSync('config/barnaul.yaml', 'utf8').split('\n');
      const at = (rowId: string) => {
        const row = new RegExp(`<tr id="${rowId}">[\\s\\S]*?</tr>`).exec(page.html)?.[0] ?? '';
        const where = /<code class="source-line">([^<]+):(\d+)<\/code>/.exec(row);
        return { file: where?.[1], line: Number(where?.[2]) };
      };
      const dept = at('department-housing-utilities');
      expect(dept.file).toBe('config/barnaul.yaml');
      expect(lines[dept.line - 1]).toMatch(/^\s*- id: housing-utilities\s*$/);
      const cat = at('category-heating');
      expect(lines[cat.line - 1]).toMatch(/^\s*- id: heating\s*$/);
      const text = textOf(page.html);
      expect(text).toContain('Комитет жилищно-коммунального хозяйства города Барнаула');
      expect(text).toContain('7 раб. дн. (7wd)');
      expect(text).toContain('ПОС «Госуслуги. Решаем вместе»');
      // Each SLA policy's line is its own entry of sla.policies.
      const sla = /<h2 id="sla">[\s\S]*?<\/table>/.exec(page.html)?.[0] ?? '';
      const policyLines = [...sla.matchAll(/config\/barnaul\.yaml:(\d+)/g)].map((m) => Number(m[1]));
      expect(policyLines).toHaveLength(4);
      for (const line of policyLines) expect(lines[line - 1]).toMatch(/^\s*- (priority|channels):/);
      expect(text).toMatch(/2026 \d+ \d+ \d+ config\/production-calendar\.json:\d+/);
      const calendarLine = /<td data-label="Год">2026<\/td>[^\n]*?config\/production-calendar\.json:(\d+)/.exec(page.html)?.[1];
      expect(readFileSync('config/production-calendar.json', 'utf8').split('\n')[Number(calendarLine) - 1]).toContain('"2026"');
      // The calendar's coverage as /health/ready sees it: next year's absence from 1 October.
      const coverage = calendarCoverage(
        new WorkingCalendar({ productionCalendar: SHIPPED, workingHours: HOURS, timeZone: 'Asia/Barnaul' }),
        new Date(),
      );
      if (coverage.missing.length > 0)
        expect(text).toContain(`Нет производственного календаря на ${coverage.missing.join(' и ')} год`);
      else expect(page.html).not.toContain('id="calendar-missing"');
      expect(text).not.toMatch(/TELEGRAM_BOT_TOKEN|DATABASE_URL|API_TOKEN/);
      expect(text).not.toContain(emulator.token);

      const filtered = await client.get('/console/settings?q=отопл');
      expect(textOf(filtered.html)).toContain('Отопление');
      expect(filtered.html).not.toContain('id="department-housing-utilities"');
    });

    it('when an official opens settings, then 403 and the menu has no settings', async () => {
      const client = await signIn(c, await addPerson(c.db, { role: 'official', department: 'roads-transport' }));
      const home = await client.get('/console/cases');
      expect(menu(home.html)).not.toContain('Настройки');
      expect((await client.get('/console/settings')).status).toBe(403);
    });
  });
});
