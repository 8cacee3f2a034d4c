import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDomainConfig } from '../../config/domain.js';
import { planReminders, quietHoursEnd, remind } from '../../handlers/reminders/reminders.js';
import { ManualClock } from '../../lib/clock.js';
import { WorkingCalendar } from '../../lib/deadlines/index.js';
import { inTransaction } from '../../models/database.js';
import { createLogger } from '../../src/logger.js';
import { HOURS, local, PRODUCTION } from '../helpers/barnaul-calendar.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { recordingQueue } from '../helpers/jobs.js';
import { seedCase, seedOfficial, seedSource } from '../helpers/rows.js';

describe('reminders and escalation', () => {
  let testDb: TestDatabase;
  const domain = loadDomainConfig('config/barnaul.yaml');
  const calendar = new WorkingCalendar({ productionCalendar: PRODUCTION, workingHours: HOURS, timeZone: 'Asia/Barnaul' });
  const clock = new ManualClock(local('2026-12-01 10:00'));
  /** When every reminder of the case is due (the deadline is 2026-12-10 17:00; the escalation steps follow it). */
  const later = new ManualClock(local('2026-12-28 10:00'));
  const log = createLogger({ level: 'silent' });
  let caseId = 0;
  /** Each person's name (their Telegram id) by official id: the notify-official jobs name the person. */
  const names = new Map<number, string>();
  const recipients = (jobs: { payload: unknown }[]) =>
    jobs.map((j) => names.get((j.payload as { officialId: number }).officialId));

  beforeAll(async () => {
    testDb = await createTestDatabase('reminders', { migrate: true });
    const db = testDb.handle.db;
    const source = await seedSource(db, { channel: 'vk', external_id: '-1', kind: 'official_community', official: true });
    const c = await seedCase(db, {
      channel: 'vk',
      source_id: source.id,
      text: 'Яма',
      department: 'roads-transport',
      at: clock.now(),
    });
    caseId = c.id;
    for (const [telegramUserId, role, department] of [
      ['101', 'official', 'roads-transport'],
      ['102', 'department_head', 'roads-transport'],
      ['103', 'official', 'education'],
      ['104', 'curator', 'mcu'],
    ] as const) {
      const person = await seedOfficial(db, {
        name: telegramUserId,
        department,
        role,
        telegram: telegramUserId,
        at: clock.now(),
      });
      names.set(person.id, telegramUserId);
    }
  });
  afterAll(async () => testDb.drop());

  it('when a deadline is set, then a reminder is planned at each configured share of the time and each escalation step', async () => {
    const jobs = recordingQueue();
    // Tue 10:00 → 7 working days → Thu 2026-12-10 17:00.
    await inTransaction(testDb.handle.db, (tx) =>
      planReminders(
        tx,
        { jobs, calendar, domain },
        { caseId, start: clock.now(), deadline: local('2026-12-10 17:00'), mode: 'working' },
      ),
    );
    const rows = await testDb.handle.db
      .selectFrom('reminder')
      .select(['kind', 'due_at'])
      .where('case_id', '=', caseId)
      .orderBy('due_at')
      .execute();
    expect(rows.map((r) => r.kind)).toEqual([
      'before:50',
      'before:80',
      'before:100',
      'escalate:department_head',
      'escalate:block_owner',
      'escalate:coordinator',
      'escalate:curator',
    ]);
    expect(rows.find((r) => r.kind === 'before:100')?.due_at.toISOString()).toBe(local('2026-12-10 17:00').toISOString());
    expect(jobs.jobs).toHaveLength(7);
  });

  it("when two workers run the same reminder at once, then it is sent once, to the department's officials only", async () => {
    const jobsA = recordingQueue();
    const jobsB = recordingQueue();
    const [a, b] = await Promise.all([
      remind({ db: testDb.handle.db, clock: later, jobs: jobsA, log, domain }, { caseId, kind: 'before:50' }),
      remind({ db: testDb.handle.db, clock: later, jobs: jobsB, log, domain }, { caseId, kind: 'before:50' }),
    ]);
    expect([a, b].sort()).toEqual(['already', 'sent']);
    const sent = recipients([...jobsA.jobs, ...jobsB.jobs]).sort();
    expect(sent).toEqual(['101', '102']);
    // A restart re-running the job changes nothing.
    expect(
      await remind({ db: testDb.handle.db, clock: later, jobs: recordingQueue(), log, domain }, { caseId, kind: 'before:50' }),
    ).toBe('already');
  });

  it('when the deadline passed, then escalation climbs the chain: curator step goes to the curators', async () => {
    const jobs = recordingQueue();
    expect(await remind({ db: testDb.handle.db, clock: later, jobs, log, domain }, { caseId, kind: 'escalate:curator' })).toBe(
      'sent',
    );
    expect(recipients(jobs.jobs)).toEqual(['104']);
  });

  it('when it is night in Barnaul, then a normal reminder waits for the end of quiet hours', async () => {
    const night = new ManualClock(local('2026-12-09 23:30'));
    const jobs = recordingQueue();
    expect(await remind({ db: testDb.handle.db, clock: night, jobs, log, domain }, { caseId, kind: 'before:80' })).toBe(
      'deferred',
    );
    expect(quietHoursEnd(night.now(), domain)?.toISOString()).toBe(local('2026-12-10 08:00').toISOString());
    expect(quietHoursEnd(local('2026-12-03 07:10'), domain)?.toISOString()).toBe(local('2026-12-03 08:00').toISOString());
    expect(quietHoursEnd(local('2026-12-03 12:00'), domain)).toBeNull();
  });

  it('when the case was answered meanwhile, then nobody is chased', async () => {
    await testDb.handle.db.updateTable('case').set({ status: 'answered' }).where('id', '=', caseId).execute();
    expect(
      await remind({ db: testDb.handle.db, clock, jobs: recordingQueue(), log, domain }, { caseId, kind: 'before:100' }),
    ).toBe('skipped');
  });
});
