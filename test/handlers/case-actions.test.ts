import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDomainConfig } from '../../config/domain.js';
import { answerCase } from '../../handlers/answers/answer-case.js';
import { forceDraft, startAnswer, submitOfficialText } from '../../handlers/answers/official-answer.js';
import type { CaseActionDeps } from '../../handlers/cases/deps.js';
import { decideExtension, requestExtension } from '../../handlers/cases/extension.js';
import { mergeCases } from '../../handlers/cases/merge.js';
import { askCitizen, resumeCase } from '../../handlers/cases/pause.js';
import { assignCase, returnToTriage } from '../../handlers/cases/reassign.js';
import { departmentRanking } from '../../handlers/cases/stats.js';
import { assignCommand, decideExtensionAs, reviewHeldAs, statsCommand } from '../../handlers/commands/case-commands.js';
import { planReminders, remind } from '../../handlers/reminders/reminders.js';
import { correctCategory } from '../../handlers/structuring/correct-category.js';
import { ManualClock } from '../../lib/clock.js';
import { extendForPause, WorkingCalendar } from '../../lib/deadlines/index.js';
import { inTransaction } from '../../models/database.js';
import type { StaffAccount } from '../../models/staff-account.js';
import { createLogger } from '../../src/logger.js';
import { HOURS, local, PRODUCTION } from '../helpers/barnaul-calendar.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { recordingQueue } from '../helpers/jobs.js';
import { seedAnswer, seedCase, seedMessage, seedOfficial, seedPoll, seedSource } from '../helpers/rows.js';

