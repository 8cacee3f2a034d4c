import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ru } from '../../bots/texts/ru.js';
import { loadDomainConfig } from '../../config/domain.js';
import { deactivate } from '../../handlers/people/invite.js';
import { buildDigest, digestMoments } from '../../handlers/reminders/digest-content.js';
import { digestCron, planMorningDigest } from '../../handlers/reminders/morning-digest.js';
import { type Digest, sendDigest } from '../../handlers/reminders/send-digest.js';
import { ManualClock } from '../../lib/clock.js';
import { WorkingCalendar } from '../../lib/deadlines/index.js';
import type { ChannelPort } from '../../models/outbound.js';
import { createLogger } from '../../src/logger.js';
import { HOURS, local, PRODUCTION } from '../helpers/barnaul-calendar.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { recordingQueue } from '../helpers/jobs.js';
import { seedCase, seedOfficial, seedSource } from '../helpers/rows.js';

describe('the morning digest', () => {
  let testDb: TestDatabase;
  const domain = loadDomainConfig('config/barnaul.yaml');
  const calendar = new WorkingCalendar({ productionCalendar: PRODUCTION, workingHours: HOURS, timeZone: 'Asia/Barnaul' });
  const log = createLogger({ level: 'silent' });
  // Tuesday 1 December 2026, a working day.
  const TUESDAY = '2026-12-01 08:30';
  const people = new Map<string, number>();
  let sourceId = 0;

  const db = () => testDb.handle.db;
  const at = (s: string) => new ManualClock(local(s));
  const planDeps = (clock: ManualClock, jobs = recordingQueue()) => ({ db: db(), clock, jobs, calendar, domain, log });
  const recipientsOf = (jobs: ReturnType<typeof recordingQueue>) =>
    jobs.jobs
      .map((j) => (j.payload as { officialId: number }).officialId)
      .map((id) => [...people].find(([, v]) => v === id)?.[0])
      .sort();
  const recorder = () => {
    const sent: { to: string; digest: Digest }[] = [];
    const send: ChannelPort['send'] = async (to, message) => {
      if (message.kind === 'digest') sent.push({ to: to.chatId, digest: message.digest });
      return { status: 'sent' };
    };
    const edit: ChannelPort['edit'] = async () => ({ status: 'failed', reason: 'no edits in this test' });
    return { sent, send, edit };
  };

  async function addCase(department: string | null, status: string, deadline: string | null, text = 'Яма на дороге') {
    await seedCase(db(), {
      status,
      channel: 'vk',
      source_id: sourceId,
      text,
      department,
      deadline_at: deadline ? local(deadline) : null,
      at: local('2026-11-20 10:00'),
    });
  }

  async function addPerson(telegramUserId: string, role: string, department: string, bind = true) {
    const official = await seedOfficial(db(), {
      name: telegramUserId,
      department,
      role,
      telegram: bind ? telegramUserId : null,
      at: local('2026-11-20 09:00'),
    });
    people.set(telegramUserId, official.id);
    return official.id;
  }

  async function rowsOn(date: string) {
    return db()
      .selectFrom('digest')
      .select(['official_id', 'outcome'])
      .where(sql<string>`local_date::text`, '=', date)
      .orderBy('official_id')
      .execute();
  }

  beforeAll(async () => {
    testDb = await createTestDatabase('digest', { migrate: true });
    sourceId = (await seedSource(db(), { channel: 'vk', external_id: '-1', kind: 'official_community', official: true })).id;
    // roads-transport: two overdue, one due today, one later, one without a deadline, one answered.
    await addCase('roads-transport', 'in_progress', '2026-11-30 17:00', 'Просрочено вчера');
    await addCase('roads-transport', 'assigned', '2026-12-03 17:00', 'Срок в четверг');
    await addCase('roads-transport', 'assigned', null, 'Без срока');
    await addCase('roads-transport', 'reopened', '2026-12-01 15:00', 'Срок сегодня');
    await addCase('roads-transport', 'assigned', '2026-11-27 10:00', 'Просрочено давно');
    await addCase('roads-transport', 'answered', '2026-11-25 10:00', 'Уже отвечено');
    await addCase('housing-utilities', 'assigned', '2026-11-30 12:00', 'Нет отопления');
    await addCase(null, 'triage', null, 'Непонятно куда');

    await addPerson('101', 'official', 'roads-transport');
    await addPerson('102', 'department_head', 'roads-transport');
    await addPerson('103', 'official', 'education'); // nothing open in education
    await addPerson('104', 'curator', 'mcu');
    await addPerson('105', 'operator', 'mcu');
    await addPerson('106', 'official', 'roads-transport', false); // invited, never bound
    const gone = await addPerson('107', 'official', 'roads-transport');
    await deactivate({ db: db(), clock: at('2026-11-25 09:00') }, { officialId: gone, actor: { type: 'api', author: 'test' } });
  });
  afterAll(async () => testDb.drop());

  it('when it runs on a working day, then every active bound person with something open gets one digest, nobody else', async () => {
    const jobs = recordingQueue();
    const outcome = await planMorningDigest(planDeps(at(TUESDAY), jobs));
    expect(outcome).toEqual({ status: 'planned', date: '2026-12-01', planned: 4 });
    // 103 has nothing open; 106 never bound a messenger; 107 was deactivated.
    expect(recipientsOf(jobs)).toEqual(['101', '102', '104', '105']);
    expect(jobs.jobs.every((j) => j.name === 'send-digest')).toBe(true);
    expect(jobs.jobs[0]?.payload).toMatchObject({ localDate: '2026-12-01' });
    expect(await rowsOn('2026-12-01')).toHaveLength(4);
  });

  it('when the job runs again or on two instances at once, then each person still gets one digest that day', async () => {
    const again = recordingQueue();
    expect(await planMorningDigest(planDeps(at('2026-12-01 09:10'), again))).toMatchObject({ planned: 0 });
    expect(again.jobs).toEqual([]);

    const [a, b] = [recordingQueue(), recordingQueue()];
    const wednesday = at('2026-12-02 08:30');
    const outcomes = await Promise.all([planMorningDigest(planDeps(wednesday, a)), planMorningDigest(planDeps(wednesday, b))]);
    expect(outcomes.map((o) => (o.status === 'planned' ? o.planned : -1)).sort()).toEqual([0, 4]);
    expect(recipientsOf({ ...a, jobs: [...a.jobs, ...b.jobs] })).toEqual(['101', '102', '104', '105']);
    expect(await rowsOn('2026-12-02')).toHaveLength(4);
  });

  it.each([
    ['a holiday (5 January)', '2026-01-05 08:30', '2026-01-05'],
    ['a Saturday', '2026-12-05 08:30', '2026-12-05'],
    ['a Sunday', '2026-12-06 08:30', '2026-12-06'],
  ])('when it is %s, then nobody gets anything', async (_what, moment, date) => {
    const jobs = recordingQueue();
    expect(await planMorningDigest(planDeps(at(moment), jobs))).toEqual({ status: 'day_off', date });
    expect(jobs.jobs).toEqual([]);
    expect(await rowsOn(date)).toEqual([]);
  });

  it('when the job only gets to run in the quiet hours, then it is dropped for the day', async () => {
    const jobs = recordingQueue();
    expect(await planMorningDigest(planDeps(at('2026-12-03 22:15'), jobs))).toEqual({ status: 'late', date: '2026-12-03' });
    expect(jobs.jobs).toEqual([]);
  });

  it("when an official's digest is sent, then it lists overdue first, then due today, then the rest, with counts", async () => {
    const notifier = recorder();
    const deps = { db: db(), clock: at('2026-12-01 08:31'), calendar, domain, log, outbound: notifier };
    const payload = { officialId: people.get('101') as number, localDate: '2026-12-01' };
    expect(await sendDigest(deps, payload)).toBe('sent');
    const [message] = notifier.sent;
    expect(message?.to).toBe('101');
    const department = message?.digest.department;
    expect(department).toMatchObject({ open: 5, overdue: 2, dueToday: 1 });
    expect(department?.cases.map((c) => [c.due, c.text])).toEqual([
      ['overdue', 'Просрочено давно'],
      ['overdue', 'Просрочено вчера'],
      ['today', 'Срок сегодня'],
      ['later', 'Срок в четверг'],
      ['later', 'Без срока'],
    ]);
    expect(message?.digest.city).toBeUndefined();
    const text = ru.morningDigest(message?.digest as Digest, domain.city);
    expect(text).toContain('Сводка на 01.12.2026');
    expect(text).toContain('открытых обращений — 5 (просрочено: 2, срок сегодня: 1)');
    const order = ['⏰ Просрочено:', 'Просрочено давно', '📅 Срок сегодня:', 'Срок сегодня', 'Остальные:', 'Без срока'];
    const positions = order.map((s) => text.indexOf(s));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((x, y) => x - y)).toEqual(positions);
    // A duplicate job (or a retry after the send) sends nothing more.
    expect(await sendDigest(deps, payload)).toBe('already');
    expect(notifier.sent).toHaveLength(1);
  });

  it('when a curator and an operator get theirs, then the curator sees the city by department and the operator the triage queue', async () => {
    const notifier = recorder();
    const deps = { db: db(), clock: at('2026-12-01 08:32'), calendar, domain, log, outbound: notifier };
    expect(await sendDigest(deps, { officialId: people.get('104') as number, localDate: '2026-12-01' })).toBe('sent');
    expect(await sendDigest(deps, { officialId: people.get('105') as number, localDate: '2026-12-01' })).toBe('sent');
    const [curator, operator] = notifier.sent.map((s) => s.digest);
    expect(curator?.city).toMatchObject({ open: 6, overdue: 3, more: 0 });
    expect(curator?.city?.departments.map((d) => [d.open, d.overdue])).toEqual([
      [5, 2],
      [1, 1],
    ]);
    expect(curator?.department).toBeUndefined();
    expect(curator?.triage).toBeUndefined();
    expect(operator).toMatchObject({ triage: 1 });
    expect(operator?.city).toBeUndefined();
    expect(ru.morningDigest(operator as Digest, domain.city)).toContain('Ждут распределения: 1');
  });

  it('when the official blocked the bot, then the digest is recorded as blocked and not retried', async () => {
    const blocked: ChannelPort = {
      send: async () => ({ status: 'blocked', reason: 'Forbidden: bot was blocked by the user' }),
      edit: async () => ({ status: 'failed', reason: 'no edits in this test' }),
    };
    const deps = { db: db(), clock: at('2026-12-01 08:33'), calendar, domain, log, outbound: blocked };
    const payload = { officialId: people.get('102') as number, localDate: '2026-12-01' };
    expect(await sendDigest(deps, payload)).toBe('blocked');
    expect(await sendDigest(deps, payload)).toBe('already');
    expect((await rowsOn('2026-12-01')).find((r) => r.official_id === payload.officialId)?.outcome).toBe('blocked');
  });

  it('when a person is deactivated after the digest was planned, then nothing is sent', async () => {
    const notifier = recorder();
    const officialId = people.get('101') as number;
    await deactivate({ db: db(), clock: at('2026-12-02 08:31') }, { officialId, actor: { type: 'api', author: 'test' } });
    const deps = { db: db(), clock: at('2026-12-02 08:32'), calendar, domain, log, outbound: notifier };
    expect(await sendDigest(deps, { officialId, localDate: '2026-12-02' })).toBe('skipped');
    expect(notifier.sent).toEqual([]);
    expect((await rowsOn('2026-12-02')).find((r) => r.official_id === officialId)?.outcome).toBe('skipped:inactive');
    // …and the next working day's plan leaves them out, and 102 too: they blocked the bot on the only
    // messenger they bound (above), which is not written to again until they bind it anew.
    const jobs = recordingQueue();
    await planMorningDigest(planDeps(at('2026-12-03 08:30'), jobs));
    expect(recipientsOf(jobs)).toEqual(['104', '105']);
  });

  it('when a send job is retried into the next day, then the stale digest is dropped', async () => {
    const notifier = recorder();
    const deps = { db: db(), clock: at('2026-12-03 08:31'), calendar, domain, log, outbound: notifier };
    expect(await sendDigest(deps, { officialId: people.get('102') as number, localDate: '2026-12-02' })).toBe('skipped');
    expect(notifier.sent).toEqual([]);
  });

  it('when a department has more open cases than fit, then the list stops at 20 lines with «и ещё N»', async () => {
    for (let i = 0; i < 23; i++)
      await addCase('education', 'assigned', `2026-12-${String(10 + (i % 10)).padStart(2, '0')} 10:00`);
    const moments = digestMoments(calendar, local('2026-12-04 08:30'));
    const digest = await buildDigest({ db: db(), domain }, { role: 'official', department: 'education' }, moments);
    expect(digest.department?.open).toBe(23);
    expect(digest.department?.cases).toHaveLength(20);
    expect(ru.morningDigest(digest, domain.city)).toContain('…и ещё 3.');
  });

  it('when the time is configured, then the cron fires at it every day', () => {
    expect(digestCron('08:30')).toBe('30 8 * * *');
    expect(digestCron(domain.sla.digest.at)).toBe('30 8 * * *');
  });
});
