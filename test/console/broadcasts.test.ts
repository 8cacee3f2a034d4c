import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../models/database.js';
import { waitFor } from '../helpers/app.js';
import { addPerson, type ConsoleApp, type ConsoleClient, signIn, startConsoleApp, textOf } from './harness.js';

/**
 * «Рассылки» in the console: compose with the live audience, the draft's preview and approval, start,
 * progress and report, the recipients' CSV; roles from config/barnaul.yaml `broadcasts:` (invented citizens).
 */
let nextChat = 71_000;

/** Citizens with the consent given, subscribed (one row each) on `channel` to `districts` ([] = the whole city). */
async function subscribe(db: Db, n: number, channel: 'telegram' | 'vk' | 'max', districts: string[]): Promise<void> {
  const rows = Array.from({ length: n }, () => String(nextChat++));
  const citizens = await db
    .insertInto('citizen')
    .values(rows.map((id) => ({ channel, external_id: id, display_name: `Житель ${id}`, consent: 'given' as const })))
    .returning(['id', 'external_id'])
    .execute();
  await db
    .insertInto('subscription')
    .values(citizens.map((c) => ({ citizen_id: c.id, channel, chat_id: c.external_id, districts })))
    .execute();
}

const draft = (over: Record<string, string | string[]> = {}) => ({
  title: 'Отключение воды',
  text: 'В четверг с 9:00 до 18:00 не будет холодной воды в Индустриальном районе.',
  priority: 'normal',
  scheduledAt: '',
  kind: 'subscribers',
  districts: ['industrial'],
  ...over,
});