describe('case actions: extensions, held answers, re-routing, merging, the ranking', () => {
  let testDb: TestDatabase;
  const domain = loadDomainConfig('config/barnaul.yaml');
  const calendar = new WorkingCalendar({ productionCalendar: PRODUCTION, workingHours: HOURS, timeZone: 'Asia/Barnaul' });
  const clock = new ManualClock(local('2026-12-01 10:00'));
  const log = createLogger({ level: 'silent' });
  let sourceId = 0;
  let seq = 0;
  const people: Record<string, number> = {};
  /** The Telegram account of the person seeded with that id. */
  const tg = (userId: string): StaffAccount => ({ channel: 'telegram', userId });

  const deps = (jobs = recordingQueue()): CaseActionDeps & { jobs: ReturnType<typeof recordingQueue> } => ({
    db: testDb.handle.db,
    clock,
    jobs,
    domain,
    calendar,
  });

  /** A case from a citizen's private Telegram chat, routed to roads, with a deadline that may be extended. */
  async function newCase(over: { status?: string; department?: string | null; latest?: Date | null; at?: Date } = {}) {
    const db = testDb.handle.db;
    seq++;
    const at = over.at ?? clock.now();
    const c = await seedCase(db, {
      number: `МЦУ-2026-${String(600000 + seq)}`,
      status: over.status ?? 'in_progress',
      channel: 'telegram',
      source_id: sourceId,
      text: `Яма на Ленина, ${seq}`,
      department: over.department === undefined ? 'roads-transport' : over.department,
      regime: 'social',
      deadline_at: local('2026-12-10 17:00'),
      latest_deadline_at: over.latest === undefined ? local('2026-12-17 17:00') : over.latest,
      at,
    });
    await seedMessage(db, {
      case_id: c.id,
      external_id: String(1000 + seq),
      platform_ids: JSON.stringify({ chat_id: 5000 + seq, message_id: seq }),
      text: 'Яма',
      at,
    });
    return c;
  }

  beforeAll(async () => {
    testDb = await createTestDatabase('case_actions', { migrate: true });
    const db = testDb.handle.db;
    sourceId = (await seedSource(db, { channel: 'telegram', external_id: 'bot' })).id;
    for (const [telegramUserId, role, department] of [
      ['201', 'official', 'roads-transport'],
      ['202', 'operator', 'mcu'],
      ['203', 'official', 'education'],
      ['204', 'coordinator', 'info-policy'],
    ] as const) {
      const official = await seedOfficial(db, {
        name: `P${telegramUserId}`,
        department,
        role,
        telegram: telegramUserId,
        at: clock.now(),
      });
      people[telegramUserId] = official.id;
    }
  });
  afterAll(async () => testDb.drop());

  it('when an official asks for more time, then the operators get the request; a second ask waits for the first', async () => {
    const c = await newCase();
    const jobs = recordingQueue();
    const asked = await requestExtension(deps(jobs), {
      caseId: c.id,
      reason: 'ждём трубу',
      actor: { type: 'official', officialId: people['201'] ?? 0 },
    });
    expect(asked).toMatchObject({ status: 'requested', caseNumber: c.number, until: local('2026-12-17 17:00') });
    expect(jobs.jobs.map((j) => j.name)).toEqual(['notify-operators']);
    expect(
      await requestExtension(deps(), { caseId: c.id, reason: 'ещё раз', actor: { type: 'official', officialId: 1 } }),
    ).toEqual({
      status: 'already_pending',
    });
  });

  it('when the policy allows no extension or the case is closed, then nothing is requested', async () => {
    const fixed = await newCase({ latest: null });
    expect(await requestExtension(deps(), { caseId: fixed.id, reason: 'нет', actor: { type: 'api', author: 'x' } })).toEqual({
      status: 'not_allowed',
    });
    const closed = await newCase({ status: 'closed' });
    expect(await requestExtension(deps(), { caseId: closed.id, reason: 'нет', actor: { type: 'api', author: 'x' } })).toEqual({
      status: 'invalid_state',
      from: 'closed',
    });
    expect(await requestExtension(deps(), { caseId: 999_999, reason: 'нет', actor: { type: 'api', author: 'x' } })).toEqual({
      status: 'not_found',
    });
  });

  it('when an operator approves, then the deadline moves, unsent reminders follow it, the citizen and the official are told', async () => {
    const c = await newCase();
    const db = testDb.handle.db;
    await inTransaction(db, (tx) =>
      planReminders(
        tx,
        { jobs: recordingQueue(), calendar, domain },
        {
          caseId: c.id,
          start: clock.now(),
          deadline: local('2026-12-10 17:00'),
          mode: 'working',
        },
      ),
    );
    // The 50 % reminder was already sent: it stays as history.
    await db
      .updateTable('reminder')
      .set({ sent_at: clock.now(), outcome: 'sent' })
      .where('case_id', '=', c.id)
      .where('kind', '=', 'before:50')
      .execute();
    const asked = await requestExtension(deps(), {
      caseId: c.id,
      reason: 'ждём трубу',
      actor: { type: 'official', officialId: people['201'] ?? 0 },
    });
    if (asked.status !== 'requested') throw new Error(asked.status);

    // Only an operator may decide.
    expect(await decideExtensionAs(deps(), { account: tg('201'), requestId: asked.requestId, approve: true })).toEqual({
      status: 'forbidden',
    });
    const jobs = recordingQueue();
    const decided = await decideExtensionAs(deps(jobs), { account: tg('202'), requestId: asked.requestId, approve: true });
    expect(decided).toMatchObject({ status: 'approved', until: local('2026-12-17 17:00') });

    const row = await db.selectFrom('case').select('deadline_at').where('id', '=', c.id).executeTakeFirstOrThrow();
    expect(row.deadline_at?.toISOString()).toBe(local('2026-12-17 17:00').toISOString());
    const reminders = await db.selectFrom('reminder').select(['kind', 'due_at']).where('case_id', '=', c.id).execute();
    expect(reminders.find((r) => r.kind === 'before:100')?.due_at.toISOString()).toBe(local('2026-12-17 17:00').toISOString());
    expect(reminders.find((r) => r.kind === 'before:50')?.due_at.getTime()).toBeLessThan(local('2026-12-10 17:00').getTime());
    const names = jobs.jobs.map((j) => j.name);
    expect(names.filter((n) => n === 'remind').length).toBeGreaterThan(0);
    expect(jobs.jobs.find((j) => j.name === 'notify-citizen')?.payload).toMatchObject({
      notification: { kind: 'deadline_extended', caseNumber: c.number, reason: 'ждём трубу' },
    });
    expect(jobs.jobs.find((j) => j.name === 'notify-official')?.payload).toMatchObject({
      officialId: people['201'],
      kind: 'extension:approved',
    });
    // The job queued for the old deadline fires and finds its reminder not due yet.
    const atOldDeadline = new ManualClock(local('2026-12-10 17:00'));
    expect(
      await remind({ db, clock: atOldDeadline, jobs: recordingQueue(), log, domain }, { caseId: c.id, kind: 'before:100' }),
    ).toBe('early');
    // Deciding again changes nothing; the audit log has both steps.
    expect(
      await decideExtension(deps(), { requestId: asked.requestId, approve: false, actor: { type: 'api', author: 'x' } }),
    ).toEqual({
      status: 'already_decided',
    });
    const audit = await db.selectFrom('audit_log').select('action').where('entity_id', '=', String(c.id)).execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['extension_requested', 'extension_decided']));
  });

  it('when an operator rejects, then the deadline stays and the official learns it', async () => {
    const c = await newCase();
    const asked = await requestExtension(deps(), {
      caseId: c.id,
      reason: 'не успеваем',
      actor: { type: 'official', officialId: people['201'] ?? 0 },
    });
    if (asked.status !== 'requested') throw new Error(asked.status);
    const jobs = recordingQueue();
    expect(
      await decideExtension(deps(jobs), {
        requestId: asked.requestId,
        approve: false,
        actor: { type: 'operator', officialId: 1 },
      }),
    ).toEqual({
      status: 'rejected',
      caseNumber: c.number,
    });
    const row = await testDb.handle.db.selectFrom('case').select('deadline_at').where('id', '=', c.id).executeTakeFirstOrThrow();
    expect(row.deadline_at?.toISOString()).toBe(local('2026-12-10 17:00').toISOString());
    expect(jobs.jobs.map((j) => j.name)).toEqual(['notify-official']);
  });

  it('when an operator approves a held answer, then it goes out; when they return one, the official is told', async () => {
    const answerDeps = { db: testDb.handle.db, clock, holdForApproval: true };
    const c = await newCase();
    const held = await answerCase(
      { ...answerDeps, jobs: recordingQueue() },
      {
        caseId: c.id,
        text: 'Принято к сведению.',
        kind: 'final',
        actor: { type: 'official', officialId: people['201'] ?? 0 },
        force: true,
      },
    );
    if (held.status !== 'held') throw new Error(held.status);
    expect(
      await reviewHeldAs(
        { ...answerDeps, jobs: recordingQueue() },
        { account: tg('203'), answerId: held.answerId, approve: true },
      ),
    ).toEqual({
      status: 'forbidden',
    });
    const jobs = recordingQueue();
    expect(await reviewHeldAs({ ...answerDeps, jobs }, { account: tg('202'), answerId: held.answerId, approve: true })).toEqual({
      status: 'approved',
      caseNumber: c.number,
    });
    expect(jobs.jobs.map((j) => j.name)).toEqual(['deliver-answer', 'ask-poll']);
    const status = await testDb.handle.db.selectFrom('case').select('status').where('id', '=', c.id).executeTakeFirstOrThrow();
    expect(status.status).toBe('answered');
    expect(await reviewHeldAs({ ...answerDeps, jobs }, { account: tg('202'), answerId: held.answerId, approve: false })).toEqual({
      status: 'already_reviewed',
    });

    const other = await newCase();
    const weak = await answerCase(
      { ...answerDeps, jobs: recordingQueue() },
      {
        caseId: other.id,
        text: 'Рассмотрено.',
        kind: 'final',
        actor: { type: 'official', officialId: people['201'] ?? 0 },
        force: true,
      },
    );
    if (weak.status !== 'held') throw new Error(weak.status);
    const back = recordingQueue();
    expect(
      await reviewHeldAs({ ...answerDeps, jobs: back }, { account: tg('202'), answerId: weak.answerId, approve: false }),
    ).toMatchObject({
      status: 'rejected',
    });
    expect(back.jobs).toEqual([
      { name: 'notify-official', payload: { officialId: people['201'], caseId: other.id, kind: 'answer:rejected' } },
    ]);
    const answer = await testDb.handle.db
      .selectFrom('answer')
      .select('state')
      .where('id', '=', weak.answerId)
      .executeTakeFirstOrThrow();
    expect(answer.state).toBe('rejected');
  });

  it('when an official says the case is not theirs, then it returns to triage and an operator assigns it elsewhere', async () => {
    const c = await newCase();
    const jobs = recordingQueue();
    expect(
      await returnToTriage(deps(jobs), {
        caseId: c.id,
        reason: 'это школа',
        actor: { type: 'official', officialId: people['201'] ?? 0 },
      }),
    ).toEqual({
      status: 'returned',
      caseNumber: c.number,
    });
    expect(jobs.jobs.map((j) => j.name)).toEqual(['notify-operators']);
    const row = await testDb.handle.db
      .selectFrom('case')
      .select(['status', 'department'])
      .where('id', '=', c.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'triage', department: null });

    expect(await assignCommand(deps(), { account: tg('201'), number: c.number, target: 'education' })).toEqual({
      status: 'forbidden',
    });
    expect(await assignCommand(deps(), { account: tg('202'), number: c.number, target: 'no-such' })).toEqual({
      status: 'unknown_department',
    });
    const assignJobs = recordingQueue();
    expect(await assignCommand(deps(assignJobs), { account: tg('202'), number: c.number, target: 'education' })).toMatchObject({
      status: 'assigned',
      department: 'education',
    });
    // The new department's official gets the card through the exactly-once reminder path.
    const announce = assignJobs.jobs.map((j) => j.payload as { kind: string }).find((p) => p.kind?.startsWith('assigned:')) as {
      kind: string;
    };
    // The reminders that waited while the case was in triage are planned again.
    expect(assignJobs.jobs.some((j) => (j.payload as { kind?: string }).kind === 'before:100')).toBe(true);
    expect(announce.kind).toMatch(/^assigned:education:all:\d+$/);
    const sent = recordingQueue();
    expect(await remind({ db: testDb.handle.db, clock, jobs: sent, log, domain }, { caseId: c.id, kind: announce.kind })).toBe(
      'sent',
    );
    expect(sent.jobs.map((j) => (j.payload as { officialId: number }).officialId)).toEqual([people['203']]);

    // Assigned to one official: reminders go to that person only.
    expect(
      await assignCase(deps(), { caseId: c.id, officialId: people['201'] ?? 0, actor: { type: 'api', author: null } }),
    ).toMatchObject({
      status: 'assigned',
      department: 'roads-transport',
      officialName: 'P201',
    });
  });

  it('when a duplicate is merged, then it closes and its citizen gets the main case answer too', async () => {
    const main = await newCase();
    const dup = await newCase();
    const jobs = recordingQueue();
    expect(await mergeCases(deps(jobs), { caseId: dup.id, intoId: main.id, actor: { type: 'operator', officialId: 1 } })).toEqual(
      {
        status: 'merged',
        caseNumber: dup.number,
        intoNumber: main.number,
      },
    );
    expect(jobs.jobs.find((j) => j.name === 'notify-citizen')?.payload).toMatchObject({
      notification: { kind: 'case_merged', caseNumber: dup.number, intoNumber: main.number },
    });
    expect(await mergeCases(deps(), { caseId: dup.id, intoId: main.id, actor: { type: 'api', author: 'x' } })).toEqual({
      status: 'already_merged',
    });
    expect(await mergeCases(deps(), { caseId: main.id, intoId: main.id, actor: { type: 'api', author: 'x' } })).toEqual({
      status: 'same_case',
    });

    // A case with a duplicate of its own, merged in turn: its duplicate follows it to the main case.
    const third = await newCase();
    const thirdDup = await newCase();
    await mergeCases(deps(), { caseId: thirdDup.id, intoId: third.id, actor: { type: 'api', author: 'x' } });
    expect(await mergeCases(deps(), { caseId: third.id, intoId: main.id, actor: { type: 'api', author: 'x' } })).toMatchObject({
      status: 'merged',
    });
    const chained = await testDb.handle.db
      .selectFrom('case')
      .select('merged_into')
      .where('id', '=', thirdDup.id)
      .executeTakeFirstOrThrow();
    expect(chained.merged_into).toBe(main.id);

    const answerJobs = recordingQueue();
    const answered = await answerCase(
      { db: testDb.handle.db, clock, jobs: answerJobs },
      {
        caseId: main.id,
        text: 'Яму на Ленина, 10 заделает подрядчик ООО «Дорстрой» до 5 декабря; ответственный — мастер участка Иванов.',
        kind: 'final',
        actor: { type: 'official', officialId: 1 },
      },
    );
    expect(answered.status).toBe('queued');
    // The main case's citizen and the three merged duplicates' citizens.
    expect(answerJobs.jobs.filter((j) => j.name === 'deliver-answer')).toHaveLength(4);
    const copies = await testDb.handle.db
      .selectFrom('answer')
      .select(['case_id', 'state'])
      .where('case_id', '=', dup.id)
      .execute();
    expect(copies).toEqual([{ case_id: dup.id, state: 'queued' }]);
  });

  it('when the ranking is asked for, then departments with enough cases are ranked by answers on time, the rest listed apart', async () => {
    const fresh = await createTestDatabase('case_actions_stats', { migrate: true });
    try {
      const db = fresh.handle.db;
      const source = await seedSource(db, { channel: 'vk', external_id: '-5', kind: 'official_community', official: true });
      const now = clock.now();
      const addCase = async (department: string, answeredAfterH: number | null, rating?: number) => {
        const created = new Date(now.getTime() - 5 * 86_400_000);
        const c = await seedCase(db, {
          status: answeredAfterH === null ? 'in_progress' : 'answered',
          channel: 'vk',
          source_id: source.id,
          department,
          deadline_at: new Date(created.getTime() + 48 * 3_600_000),
          at: created,
        });
        if (answeredAfterH !== null)
          await seedAnswer(db, { case_id: c.id, at: new Date(created.getTime() + answeredAfterH * 3_600_000) });
        if (rating !== undefined) await seedPoll(db, { case_id: c.id, state: 'answered', rating, at: now });
      };
      // roads: 5 cases, 4 on time; education: 5 cases, 2 on time, 1 open and overdue; culture: 2 cases (too few).
      for (const [i, h] of [1, 2, 3, 4, 60].entries()) await addCase('roads-transport', h, i < 2 ? 5 : undefined);
      for (const [i, h] of [1, 2, 70, 80, null].entries()) await addCase('education', h, i === 0 ? 2 : undefined);
      for (const h of [1, 1]) await addCase('culture', h);
      const report = await departmentRanking({ db, clock }, { days: 30, minCases: 5 });
      expect(report.ranked.map((d) => [d.department, d.cases, d.answeredOnTime, d.overdue])).toEqual([
        ['roads-transport', 5, 4, 0],
        ['education', 5, 2, 1],
      ]);
      expect(report.ranked[0]?.goodRatingShare).toBe(1);
      expect(report.ranked[1]?.goodRatingShare).toBe(0);
      expect(report.tooFew.map((d) => d.department)).toEqual(['culture']);
      expect(report.totals).toEqual({ cases: 12, answered: 11, answeredOnTime: 8, overdue: 1 });
      expect(await statsCommand({ db, clock }, { account: tg('nobody'), days: 30, minCases: 5 })).toEqual({
        status: 'forbidden',
      });
    } finally {
      await fresh.drop();
    }
  });

  it('when a case waited for the citizen, then an approved extension adds to the moved deadline, and a final answer ends the wait', async () => {
    const c = await newCase();
    const at = new ManualClock(local('2026-12-02 10:00'));
    const d = { ...deps(), clock: at };
    const asked = await requestExtension(d, {
      caseId: c.id,
      reason: 'ждём подрядчика',
      actor: { type: 'official', officialId: people['201'] ?? 0 },
    });
    if (asked.status !== 'requested') throw new Error(asked.status);
    expect(
      await askCitizen(d, { caseId: c.id, question: 'Какой подъезд?', actor: { type: 'official', officialId: 1 } }),
    ).toMatchObject({
      status: 'asked',
    });
    // Two working days later the citizen answers (by hand here): the deadline moves by those two days.
    at.set(local('2026-12-04 10:00'));
    const resumed = await resumeCase(d, { caseId: c.id, actor: { type: 'api', author: 'test' } });
    expect(resumed).toMatchObject({ status: 'resumed' });
    const afterPause = await testDb.handle.db
      .selectFrom('case')
      .select(['deadline_at', 'latest_deadline_at'])
      .where('id', '=', c.id)
      .executeTakeFirstOrThrow();
    // Moved by the working time waited, as the deadline engine counts it (and the latest deadline too).
    const moved = extendForPause(
      calendar,
      local('2026-12-10 17:00'),
      local('2026-12-02 10:00'),
      local('2026-12-04 10:00'),
      'working',
    );
    expect(moved.getTime()).toBeGreaterThan(local('2026-12-10 17:00').getTime());
    expect(afterPause.deadline_at?.toISOString()).toBe(moved.toISOString());
    expect(afterPause.latest_deadline_at?.toISOString()).toBe(
      extendForPause(
        calendar,
        local('2026-12-17 17:00'),
        local('2026-12-02 10:00'),
        local('2026-12-04 10:00'),
        'working',
      ).toISOString(),
    );
    // The extension asked before the pause is approved: the new deadline is as late as asked, plus the pause.
    const decided = await decideExtension(d, {
      requestId: asked.requestId,
      approve: true,
      actor: { type: 'operator', officialId: 1 },
    });
    const shift = moved.getTime() - local('2026-12-10 17:00').getTime();
    expect(decided).toMatchObject({ status: 'approved', until: new Date(local('2026-12-17 17:00').getTime() + shift) });

    // Asked again, then answered for good: the case no longer waits for anyone.
    await askCitizen(d, { caseId: c.id, question: 'Ещё вопрос', actor: { type: 'official', officialId: 1 } });
    await answerCase(
      { db: testDb.handle.db, clock: at, jobs: recordingQueue() },
      {
        caseId: c.id,
        text: 'Контейнеры вывезены 04.12 бригадой МУП «Спецавтохозяйство», мастер Петров.',
        kind: 'final',
        actor: { type: 'official', officialId: 1 },
      },
    );
    const row = await testDb.handle.db
      .selectFrom('case')
      .select(['status', 'paused_at'])
      .where('id', '=', c.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'answered', paused_at: null });
  });

  it('when a reminder falls due while the case is in triage, then it waits (not stamped) for the case to be assigned', async () => {
    const c = await newCase({ status: 'triage', department: null });
    await inTransaction(testDb.handle.db, (tx) =>
      planReminders(
        tx,
        { jobs: recordingQueue(), calendar, domain },
        { caseId: c.id, start: clock.now(), deadline: local('2026-12-10 17:00'), mode: 'working' },
      ),
    );
    const late = new ManualClock(local('2026-12-09 12:00'));
    expect(
      await remind(
        { db: testDb.handle.db, clock: late, jobs: recordingQueue(), log, domain },
        { caseId: c.id, kind: 'before:50' },
      ),
    ).toBe('early');
    const row = await testDb.handle.db
      .selectFrom('reminder')
      .select('sent_at')
      .where('case_id', '=', c.id)
      .where('kind', '=', 'before:50')
      .executeTakeFirstOrThrow();
    expect(row.sent_at).toBeNull();
  });

  it('when a case already has its final answer, then a second one is refused; a second interim one is allowed', async () => {
    const c = await newCase();
    const answerDeps = { db: testDb.handle.db, clock, jobs: recordingQueue() };
    const good = 'Трубу заменят 07.12 силами МУП «Водоканал», ответственный — мастер Сидоров.';
    expect(
      (await answerCase(answerDeps, { caseId: c.id, text: good, kind: 'interim', actor: { type: 'api', author: 'x' } })).status,
    ).toBe('queued');
    expect(
      (await answerCase(answerDeps, { caseId: c.id, text: good, kind: 'interim', actor: { type: 'api', author: 'x' } })).status,
    ).toBe('queued');
    expect(
      (await answerCase(answerDeps, { caseId: c.id, text: good, kind: 'final', actor: { type: 'api', author: 'x' } })).status,
    ).toBe('queued');
    expect(
      await answerCase(answerDeps, { caseId: c.id, text: good, kind: 'final', actor: { type: 'api', author: 'x' } }),
    ).toEqual({
      status: 'invalid_transition',
      from: 'answered',
    });
  });

  it('when «Отправить всё равно» is pressed twice at once, then the answer is sent once', async () => {
    const c = await newCase();
    const answerDeps = { db: testDb.handle.db, clock, jobs: recordingQueue() };
    await startAnswer(answerDeps, { account: tg('201'), caseId: c.id, kind: 'final' });
    const weak = await submitOfficialText(answerDeps, { account: tg('201'), text: 'Принято к сведению.' });
    expect(weak.status).toBe('needs_revision');
    const [a, b] = await Promise.all([
      forceDraft(answerDeps, { account: tg('201') }),
      forceDraft(answerDeps, { account: tg('201') }),
    ]);
    expect([a.status, b.status].sort()).toEqual(['no_case', 'queued']);
    const answers = await testDb.handle.db.selectFrom('answer').select('id').where('case_id', '=', c.id).execute();
    expect(answers).toHaveLength(1);
  });

  it('when an operator corrects the category of a triage case, then its new department gets the card and its waiting reminders', async () => {
    const c = await newCase({ status: 'triage', department: null });
    await inTransaction(testDb.handle.db, (tx) =>
      planReminders(
        tx,
        { jobs: recordingQueue(), calendar, domain },
        {
          caseId: c.id,
          start: clock.now(),
          deadline: local('2026-12-10 17:00'),
          mode: 'working',
        },
      ),
    );
    const jobs = recordingQueue();
    const outcome = await correctCategory(
      { db: testDb.handle.db, clock, domain, actions: deps(jobs) },
      { caseId: c.id, category: 'roads', actor: { type: 'operator', officialId: 1 } },
    );
    expect(outcome).toMatchObject({ status: 'corrected' });
    const kinds = jobs.jobs.map((j) => (j.payload as { kind?: string }).kind ?? '');
    expect(kinds.some((k) => k.startsWith('assigned:'))).toBe(true);
    expect(kinds).toContain('before:50');
  });
});
