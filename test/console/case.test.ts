import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAudit } from '../../models/audit-repository.js';
import { QUEUE_SCHEMA } from '../../src/jobs/queue.js';
import { seedAnswer, seedCase, seedMessage, seedSource } from '../helpers/rows.js';
import { addPerson, type ConsoleApp, type ConsoleClient, signIn, startConsoleApp, textOf } from './harness.js';

/** The case card in the web console: what it shows, its actions through the real use cases, who may do what. */
describe('console case card', () => {
  let c: ConsoleApp;
  let housing: Awaited<ReturnType<typeof addPerson>>;
  let roads: Awaited<ReturnType<typeof addPerson>>;
  let operator: Awaited<ReturnType<typeof addPerson>>;
  const HOUR = 3_600_000;
  const GOOD_ANSWER =
    'Течь в подвале устранена 14.12 бригадой МУП «Водоканал», давление восстановлено. Ответственный мастер Петров И. И.';

  beforeAll(async () => {
    c = await startConsoleApp('console_case');
    housing = await addPerson(c.db, { name: 'Ирина Жилкомова', role: 'official', department: 'housing-utilities' });
    roads = await addPerson(c.db, { name: 'Олег Дорожный', role: 'official', department: 'roads-transport' });
    operator = await addPerson(c.db, { name: 'Анна Операторова', role: 'operator', department: 'mcu' });
  });
  afterAll(async () => {
    await c?.stop();
  });

  /** A case of the housing department from a citizen's private Telegram chat, with a message that has a photo. */
  async function newCase(over: { status?: string; department?: string } = {}) {
    const now = Date.now();
    const source = await seedSource(c.db, { channel: 'telegram', external_id: `chat-${now}-${Math.random()}` });
    const row = await seedCase(c.db, {
      channel: 'telegram',
      source_id: source.id,
      status: over.status ?? 'assigned',
      department: over.department ?? 'housing-utilities',
      category: 'cold-water',
      district: 'central',
      district_reason: 'street: ул. Ленина',
      category_rule: 'keyword:нет воды',
      text: 'Нет холодной воды в доме на Ленина, 10',
      first_response_due_at: new Date(now + 24 * HOUR),
      deadline_at: new Date(now + 72 * HOUR),
      latest_deadline_at: new Date(now + 240 * HOUR),
      regime: 'social',
      at: new Date(now - HOUR),
    });
    await seedMessage(c.db, {
      case_id: row.id,
      text: 'Нет холодной воды в доме на Ленина, 10',
      platform_ids: JSON.stringify({ chat_id: 4242, message_id: 7 }),
      attachments: JSON.stringify([{ type: 'photo', name: 'подвал.jpg', size: 40_960 }]),
      processed_at: new Date(now - HOUR),
      at: new Date(now - HOUR),
    });
    await appendAudit(c.db, {
      actor: { type: 'system' },
      action: 'case_opened',
      entity: 'case',
      entityId: row.id,
      details: { number: row.number },
    });
    return row;
  }

  const pageOf = (number: string) => `/console/cases/${encodeURIComponent(number)}`;
  const versionOf = (html: string) => /name="version" value="([^"]+)"/.exec(html)?.[1] ?? '';

  async function open(client: ConsoleClient, number: string) {
    const page = await client.get(pageOf(number));
    expect(page.status).toBe(200);
    return { page, version: versionOf(page.html) };
  }

  async function caseRow(id: number) {
    return c.db
      .selectFrom('case')
      .select(['status', 'department', 'assignee_id', 'merged_into', 'paused_at'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
  }
  const answersOf = (caseId: number) =>
    c.db.selectFrom('answer').select(['id', 'state', 'kind', 'text']).where('case_id', '=', caseId).orderBy('id').execute();

  it('when a case’s deadline was counted on the Labour Code fallback, then «Сроки» says which calendar year is missing', async () => {
    const plain = await newCase();
    const provisional = await newCase();
    await c.db
      .updateTable('case')
      .set({ deadline_at: new Date('2028-01-20T10:00:00Z'), latest_deadline_at: null, deadline_provisional: true })
      .where('id', '=', provisional.id)
      .execute();
    const client = await signIn(c, housing);
    const marked = await open(client, provisional.number);
    expect(textOf(marked.page.html)).toContain(
      'Срок предварительный: производственный календарь на 2028 год не загружен. Срок посчитан только по праздникам ст. 112 ТК РФ, без переносов выходных.',
    );
    expect((await open(client, plain.number)).page.html).not.toContain('deadline-provisional');
  });

  it('when an official of the department opens a case, then the header, deadlines in working hours, thread with attachments, answers with verdicts and the audit trail are shown', async () => {
    const row = await newCase();
    await seedMessage(c.db, { case_id: row.id, text: 'Воды нет уже второй день', processed_at: new Date() });
    await seedAnswer(c.db, {
      case_id: row.id,
      kind: 'interim',
      text: 'Принято к сведению',
      author: `official:${housing.id}`,
      quality: JSON.stringify({ ok: false, problems: ['too_short', 'no_specifics'], stockPhrases: ['принято к сведению'] }),
      state: 'held',
    });
    await appendAudit(c.db, {
      actor: { type: 'official', officialId: housing.id },
      action: 'status_changed',
      entity: 'case',
      entityId: row.id,
      details: { from: 'assigned', to: 'in_progress' },
    });
    const client = await signIn(c, housing);
    const { page } = await open(client, row.number);
    const text = textOf(page.html);
    expect(text).toContain(`Обращение ${row.number}`);
    expect(text).toContain('Передано исполнителю');
    expect(text).toContain('Холодное водоснабжение');
    expect(text).toContain('Центральный район');
    expect(text).toMatch(/Окончательный ответ \S+, \S+ осталось \d+ ч \d+ мин рабочего времени/);
    expect(text).toContain('Нет холодной воды в доме на Ленина, 10');
    expect(text).toContain('Воды нет уже второй день');
    expect(text).toContain('фото «подвал.jpg», 40 КБ');
    expect(text).toContain('задержан на проверку МЦУ');
    expect(text).toContain('похоже на отписку — слишком коротко, нет конкретного действия, срока или ответственного');
    expect(text).toContain('Обращение зарегистрировано');
    expect(text).toMatch(/Ирина Жилкомова Статус изменён Передано исполнителю → В работе/);
    expect(text).toContain('street: ул. Ленина');
    // The numeric id opens the same case.
    expect(textOf((await client.get(`/console/cases/${row.id}`)).html)).toContain(row.number);
  });

  it('when an official of the department takes the case and answers it, then the case moves, the answer is saved and its delivery queued', async () => {
    const row = await newCase();
    const client = await signIn(c, housing);
    let { version } = await open(client, row.number);
    const taken = await client.post(`${pageOf(row.number)}/take`, { version });
    expect(taken.status).toBe(303);
    expect(taken.headers.get('location')).toBe(`${pageOf(row.number)}?done=taken`);
    expect(await caseRow(row.id)).toMatchObject({ status: 'in_progress', assignee_id: housing.id });
    const after = await client.get(taken.headers.get('location') ?? '');
    expect(textOf(after.html)).toContain('Обращение взято в работу.');
    expect(after.html).toMatch(/<p class="ok" role="status">/);

    version = versionOf(after.html);
    const answered = await client.post(`${pageOf(row.number)}/answer`, { version, text: GOOD_ANSWER, kind: 'final' });
    expect(answered.status).toBe(303);
    expect(answered.headers.get('location')).toBe(`${pageOf(row.number)}?done=answered`);
    const [answer] = await answersOf(row.id);
    expect(answer).toMatchObject({ kind: 'final', text: GOOD_ANSWER });
    expect((await caseRow(row.id)).status).toBe('answered');
    const jobs = await sql<{ n: number }>`
      select count(*)::int as n from ${sql.table(`${QUEUE_SCHEMA}.job`)}
      where name = 'deliver-answer' and (data->>'answerId')::int = ${answer?.id ?? 0}`.execute(c.db);
    expect(jobs.rows[0]?.n).toBe(1);
    const shown = textOf((await client.get(`${pageOf(row.number)}?done=answered`)).html);
    expect(shown).toContain('Ответ отправлен жителю.');
    expect(shown).toContain('проверка: ответ по существу');
  });

  it('when an answer looks like an «отписка», then it comes back with the verdict, and sent as it is it is held for the МЦУ and the page says so', async () => {
    const row = await newCase();
    const client = await signIn(c, housing);
    const { version } = await open(client, row.number);
    const back = await client.post(`${pageOf(row.number)}/answer`, { version, text: 'Принято к сведению.', kind: 'final' });
    expect(back.status).toBe(422);
    expect(textOf(back.html)).toContain('Похоже на отписку: слишком коротко, шаблонные фразы');
    expect(back.html).toContain('Принято к сведению.</textarea>');
    expect(back.html).toMatch(/<input type="checkbox" name="force" value="1">/);
    expect(await answersOf(row.id)).toEqual([]);

    const held = await client.post(`${pageOf(row.number)}/answer`, {
      version: versionOf(back.html),
      text: 'Принято к сведению.',
      kind: 'final',
      force: '1',
    });
    expect(held.status).toBe(303);
    expect(held.headers.get('location')).toBe(`${pageOf(row.number)}?done=held`);
    const [answer] = await answersOf(row.id);
    expect(answer?.state).toBe('held');
    expect((await caseRow(row.id)).status).toBe('assigned');
    const page = textOf((await client.get(held.headers.get('location') ?? '')).html);
    expect(page).toContain('задержан на проверку МЦУ: житель его пока не получит');
    const jobs = await sql<{ n: number }>`
      select count(*)::int as n from ${sql.table(`${QUEUE_SCHEMA}.job`)}
      where name = 'deliver-answer' and (data->>'answerId')::int = ${answer?.id ?? 0}`.execute(c.db);
    expect(jobs.rows[0]?.n).toBe(0);
  });

  it('when a draft is typed, then the gate fragment gives the verdict and nothing is saved', async () => {
    const row = await newCase();
    const client = await signIn(c, housing);
    await open(client, row.number);
    const htmx = { headers: { 'hx-request': 'true' } };
    const weak = await client.post(`${pageOf(row.number)}/gate`, { text: 'Рассмотрено в установленном порядке' }, htmx);
    expect(weak.status).toBe(200);
    expect(weak.html).not.toContain('<html');
    expect(textOf(weak.html)).toContain('Похоже на отписку: слишком коротко, шаблонные фразы, нет конкретного действия');
    const good = await client.post(`${pageOf(row.number)}/gate`, { text: GOOD_ANSWER }, htmx);
    expect(textOf(good.html)).toContain('Ответ по существу');
    expect(await answersOf(row.id)).toEqual([]);
    // The page wires the textarea to the gate and the verdict box is a live status.
    const { page } = await open(client, row.number);
    expect(page.html).toMatch(
      /hx-post="\/console\/cases\/[^"]+\/gate" hx-trigger="keyup changed delay:500ms" hx-target="#gate-verdict"/,
    );
    expect(page.html).toMatch(/id="gate-verdict" class="gate" role="status"/);
  });

  it('when an official of another department opens the case or forges its actions, then 403 and nothing changes', async () => {
    const row = await newCase();
    const client = await signIn(c, roads);
    expect((await client.get('/console/cases')).status).toBe(200);
    const page = await client.get(pageOf(row.number));
    expect(page.status).toBe(403);
    expect(textOf(page.html)).toContain('Нет доступа');
    const version = new Date().toISOString();
    expect((await client.post(`${pageOf(row.number)}/take`, { version })).status).toBe(403);
    expect((await client.post(`${pageOf(row.number)}/answer`, { version, text: GOOD_ANSWER, kind: 'final' })).status).toBe(403);
    expect((await client.post(`${pageOf(row.number)}/gate`, { text: 'x' })).status).toBe(403);
    expect(await caseRow(row.id)).toMatchObject({ status: 'assigned', assignee_id: null });
    expect(await answersOf(row.id)).toEqual([]);
  });

  it('when an official opens a case, then there are no merge or reassign forms, and a forged merge or reassign is 403', async () => {
    const row = await newCase();
    const main = await newCase();
    const client = await signIn(c, housing);
    const { page, version } = await open(client, row.number);
    for (const action of ['take', 'answer', 'extension', 'question', 'return'])
      expect(page.html).toContain(`${pageOf(row.number)}/${action}"`);
    expect(page.html).not.toContain('/merge"');
    expect(page.html).not.toContain('/assign"');
    expect(textOf(page.html)).not.toContain('Объединить');
    expect((await client.post(`${pageOf(row.number)}/merge`, { version, into: main.number })).status).toBe(403);
    expect((await client.post(`${pageOf(row.number)}/assign`, { version, department: 'roads-transport' })).status).toBe(403);
    expect(await caseRow(row.id)).toMatchObject({ merged_into: null, department: 'housing-utilities' });

    const op = await signIn(c, operator);
    const seen = await open(op, row.number);
    expect(seen.page.html).toContain(`${pageOf(row.number)}/merge"`);
    expect(seen.page.html).toContain(`${pageOf(row.number)}/assign"`);
  });

  it('when a form is filled wrong, then 400 with the field marked and nothing saved', async () => {
    const row = await newCase();
    const client = await signIn(c, housing);
    const { version } = await open(client, row.number);
    const empty = await client.post(`${pageOf(row.number)}/answer`, { version, text: '   ', kind: 'final' });
    expect(empty.status).toBe(400);
    expect(empty.html).toMatch(/id="answer-text"[^>]*aria-describedby="gate-verdict e-answer-text" aria-invalid="true"/);
    expect(textOf(empty.html)).toContain('Заполните поле.');
    const short = await client.post(`${pageOf(row.number)}/return`, { version, reason: 'не' });
    expect(short.status).toBe(400);
    expect(short.html).toMatch(/id="return-reason"[^>]*aria-invalid="true" aria-describedby="e-return-reason"/);
    expect(short.html).toMatch(/<details class="card" open>\s*<summary>Не наше/);
    expect(textOf(short.html)).toContain('Причина — не короче 3 символов.');
    expect(await answersOf(row.id)).toEqual([]);
    expect(await caseRow(row.id)).toMatchObject({ status: 'assigned', department: 'housing-utilities' });

    const op = await signIn(c, operator);
    const opened = await open(op, row.number);
    const nowhere = await op.post(`${pageOf(row.number)}/assign`, { version: opened.version, department: 'nowhere' });
    expect(nowhere.status).toBe(400);
    expect(nowhere.html).toMatch(/id="assign-department"[^>]*aria-invalid="true"/);
    expect(textOf(nowhere.html)).toContain('Такого подразделения нет.');
    const missing = await op.post(`${pageOf(row.number)}/merge`, { version: opened.version, into: 'МЦУ-2099-999999' });
    expect(missing.status).toBe(400);
    expect(missing.html).toMatch(/id="merge-into"[^>]*aria-invalid="true"/);
    expect(textOf(missing.html)).toContain('Обращения с таким номером нет.');
    expect(await caseRow(row.id)).toMatchObject({ status: 'assigned', department: 'housing-utilities', merged_into: null });
  });

  it('when the case changed after the page was shown, then the action says so with 409 and saves nothing', async () => {
    const row = await newCase();
    const client = await signIn(c, housing);
    const { version } = await open(client, row.number);
    // Someone else acts meanwhile (a colleague in the bot): the case's version moves on.
    await c.db
      .updateTable('case')
      .set({ updated_at: new Date(Date.now() + 1000) })
      .where('id', '=', row.id)
      .execute();
    const stale = await client.post(`${pageOf(row.number)}/answer`, { version, text: GOOD_ANSWER, kind: 'final' });
    expect(stale.status).toBe(409);
    expect(textOf(stale.html)).toContain('Обращение изменилось, пока вы его смотрели');
    expect(stale.html).toContain(`${GOOD_ANSWER}</textarea>`);
    expect(await answersOf(row.id)).toEqual([]);
    expect((await client.post(`${pageOf(row.number)}/take`, { version })).status).toBe(409);
    expect((await caseRow(row.id)).status).toBe('assigned');
  });

  it('when an official asks the citizen, asks for more time and returns a case, then each is done and the page or a result page says so', async () => {
    const row = await newCase();
    const client = await signIn(c, housing);
    let { version } = await open(client, row.number);
    const asked = await client.post(`${pageOf(row.number)}/question`, { version, text: 'Уточните номер подъезда, пожалуйста.' });
    expect(asked.headers.get('location')).toBe(`${pageOf(row.number)}?done=asked`);
    expect((await caseRow(row.id)).paused_at).not.toBeNull();
    const afterAsk = await client.get(asked.headers.get('location') ?? '');
    expect(textOf(afterAsk.html)).toContain('Вопрос жителю');
    expect(textOf(afterAsk.html)).toContain('Уточните номер подъезда, пожалуйста.');
    expect(textOf(afterAsk.html)).toContain('(часы остановлены)');

    version = versionOf(afterAsk.html);
    const extended = await client.post(`${pageOf(row.number)}/extension`, { version, reason: 'Нужна техника подрядчика' });
    expect(extended.headers.get('location')).toBe(`${pageOf(row.number)}?done=extension`);
    const pending = await c.db.selectFrom('extension_request').select('state').where('case_id', '=', row.id).execute();
    expect(pending).toEqual([{ state: 'pending' }]);
    const afterExtension = await client.get(extended.headers.get('location') ?? '');
    expect(textOf(afterExtension.html)).toContain('ждёт решения МЦУ');
    expect(afterExtension.html).not.toContain('/extension"');

    version = versionOf(afterExtension.html);
    const returned = await client.post(`${pageOf(row.number)}/return`, { version, reason: 'Это колодец ливневой канализации' });
    expect(returned.headers.get('location')).toBe(`${pageOf(row.number)}/returned`);
    expect(await caseRow(row.id)).toMatchObject({ status: 'triage', department: null });
    expect(textOf((await client.get(returned.headers.get('location') ?? '')).html)).toContain('возвращено на распределение');
    expect((await client.get(pageOf(row.number))).status).toBe(403);
  });

  it('when an operator reassigns a case and merges a duplicate, then both are done through the use cases', async () => {
    const row = await newCase();
    const main = await newCase();
    const op = await signIn(c, operator);
    let { version } = await open(op, row.number);
    const assigned = await op.post(`${pageOf(row.number)}/assign`, { version, official: String(roads.id) });
    expect(assigned.headers.get('location')).toBe(`${pageOf(row.number)}?done=assigned`);
    expect(await caseRow(row.id)).toMatchObject({ department: 'roads-transport', assignee_id: roads.id });

    version = versionOf((await op.get(pageOf(row.number))).html);
    const merged = await op.post(`${pageOf(row.number)}/merge`, { version, into: main.number.toLowerCase() });
    expect(merged.headers.get('location')).toBe(`${pageOf(row.number)}?done=merged`);
    expect(await caseRow(row.id)).toMatchObject({ status: 'closed', merged_into: main.id });
    const page = textOf((await op.get(pageOf(row.number))).html);
    expect(page).toContain(`Объединено с обращением ${main.number}`);
    expect(page).toContain('В этом статусе действий с обращением нет.');
  });
});