const hx = { headers: { 'hx-request': 'true' } };
const idFrom = (location: string | null) => Number(/\/console\/broadcasts\/(\d+)/.exec(location ?? '')?.[1]);
const versionOf = (html: string) => /name="version" value="([^"]+)"/.exec(html)?.[1] ?? '';
const countBroadcasts = async (db: Db) =>
  Number((await db.selectFrom('broadcast').select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
const menuOf = (html: string) => textOf(/<nav aria-label="Разделы">[\s\S]*?<\/nav>/.exec(html)?.[0] ?? '');

describe('console: broadcasts', () => {
  let c: ConsoleApp;
  let operator: ConsoleClient;

  beforeAll(async () => {
    c = await startConsoleApp('console_broadcasts');
    // Industrial: two in Telegram; the whole city: one in VK (a district broadcast reaches them too).
    await subscribe(c.db, 2, 'telegram', ['industrial']);
    await subscribe(c.db, 1, 'vk', []);
    operator = await signIn(c, await addPerson(c.db, { name: 'Ольга Операторова', role: 'operator', department: 'mcu' }));
  }, 120_000);
  afterAll(async () => {
    await c?.stop();
  });

  it('when an operator composes a district broadcast, then the live count, the draft, its preview, the start and the report follow', async () => {
    const list = await operator.get('/console/broadcasts');
    expect(list.status).toBe(200);
    expect(menuOf(list.html)).toContain('Рассылки');
    expect(textOf(list.html)).toContain('Новая рассылка');

    const form = await operator.get('/console/broadcasts/new');
    expect(form.status).toBe(200);
    expect(form.html).toContain('hx-post="/console/broadcasts/audience"');
    expect(textOf(form.html)).toContain('Индустриальный район');

    const audience = await operator.post('/console/broadcasts/audience', { kind: 'subscribers', districts: 'industrial' }, hx);
    expect(audience.status).toBe(200);
    expect(textOf(audience.html)).toContain('Получателей: 3 (Telegram 2, ВКонтакте 1, MAX 0)');
    const telegramOnly = await operator.post(
      '/console/broadcasts/audience',
      { kind: 'subscribers', districts: 'industrial', channels: 'telegram' },
      hx,
    );
    expect(textOf(telegramOnly.html)).toContain('Получателей: 2 (Telegram 2, ВКонтакте 0, MAX 0)');
    const length = await operator.post('/console/broadcasts/length', { text: 'я'.repeat(4001) }, hx);
    expect(textOf(length.html)).toContain('4 001 из 4 000 символов');
    expect(textOf(length.html)).toContain('разрешите отправку частями');
    expect(await countBroadcasts(c.db)).toBe(0);

    const created = await operator.post('/console/broadcasts', draft());
    expect(created.status).toBe(303);
    const id = idFrom(created.headers.get('location'));
    expect(id).toBeGreaterThan(0);

    const page = await operator.get(`/console/broadcasts/${id}?done=created`);
    const text = textOf(page.html);
    expect(text).toContain('Черновик сохранён');
    expect(text).toContain('Получателей: 3 (Telegram 2, ВКонтакте 1, MAX 0)');
    expect(text).toContain('Подписчики: Индустриальный район');
    expect(text).toContain('Одобрение не нужно');
    expect(text).toContain('Запустить');
    expect(text).not.toContain('Одобрить');

    const started = await operator.post(`/console/broadcasts/${id}/start`, { version: versionOf(page.html) });
    expect(started.status).toBe(303);
    expect(started.headers.get('location')).toBe(`/console/broadcasts/${id}?done=started`);
    const row = await c.db
      .selectFrom('broadcast')
      .select(['status', 'recipients_total'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.recipients_total).toBe(3);

    // Starting again: 409, the page says so, nothing is added.
    const again = await operator.post(`/console/broadcasts/${id}/start`, { version: versionOf(page.html) });
    expect(again.status).toBe(409);
    expect(textOf(again.html)).toContain('Рассылка уже запущена');
    const rows = await c.db.selectFrom('broadcast_recipient').select('seq').where('broadcast_id', '=', id).execute();
    expect(rows).toHaveLength(3);

    const progress = await operator.get(`/console/broadcasts/${id}/progress`, { 'hx-request': 'true' });
    expect(progress.status).toBe(200);
    expect(textOf(progress.html)).toMatch(/Всего 3/);

    // The harness's app runs the worker with no messenger connected: the sender skips every recipient
    // with `no_sender` and the broadcast is done.
    await waitFor(async () => {
      const b = await c.db.selectFrom('broadcast').select('status').where('id', '=', id).executeTakeFirst();
      return b?.status === 'done' ? b : undefined;
    });
    const report = await operator.get(`/console/broadcasts/${id}/progress`, { 'hx-request': 'true' });
    const reportText = textOf(report.html);
    expect(reportText).toContain('Отчёт');
    expect(reportText).toContain('Завершена');
    expect(reportText).toMatch(/Всего 3 0 0 0 3 0/);
    expect(reportText).toContain('Пропущено: к этому мессенджеру не подключён бот — 3');
    expect(report.html).not.toContain('hx-trigger="every 3s"');
    expect(reportText).not.toContain('Пауза');

    const csv = await operator.get(`/console/broadcasts/${id}/recipients.csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const lines = csv.html
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r?\n/);
    expect(lines).toHaveLength(4);
    expect(lines[0]).toContain('Статус');
    expect(lines.slice(1).every((l) => l.includes('Пропущено'))).toBe(true);

    const listed = await operator.get('/console/broadcasts?status=done');
    expect(textOf(listed.html)).toContain('Отключение воды');
    expect(textOf(listed.html)).toContain('Ольга Операторова');
    expect(textOf((await operator.get('/console/broadcasts?status=draft')).html)).not.toContain('Отключение воды');
  });

  it('when a broadcast is running, then its progress polls every 3 s, and a pause stops the polling', async () => {
    const created = await operator.post('/console/broadcasts', draft({ title: 'Держим отправку' }));
    const id = idFrom(created.headers.get('location'));
    // The running state held still: no sender may take it (a lease far ahead), as while a long broadcast sends.
    await c.db
      .updateTable('broadcast')
      .set({ status: 'running', started_at: new Date(), lease_owner: 'test', lease_until: new Date(Date.now() + 3_600_000) })
      .where('id', '=', id)
      .execute();
    const running = await operator.get(`/console/broadcasts/${id}`);
    expect(running.html).toContain(`hx-get="/console/broadcasts/${id}/progress"`);
    expect(running.html).toContain('hx-trigger="every 3s"');
    expect(textOf(running.html)).toContain('Пауза');
    const paused = await operator.post(`/console/broadcasts/${id}/pause`, { version: versionOf(running.html) });
    expect(paused.status).toBe(303);
    const after = await operator.get(`/console/broadcasts/${id}?done=paused`);
    expect(textOf(after.html)).toContain('Рассылка на паузе');
    expect(after.html).not.toContain('hx-trigger="every 3s"');
    expect(textOf(after.html)).toContain('Продолжить');
    expect((await operator.post(`/console/broadcasts/${id}/cancel`, {})).status).toBe(303);
  });

  it('when the input is bad, then 400 with the field marked and no broadcast saved', async () => {
    const before = await countBroadcasts(c.db);
    const empty = await operator.post('/console/broadcasts', draft({ text: '   ' }));
    expect(empty.status).toBe(400);
    expect(empty.html).toMatch(/<textarea id="f-text"[^>]*aria-invalid="true"/);
    expect(empty.html).toContain('id="err-text"');
    expect(textOf(empty.html)).toContain('Заполните поле.');
    expect(empty.html).toContain('value="Отключение воды"'); // what was typed stays

    const district = await operator.post('/console/broadcasts', draft({ districts: ['atlantis'] }));
    expect(district.status).toBe(400);
    expect(district.html).toContain('id="err-districts"');
    expect(textOf(district.html)).toContain('Такого района нет в справочнике.');

    const long = await operator.post('/console/broadcasts', draft({ text: 'я'.repeat(4500) }));
    expect(long.status).toBe(400);
    expect(textOf(long.html)).toContain('Текст длиннее 4 000 символов');

    const past = await operator.post('/console/broadcasts', draft({ scheduledAt: '2020-01-01T09:00' }));
    expect(past.status).toBe(400);
    expect(past.html).toMatch(/id="f-scheduledAt"[^>]*aria-invalid="true"/);

    const broad = await operator.post('/console/broadcasts', draft({ kind: 'cases', districts: [] }));
    expect(broad.status).toBe(400);
    expect(broad.html).toMatch(/<select id="f-kind"[^>]*aria-invalid="true"/);
    expect(textOf(broad.html)).toContain('Выберите категории, районы или период');
    const period = await operator.post(
      '/console/broadcasts/audience',
      { kind: 'cases', categories: 'heating', from: '2026-03-10', to: '2026-03-01' },
      hx,
    );
    expect(textOf(period.html)).toContain('Дата «с» должна быть раньше даты «по».');
    const lastDay = await operator.post(
      '/console/broadcasts/audience',
      { kind: 'cases', categories: 'heating', withinHours: '24' },
      hx,
    );
    expect(textOf(lastDay.html)).toContain('Получателей: 0');
    const noProblem = await operator.post('/console/broadcasts', draft({ kind: 'problem', problemId: '999999' }));
    expect(noProblem.status).toBe(400);
    expect(noProblem.html).toMatch(/id="f-problemId"[^>]*aria-invalid="true"/);
    expect(textOf(noProblem.html)).toContain('Проблемы с таким номером нет.');
    const problem = await operator.post('/console/broadcasts', draft({ kind: 'problem', problemId: '' }));
    expect(problem.status).toBe(400);
    expect(textOf(problem.html)).toContain('Укажите номер проблемы.');
    expect(await countBroadcasts(c.db)).toBe(before);

    // Split allowed: the long text is saved; a schedule is the city's local time.
    const split = await operator.post(
      '/console/broadcasts',
      draft({ text: 'я'.repeat(4500), allowSplit: '1', scheduledAt: '2099-01-01T09:00' }),
    );
    expect(split.status).toBe(303);
    const saved = await c.db
      .selectFrom('broadcast')
      .select(['allow_split', 'scheduled_at'])
      .where('id', '=', idFrom(split.headers.get('location')))
      .executeTakeFirstOrThrow();
    expect(saved.allow_split).toBe(true);
    expect(saved.scheduled_at?.toISOString()).toBe('2099-01-01T02:00:00.000Z');
    const page = await operator.get(`/console/broadcasts/${idFrom(split.headers.get('location'))}`);
    expect(textOf(page.html)).toContain('Запланировать на 01.01.2099, 09:00');
  });

  it('when a segment reaches nobody, then the live count says 0 and starting is 422 with the reason, nothing started', async () => {
    const segment = { kind: 'subscribers', districts: ['industrial'], channels: ['max'] };
    const audience = await operator.post('/console/broadcasts/audience', segment, hx);
    expect(textOf(audience.html)).toContain('Получателей: 0');
    const created = await operator.post('/console/broadcasts', draft(segment));
    const id = idFrom(created.headers.get('location'));
    const page = await operator.get(`/console/broadcasts/${id}`);
    expect(textOf(page.html)).toContain('Эту рассылку никто не получит');
    expect(textOf(page.html)).not.toContain('Запустить');
    const start = await operator.post(`/console/broadcasts/${id}/start`, { version: versionOf(page.html) });
    expect(start.status).toBe(422);
    expect(textOf(start.html)).toContain('ни один активный подписчик не подходит');
    expect(textOf(start.html)).toContain('Ничего не запущено');
    const row = await c.db.selectFrom('broadcast').select('status').where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.status).toBe('draft');
  });

  it('when the draft changed after the page was shown, then starting it says so (409) and starts nothing', async () => {
    const created = await operator.post('/console/broadcasts', draft({ title: 'Устаревшая форма' }));
    const id = idFrom(created.headers.get('location'));
    const page = await operator.get(`/console/broadcasts/${id}`);
    await c.db.updateTable('broadcast').set({ text: 'Другой текст' }).where('id', '=', id).execute();
    const start = await operator.post(`/console/broadcasts/${id}/start`, { version: versionOf(page.html) });
    expect(start.status).toBe(409);
    expect(textOf(start.html)).toContain('Рассылку изменили, пока вы её смотрели');
    const row = await c.db.selectFrom('broadcast').select('status').where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.status).toBe('draft');
  });

  it('when the author would approve their own broadcast above the threshold, then the page says so and the POST is 403; a second head approves', async () => {
    await subscribe(c.db, 1001, 'telegram', ['central']);
    const head = await signIn(c, await addPerson(c.db, { name: 'Глава Первый', role: 'head', department: 'mcu' }));
    await head.get('/console/broadcasts/new');
    const created = await head.post('/console/broadcasts', draft({ title: 'Весь Центральный', districts: ['central'] }));
    expect(created.status).toBe(303);
    const id = idFrom(created.headers.get('location'));
    const page = await head.get(`/console/broadcasts/${id}`);
    const text = textOf(page.html);
    expect(text).toContain('Получателей: 1 002');
    expect(text).toContain('только после одобрения второго человека');
    expect(text).toContain('свою рассылку одобрить нельзя');
    expect(text).not.toContain('Одобрить');
    expect(text).not.toContain('Запустить');

    const own = await head.post(`/console/broadcasts/${id}/approve`, { version: versionOf(page.html) });
    expect(own.status).toBe(403);
    expect(textOf(own.html)).toContain('Свою рассылку одобрить нельзя');
    const early = await head.post(`/console/broadcasts/${id}/start`, { version: versionOf(page.html) });
    expect(early.status).toBe(409);
    expect(textOf(early.html)).toContain('сначала рассылку должен одобрить второй человек');
    const row = await c.db
      .selectFrom('broadcast')
      .select(['approved_at', 'status'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ approved_at: null, status: 'draft' });

    const second = await signIn(c, await addPerson(c.db, { name: 'Глава Второй', role: 'head', department: 'mcu' }));
    const seen = await second.get(`/console/broadcasts/${id}`);
    expect(textOf(seen.html)).toContain('Одобрить');
    const approved = await second.post(`/console/broadcasts/${id}/approve`, { version: versionOf(seen.html) });
    expect(approved.status).toBe(303);
    const after = textOf((await head.get(`/console/broadcasts/${id}`)).html);
    expect(after).toContain('Одобрена: Глава Второй');
    expect(after).toContain('Запустить');
    expect((await head.post(`/console/broadcasts/${id}/cancel`, {})).status).toBe(303);
  });

  it('when an official (no broadcast role) signs in, then no «Рассылки» in the menu, the pages and forged POSTs are 403', async () => {
    const official = await signIn(c, await addPerson(c.db, { role: 'official', department: 'housing-utilities' }));
    const cases = await official.get('/console/cases');
    expect(menuOf(cases.html)).not.toContain('Рассылки');
    const before = await countBroadcasts(c.db);
    const [any] = await c.db.selectFrom('broadcast').select('id').where('status', '=', 'draft').limit(1).execute();
    expect((await official.get('/console/broadcasts')).status).toBe(403);
    expect((await official.get('/console/broadcasts/new')).status).toBe(403);
    expect((await official.get(`/console/broadcasts/${any?.id}`)).status).toBe(403);
    expect((await official.get(`/console/broadcasts/${any?.id}/recipients.csv`)).status).toBe(403);
    expect((await official.post('/console/broadcasts', draft())).status).toBe(403);
    expect((await official.post('/console/broadcasts/audience', { kind: 'subscribers' }, hx)).status).toBe(403);
    expect((await official.post(`/console/broadcasts/${any?.id}/start`, {})).status).toBe(403);
    expect((await official.post(`/console/broadcasts/${any?.id}/approve`, {})).status).toBe(403);
    expect(await countBroadcasts(c.db)).toBe(before);
    const still = await c.db.selectFrom('broadcast').select('status').where('id', '=', Number(any?.id)).executeTakeFirstOrThrow();
    expect(still.status).toBe('draft');
  });
});
