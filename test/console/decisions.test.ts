import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedAnswer, seedCase } from '../helpers/rows.js';
import { addPerson, type ConsoleApp, signIn, startConsoleApp, textOf } from './harness.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** «Решения»: held answers and extension requests, decided once, by the operators only. */
describe('console: held answers and extension requests', () => {
  let c: ConsoleApp;
  let author: { id: number };

  beforeAll(async () => {
    c = await startConsoleApp('console_decisions');
    author = await addPerson(c.db, { name: 'Пётр Исполнителев', role: 'official', department: 'housing-utilities' });
  });
  afterAll(async () => {
    await c?.stop();
  });

  async function heldAnswer(text = 'Принято к сведению.') {
    const kase = await seedCase(c.db, { department: 'housing-utilities', deadline_at: new Date(Date.now() + DAY) });
    const answer = await seedAnswer(c.db, {
      case_id: kase.id,
      state: 'held',
      text,
      author: `official:${author.id}`,
      quality: JSON.stringify({ ok: false, problems: ['too_short', 'stock_phrase'], stockPhrases: ['принято к сведению'] }),
    });
    return { kase, answer };
  }

  async function extensionRequest() {
    const deadline = new Date(Date.now() + DAY);
    const kase = await seedCase(c.db, {
      department: 'housing-utilities',
      status: 'in_progress',
      deadline_at: deadline,
      latest_deadline_at: new Date(deadline.getTime() + 10 * DAY),
    });
    const row = await c.db
      .insertInto('extension_request')
      .values({
        case_id: kase.id,
        requested_by: `official:${author.id}`,
        reason: 'Нужен подрядчик для замены стояка',
        previous_deadline_at: deadline,
        requested_until: new Date(deadline.getTime() + 5 * DAY),
        created_at: new Date(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { kase, id: row.id, deadline };
  }

  const answerState = async (id: number) =>
    c.db.selectFrom('answer').select(['state', 'reviewed_by', 'error']).where('id', '=', id).executeTakeFirstOrThrow();

  it('when an operator opens the page, then held answers show with why they were held, and extension requests with their reason', async () => {
    const { kase, answer } = await heldAnswer('Ваше обращение принято к сведению.');
    const ext = await extensionRequest();
    const client = await signIn(c, await addPerson(c.db, { role: 'operator', department: 'mcu' }));
    const page = await client.get('/console/decisions');
    expect(page.status).toBe(200);
    const text = textOf(page.html);
    expect(text).toContain(kase.number);
    expect(text).toContain('Ваше обращение принято к сведению.');
    expect(text).toContain('слишком короткий; шаблонные фразы');
    expect(text).toContain('Пётр Исполнителев');
    expect(text).toContain('Нужен подрядчик для замены стояка');
    expect(page.html).toContain(`action="/console/decisions/answers/${answer.id}"`);
    expect(page.html).toContain(`action="/console/decisions/extensions/${ext.id}"`);
    expect(text).toContain('Одобрить и отправить');
    expect(page.html).toMatch(/<label for="c-answer-\d+">Комментарий/);
  });

  it('when a role that may not decide opens the page or forges a decision, then 403 and nothing changes', async () => {
    const { answer } = await heldAnswer();
    const ext = await extensionRequest();
    const curator = await signIn(c, await addPerson(c.db, { role: 'curator', department: 'mcu' }));
    const cases = await curator.get('/console/cases');
    expect(cases.status).toBe(200);
    expect(textOf(/<nav aria-label="Разделы">[\s\S]*?<\/nav>/.exec(cases.html)?.[0] ?? '')).not.toContain('Решения');
    expect((await curator.get('/console/decisions')).status).toBe(403);
    expect((await curator.post(`/console/decisions/answers/${answer.id}`, { decision: 'approve' })).status).toBe(403);
    expect((await curator.post(`/console/decisions/extensions/${ext.id}`, { decision: 'approve' })).status).toBe(403);
    expect((await answerState(answer.id)).state).toBe('held');
    const request = await c.db.selectFrom('extension_request').select('state').where('id', '=', ext.id).executeTakeFirstOrThrow();
    expect(request.state).toBe('pending');
  });

  it('when two operators decide the same held answer, then the first decision stands and the second is told it was already decided', async () => {
    const { answer } = await heldAnswer();
    const anna = await addPerson(c.db, { name: 'Анна Первая', role: 'operator', department: 'mcu' });
    const first = await signIn(c, anna);
    const second = await signIn(c, await addPerson(c.db, { name: 'Борис Второй', role: 'operator', department: 'mcu' }));
    await first.get('/console/decisions');
    await second.get('/console/decisions');

    const approved = await first.post(`/console/decisions/answers/${answer.id}`, { decision: 'approve' });
    expect(approved.status).toBe(303);
    const after = await first.get(approved.headers.get('location') as string);
    expect(textOf(after.html)).toContain('Ответ одобрен и отправлен гражданину');
    const decided = await answerState(answer.id);
    expect(decided.state).not.toBe('held');
    expect(decided.reviewed_by).toBe(`official:${anna.id}`);

    const late = await second.post(`/console/decisions/answers/${answer.id}`, { decision: 'reject', comment: 'Переписать' });
    expect(late.status).toBe(409);
    expect(textOf(late.html)).toContain('уже рассмотрен другим сотрудником (Анна Первая)');
    expect(textOf(late.html)).toContain('ничего не перезаписано');
    const still = await answerState(answer.id);
    expect(still.state).not.toBe('rejected');
    expect(still.reviewed_by).toBe(`official:${anna.id}`);
  });

  it('when an extension is rejected and then approved by someone else, then the rejection stands and the deadline does not move', async () => {
    const ext = await extensionRequest();
    const first = await signIn(c, await addPerson(c.db, { name: 'Вера Отказова', role: 'operator', department: 'mcu' }));
    const second = await signIn(c, await addPerson(c.db, { role: 'head', department: 'mcu' }));
    await first.get('/console/decisions');
    await second.get('/console/decisions');
    const rejected = await first.post(`/console/decisions/extensions/${ext.id}`, {
      decision: 'reject',
      comment: 'Срок достаточен',
    });
    expect(rejected.status).toBe(303);
    const late = await second.post(`/console/decisions/extensions/${ext.id}`, { decision: 'approve' });
    expect(late.status).toBe(409);
    expect(textOf(late.html)).toContain('Этот запрос на продление уже рассмотрен другим сотрудником (Вера Отказова)');
    expect(textOf(late.html)).toContain('отклонён');
    const row = await c.db
      .selectFrom('extension_request')
      .select(['state', 'decision_comment'])
      .where('id', '=', ext.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ state: 'rejected', decision_comment: 'Срок достаточен' });
    const kase = await c.db.selectFrom('case').select('deadline_at').where('id', '=', ext.kase.id).executeTakeFirstOrThrow();
    expect(kase.deadline_at?.getTime()).toBe(ext.deadline.getTime());
  });

  it('when an extension is approved, then the case gets the requested deadline and the request leaves the page', async () => {
    const ext = await extensionRequest();
    const client = await signIn(c, await addPerson(c.db, { role: 'operator', department: 'mcu' }));
    await client.get('/console/decisions');
    const done = await client.post(`/console/decisions/extensions/${ext.id}`, { decision: 'approve' });
    expect(done.status).toBe(303);
    const page = await client.get(done.headers.get('location') as string);
    expect(textOf(page.html)).toContain(`Продление одобрено: срок перенесён, гражданин уведомлён (${ext.kase.number})`);
    expect(page.html).not.toContain(`action="/console/decisions/extensions/${ext.id}"`);
    const kase = await c.db.selectFrom('case').select('deadline_at').where('id', '=', ext.kase.id).executeTakeFirstOrThrow();
    expect(kase.deadline_at?.getTime()).toBe(ext.deadline.getTime() + 5 * DAY);
  });

  it('when a comment is too long or no decision is chosen, then 400 with the field marked and nothing decided', async () => {
    const { answer } = await heldAnswer();
    const client = await signIn(c, await addPerson(c.db, { role: 'operator', department: 'mcu' }));
    await client.get('/console/decisions');
    const long = await client.post(`/console/decisions/answers/${answer.id}`, { decision: 'reject', comment: 'я'.repeat(1001) });
    expect(long.status).toBe(400);
    expect(long.html).toContain(`id="c-answer-${answer.id}" name="comment" rows="2" maxlength="1000" aria-invalid="true"`);
    expect(textOf(long.html)).toContain('Не больше 1000 символов');
    const none = await client.post(`/console/decisions/answers/${answer.id}`, { comment: 'без решения' });
    expect(none.status).toBe(400);
    expect(textOf(none.html)).toContain('Выберите: одобрить или отклонить.');
    expect((await answerState(answer.id)).state).toBe('held');
  });
});
