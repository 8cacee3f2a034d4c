import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDomainConfig } from '../../config/domain.js';
import { remind } from '../../handlers/reminders/index.js';
import { ManualClock } from '../../lib/clock.js';
import { insertDeadLetters } from '../../models/inbox-repository.js';
import type { ChannelPort } from '../../models/outbound.js';
import { countingChannelPort } from '../../src/compose/delivery-metrics.js';
import { metricsSnapshot, type SnapshotParts } from '../../src/compose/metrics-snapshot.js';
import { createMetrics } from '../../src/http/metrics.js';
import { QueueService } from '../../src/jobs/queue.js';
import { createLogger } from '../../src/logger.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { recordingQueue } from '../helpers/jobs.js';
import { seedCase, seedReminder } from '../helpers/rows.js';

const log = createLogger({ level: 'silent' });
const domain = loadDomainConfig('config/barnaul.yaml');
/** 2026-03-02 (Monday) 12:00 in Barnaul (UTC+7). */
const NOW = new Date('2026-03-02T05:00:00Z');
const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3_600_000);

/** The value of a series in Prometheus' text format, or undefined when the series is absent. */
function series(text: string, name: string, labels = ''): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels ? `{${labels}}` : ''} `));
  return line === undefined ? undefined : Number(line.split(' ')[1]);
}

describe('business metrics from the database', () => {
  let testDb: TestDatabase;
  let queue: QueueService;
  let parts: SnapshotParts;

  beforeAll(async () => {
    testDb = await createTestDatabase('business_metrics', { migrate: true });
    queue = new QueueService(testDb.url, log);
    await queue.start();
    const db = testDb.handle.db;
    const clock = new ManualClock(NOW);
    parts = { database: testDb.handle, dbState: 'ok', queue, queueState: 'ok', clock, domain };

    // roads-transport: 2 overdue, 1 due later, 1 overdue but waiting for the citizen (open, not overdue), 1 closed past its deadline.
    for (const [status, deadline, paused] of [
      ['assigned', hoursAgo(2), null],
      ['in_progress', hoursAgo(30), null],
      ['in_progress', hoursAgo(-24), null],
      ['interim_replied', hoursAgo(5), hoursAgo(1)],
      ['closed', hoursAgo(50), null],
    ] as const)
      await seedCase(db, { department: 'roads-transport', status, deadline_at: deadline, paused_at: paused, at: hoursAgo(100) });
    // housing-utilities: open without a deadline yet; triage: two without a department; a department no longer in the file.
    await seedCase(db, { department: 'housing-utilities', status: 'new', deadline_at: null, at: hoursAgo(1) });
    await seedCase(db, { department: null, status: 'triage', at: hoursAgo(1) });
    await seedCase(db, { department: null, status: 'triage', at: hoursAgo(1) });
    await seedCase(db, { department: 'abolished-committee', status: 'reopened', deadline_at: hoursAgo(1), at: hoursAgo(90) });
    await seedCase(db, { department: 'housing-utilities', status: 'answered', deadline_at: hoursAgo(1), at: hoursAgo(90) });

    await insertDeadLetters(db, [
      { source: 'telegram-webhook', reason: 'invalid_json', raw: 'x' },
      { source: 'telegram-webhook', reason: 'not_an_update', raw: {} },
      { source: 'vk', reason: 'processing_failed', raw: {} },
      { source: 'Some Source With Spaces', reason: 'x', raw: {} },
    ]);
    await db
      .insertInto('dead_letter')
      .values({ source: 'vk', reason: 'replayed one', raw: '{}', replayed_at: new Date() })
      .execute();

    // The inbox: two pending (the oldest received 90 s ago by the database's clock), one done.
    for (const [id, status, age] of [
      ['e1', 'pending', 90],
      ['e2', 'pending', 0],
      ['e3', 'done', 600],
    ] as const)
      await sql`insert into inbox_event (channel, event_id, lane, payload, status, received_at)
        values ('telegram', ${id}, 'l', '{}', ${status}, now() - make_interval(secs => ${age}))`.execute(db);

    // A queue with jobs and no worker: one due now, one next week (waiting, but not late).
    await queue.send('ping', { at: 'due' });
    await queue.send('ping', { at: 'next week' }, { startAfter: new Date(Date.now() + 7 * 86_400_000) });
  }, 60_000);
  afterAll(async () => {
    await queue.stop(1_000);
    await testDb.drop();
  });

  it('when the snapshot is read, then open and overdue cases per department match the rows counted by hand', async () => {
    const s = await metricsSnapshot(parts);
    const byDept = Object.fromEntries((s.cases ?? []).map((c) => [c.department, [c.open, c.overdue]]));
    expect(byDept['roads-transport']).toEqual([4, 2]);
    expect(byDept['housing-utilities']).toEqual([1, 0]);
    expect(byDept.none).toEqual([2, 0]);
    expect(byDept.other).toEqual([1, 1]);
    // Every department of the domain file has its line, 0 when it has no case.
    expect(byDept.environment).toEqual([0, 0]);
    expect(Object.keys(byDept).sort()).toEqual([...domain.departments.map((d) => d.id), 'none', 'other'].sort());
  });

  it('when the snapshot is read, then the inbox, the dead letters and the queues are there with bounded labels', async () => {
    const s = await metricsSnapshot(parts);
    expect(s.inbox?.pending).toBe(2);
    expect(s.inbox?.oldestSeconds).toBeGreaterThanOrEqual(90);
    expect(s.inbox?.oldestSeconds).toBeLessThan(150);
    expect(Object.fromEntries((s.deadLetters ?? []).map((d) => [d.source, d.count]))).toEqual({
      'telegram-webhook': 2,
      vk: 1,
      other: 1,
    });
    const ping = s.queues?.find((q) => q.queue === 'ping');
    expect(ping?.waiting).toBe(2);
    expect(ping?.lagSeconds).toBeGreaterThanOrEqual(0);
    expect(ping?.lagSeconds).toBeLessThan(60);
    expect(s.queues?.find((q) => q.queue === 'remind')).toEqual({ queue: 'remind', waiting: 0, lagSeconds: 0 });
  });

  it('when /metrics is rendered, then the standard process metrics carry no prefix and ours carry mcu_ with the figures', async () => {
    const metrics = createMetrics(() => metricsSnapshot(parts));
    const text = await metrics.registry.metrics();
    for (const standard of [
      'process_cpu_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_eventloop_lag_seconds',
      'nodejs_heap_size_used_bytes',
    ])
      expect(series(text, standard), standard).toBeGreaterThanOrEqual(0);
    expect(text).not.toContain('mcu_process_');
    expect(text).not.toContain('mcu_nodejs_');
    expect(series(text, 'mcu_metrics_database_up')).toBe(1);
    expect(series(text, 'mcu_cases_open', 'department="roads-transport"')).toBe(4);
    expect(series(text, 'mcu_cases_overdue', 'department="roads-transport"')).toBe(2);
    expect(series(text, 'mcu_cases_overdue', 'department="other"')).toBe(1);
    expect(series(text, 'mcu_inbox_pending')).toBe(2);
    expect(series(text, 'mcu_queue_depth', 'queue="ping"')).toBe(2);
    expect(series(text, 'mcu_queue_lag_seconds', 'queue="ping"')).toBeGreaterThanOrEqual(0);
    expect(series(text, 'mcu_dead_letters', 'source="telegram-webhook"')).toBe(2);
  });

  it('when the database cannot be read, then the scrape still answers, the figures are absent and database_up is 0', async () => {
    const metrics = createMetrics(() => metricsSnapshot({ ...parts, dbState: 'down' }));
    const text = await metrics.registry.metrics();
    expect(series(text, 'mcu_metrics_database_up')).toBe(0);
    expect(series(text, 'mcu_cases_open', 'department="roads-transport"')).toBeUndefined();
    expect(series(text, 'process_cpu_seconds_total')).toBeGreaterThanOrEqual(0);
  });

  it('when scrapes come in a storm, then the database is read once per cache period', async () => {
    let reads = 0;
    const metrics = createMetrics(async () => {
      reads++;
      return metricsSnapshot(parts);
    });
    await Promise.all(Array.from({ length: 20 }, () => metrics.registry.metrics()));
    expect(reads).toBe(1);
  });

  it('when a reminder is sent late, then its lateness is measured from its due time — or from the end of the quiet hours it fell in', async () => {
    const db = testDb.handle.db;
    const jobs = recordingQueue();
    const seen: number[] = [];
    const deps = (at: Date) => ({ db, jobs, log, domain, clock: new ManualClock(at), onSent: (s: number) => seen.push(s) });
    // Due 11:50 Barnaul, sent 12:00: 600 s late.
    const day = await seedCase(db, {
      department: 'roads-transport',
      status: 'assigned',
      deadline_at: hoursAgo(-48),
      at: hoursAgo(10),
    });
    await seedReminder(db, { case_id: day.id, kind: 'before:50', due_at: new Date(NOW.getTime() - 600_000) });
    expect(await remind(deps(NOW), { caseId: day.id, kind: 'before:50' })).toBe('sent');
    // Due 03:00 Barnaul (quiet hours until 08:00), sent 08:01: 60 s late, not five hours.
    const night = await seedCase(db, {
      department: 'roads-transport',
      status: 'assigned',
      deadline_at: hoursAgo(-48),
      at: hoursAgo(10),
    });
    await seedReminder(db, { case_id: night.id, kind: 'before:50', due_at: new Date('2026-03-01T20:00:00Z') });
    expect(await remind(deps(new Date('2026-03-02T01:01:00Z')), { caseId: night.id, kind: 'before:50' })).toBe('sent');
    // Already sent: not measured twice.
    expect(await remind(deps(NOW), { caseId: day.id, kind: 'before:50' })).toBe('already');
    expect(seen).toEqual([600, 60]);
  });

  it('when a send does not arrive, then mcu_deliveries_failed_total counts it by channel, kind and outcome, never by its text', async () => {
    const metrics = createMetrics(async () => ({}));
    const results = [
      { status: 'sent' as const },
      { status: 'blocked' as const, reason: 'Forbidden: bot was blocked by the user Иван' },
      { status: 'failed' as const, reason: 'ETIMEDOUT' },
    ];
    const port: ChannelPort = { send: async () => results.shift() ?? { status: 'sent' }, edit: async () => ({ status: 'sent' }) };
    const counting = countingChannelPort(port, metrics.deliveriesFailed);
    const answer = { kind: 'answer' as const, text: 'Ответ', photos: [] };
    for (let i = 0; i < 3; i++) await counting.send({ channel: 'telegram', chatId: '1' }, answer, `answer:${i}`);
    const text = await metrics.registry.metrics();
    expect(series(text, 'mcu_deliveries_failed_total', 'channel="telegram",kind="answer",reason="blocked"')).toBe(1);
    expect(series(text, 'mcu_deliveries_failed_total', 'channel="telegram",kind="answer",reason="failed"')).toBe(1);
    expect(text).not.toContain('Иван');
  });
});
