import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadDomainConfig } from '../../config/domain.js';
import {
  type BroadcastCaller,
  type BroadcastNotifier,
  type BroadcastReport,
  type BroadcastsApi,
  bindBroadcasts,
  broadcastInputSchema,
  type RunDeps,
  resumeBroadcasts,
  runBroadcast,
  sweepBroadcasts,
} from '../../handlers/broadcasts/index.js';
import { OutageTracker } from '../../handlers/broadcasts/outage.js';
import type { HandlerDeps } from '../../handlers/deps.js';
import { recordConsent } from '../../handlers/intake/index.js';
import { ManualClock } from '../../lib/clock.js';
import { WorkingCalendar } from '../../lib/deadlines/index.js';
import type { BroadcastChannel, BroadcastPort, BulkRecipient, BulkResult } from '../../models/broadcast.js';
import { claimRecipients } from '../../models/broadcast-repository.js';
import type { Db } from '../../models/database.js';
import type { OfficialRow } from '../../models/people-repository.js';
import { createLogger } from '../../src/logger.js';
import { HOURS, PRODUCTION } from '../helpers/barnaul-calendar.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { recordingQueue } from '../helpers/jobs.js';
import { seedCase, seedMessage, seedOfficial, seedSource } from '../helpers/rows.js';

/**
 * Broadcasts on a real database: segments resolved and counted, the approval rules, the lifecycle, and
 * the sender against a recording port — blocked chats, failures retried then given up, a citizen leaving
 * mid-broadcast, a crash between claim and stamp, pause / cancel, the summary once.
 */
describe('broadcasts', () => {
  let testDb: TestDatabase;
  let db: Db;
  const domain = loadDomainConfig('config/barnaul.yaml');
  const calendar = new WorkingCalendar({ productionCalendar: PRODUCTION, workingHours: HOURS, timeZone: 'Asia/Barnaul' });
  const log = createLogger({ level: 'silent' });
  // Monday 7 December 2026, 11:00 in Barnaul (04:00 UTC): outside the quiet hours.
  const clock = new ManualClock('2026-12-07T04:00:00Z');
  let jobs: ReturnType<typeof recordingQueue>;
  let api: BroadcastsApi;
  let operator: BroadcastCaller;
  let head: BroadcastCaller;
  let official: BroadcastCaller;
  const deps = (): HandlerDeps => ({ db, jobs, clock, calendar, domain, log });

  beforeAll(async () => {
    testDb = await createTestDatabase('broadcasts', { migrate: true });
    db = testDb.handle.db;
    const person = async (role: string, name: string): Promise<OfficialRow> => {
      const o = await seedOfficial(db, { name, role, department: 'mcu' });
      return { id: o.id, name, department: 'mcu', role, preferredChannel: null, active: true };
    };
    operator = { kind: 'person', official: await person('operator', 'Оператор') };
    head = { kind: 'person', official: await person('head', 'Руководитель') };
    official = { kind: 'person', official: await person('official', 'Исполнитель') };
  });
  afterAll(async () => testDb?.drop());
  beforeEach(async () => {
    jobs = recordingQueue();
    api = bindBroadcasts(deps);
    clock.set('2026-12-07T04:00:00Z');
    await db.deleteFrom('broadcast_recipient').execute();
    await db.deleteFrom('broadcast').execute();
    await db.deleteFrom('subscription_event').execute();
    await db.deleteFrom('subscription').execute();
  });

  let citizenSeq = 0;
  async function citizen(channel: BroadcastChannel, opts: { optedOut?: boolean } = {}) {
    const n = ++citizenSeq;
    return db
      .insertInto('citizen')
      .values({
        channel,
        external_id: `${channel}-${n}`,
        display_name: `Житель ${n}`,
        consent: 'given',
        ...(opts.optedOut ? { broadcasts_opted_out_at: clock.now() } : {}),
      })
      .returning(['id', 'external_id'])
      .executeTakeFirstOrThrow();
  }
  async function subscriber(
    channel: BroadcastChannel,
    districts: string[] = [],
    topics: string[] = [],
    opts: { optedOut?: boolean; active?: boolean } = {},
  ) {
    const c = await citizen(channel, opts);
    await db
      .insertInto('subscription')
      .values({ citizen_id: c.id, channel, chat_id: c.external_id, districts, topics, active: opts.active ?? true })
      .execute();
    return c;
  }
  const value = <T>(o: { status: string; value?: T }): T => {
    if (o.status !== 'ok') throw new Error(`expected ok, got ${JSON.stringify(o)}`);
    return o.value as T;
  };
  const input = (over: Record<string, unknown> = {}) =>
    broadcastInputSchema.parse({
      title: 'Отключение воды',
      text: 'Завтра с 9 до 18 не будет холодной воды.',
      segment: { kind: 'subscribers' },
      ...over,
    });

  /** A port that records every send and answers from `answer` (default: sent). */
  function recordingPort(
    answer: (channel: BroadcastChannel, r: BulkRecipient, attempt: number) => BulkResult['status'] | BulkResult = () => 'sent',
  ) {
    const sends: { channel: BroadcastChannel; chatId: string; seq: number }[] = [];
    const attempts = new Map<string, number>();
    const port: BroadcastPort = {
      channels: () => ['telegram', 'vk', 'max'],
      batchSize: (c) => (c === 'vk' ? 3 : 1),
      concurrency: () => 2,
      send: async (channel, _content, recipients) =>
        recipients.map((r) => {
          const key = `${channel}:${r.chatId}`;
          const attempt = (attempts.get(key) ?? 0) + 1;
          attempts.set(key, attempt);
          const a = answer(channel, r, attempt);
          const result: BulkResult =
            typeof a === 'object'
              ? a
              : a === 'sent'
                ? { seq: r.seq, status: 'sent', messageId: `m${r.seq}` }
                : a === 'blocked'
                  ? { seq: r.seq, status: 'blocked', reason: 'bot blocked' }
                  : a === 'retry'
                    ? { seq: r.seq, status: 'retry', afterSeconds: 1, reason: '429' }
                    : { seq: r.seq, status: 'failed', reason: '502' };
          if (result.status === 'sent') sends.push({ channel, chatId: r.chatId, seq: r.seq });
          return result;
        }),
    };
    return { port, sends };
  }
  function notifier() {
    const seen = { progress: 0, finished: [] as BroadcastReport[] };
    const n: BroadcastNotifier = {
      progress: async () => {
        seen.progress++;
      },
      finished: async (r) => {
        seen.finished.push(r);
      },
    };
    return { n, seen };
  }
  const runDeps = (port: BroadcastPort, n: BroadcastNotifier, owner = 'test-1'): RunDeps => ({
    outages: new OutageTracker(),
    db,
    jobs,
    clock,
    domain,
    log,
    port,
    notifier: n,
    owner,
    checkEveryMs: 0,
  });

  /** Runs slices until the broadcast is no longer running or waiting for something the test must move. */
  async function runToEnd(d: RunDeps, id: number, maxSlices = 20) {
    for (let i = 0; i < maxSlices; i++) {
      const outcome = await runBroadcast(d, { broadcastId: id });
      if (outcome === 'waiting') {
        clock.advance(301_000);
        continue;
      }
      if (outcome !== 'continues') return outcome;
    }
    throw new Error('did not finish');
  }

  describe('segments', () => {
    it('when subscribers are filtered by district, topic and channel, then the preview counts each channel and says who is left out', async () => {
      await subscriber('telegram', ['industrial']);
      await subscriber('telegram', []); // the whole city
      await subscriber('vk', ['industrial'], ['outages']);
      await subscriber('vk', ['industrial'], ['snow']); // another topic
      await subscriber('max', ['central']); // another district
      await subscriber('telegram', ['industrial'], [], { optedOut: true });
      await subscriber('telegram', ['industrial'], [], { active: false });
      const b = value(
        await api.create(operator, input({ segment: { kind: 'subscribers', districts: ['industrial'], topics: ['outages'] } })),
      );
      const p = value(await api.preview(operator, b.id));
      expect(p).toMatchObject({
        recipients: 3,
        byChannel: { telegram: 2, vk: 1 },
        excluded: { optedOut: 1, noPrivateChat: 0 },
        needsApproval: false,
      });
      const vkOnly = value(
        await api.create(operator, input({ segment: { kind: 'subscribers', districts: ['industrial'], channels: ['vk'] } })),
      );
      expect(value(await api.preview(operator, vkOnly.id))).toMatchObject({ recipients: 2, byChannel: { vk: 2 } });
    });

    it('when the segment is a problem, then its cases’ citizens are reached in their private chat, without a subscription', async () => {
      const problem = await db
        .insertInto('problem')
        .values({
          category: 'cold-water',
          district: 'industrial',
          title: 'Нет воды',
          first_at: clock.now(),
          last_at: clock.now(),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const tg = await citizen('telegram');
      const vk = await citizen('vk');
      const groupOnly = await citizen('telegram');
      const tgSource = await seedSource(db, { channel: 'telegram' });
      const vkSource = await seedSource(db, { channel: 'vk' });
      for (const [c, source, ids] of [
        [tg, tgSource, { chat_id: tg.external_id, message_id: 5 }],
        [vk, vkSource, { peer_id: vk.external_id, message_id: 7 }],
      ] as const) {
        const k = await seedCase(db, {
          channel: source.channel,
          source_id: source.id,
          citizen_id: c.id,
          problem_id: Number(problem.id),
        });
        await seedMessage(db, { case_id: k.id, platform_ids: JSON.stringify(ids) });
      }
      const k = await seedCase(db, {
        channel: 'telegram',
        source_id: tgSource.id,
        citizen_id: groupOnly.id,
        problem_id: Number(problem.id),
      });
      await seedMessage(db, { case_id: k.id, kind: 'group', platform_ids: JSON.stringify({ chat_id: '-100', message_id: 1 }) });

      const b = value(await api.create(operator, input({ segment: { kind: 'problem', problemId: Number(problem.id) } })));
      expect(value(await api.preview(operator, b.id))).toMatchObject({
        recipients: 2,
        byChannel: { telegram: 1, vk: 1 },
        excluded: { optedOut: 0, noPrivateChat: 1 },
      });
      value(await api.start(operator, b.id));
      const rows = await db
        .selectFrom('broadcast_recipient')
        .select(['channel', 'chat_id'])
        .where('broadcast_id', '=', b.id)
        .orderBy('seq')
        .execute();
      expect(rows).toEqual([
        { channel: 'telegram', chat_id: tg.external_id },
        { channel: 'vk', chat_id: vk.external_id },
      ]);
    });

    it('when the segment is cases of a category in the last hours, then only those cases’ citizens count', async () => {
      const src = await seedSource(db, { channel: 'max' });
      const recent = await citizen('max');
      const old = await citizen('max');
      for (const [c, hoursAgo, category] of [
        [recent, 2, 'cold-water'],
        [old, 72, 'cold-water'],
        [recent, 1, 'roads'],
      ] as const) {
        const k = await seedCase(db, {
          channel: 'max',
          source_id: src.id,
          citizen_id: c.id,
          category,
          at: new Date(clock.now().getTime() - hoursAgo * 3_600_000),
        });
        await seedMessage(db, { case_id: k.id, platform_ids: JSON.stringify({ chat_id: `dlg-${c.id}`, message_id: 1 }) });
      }
      const b = value(
        await api.create(operator, input({ segment: { kind: 'cases', categories: ['cold-water'], withinHours: 48 } })),
      );
      expect(value(await api.preview(operator, b.id))).toMatchObject({ recipients: 1, byChannel: { max: 1 } });
    });
  });

  describe('composing and approving', () => {
    it('refuses bad input naming the field: an unknown district or topic, a text over the limit without splitting, a schedule in the past', async () => {
      expect(await api.create(operator, input({ segment: { kind: 'subscribers', districts: ['atlantis'] } }))).toMatchObject({
        status: 'invalid',
        code: 'UNKNOWN_ID',
        field: 'segment.districts[0]',
      });
      expect(await api.create(operator, input({ segment: { kind: 'subscribers', topics: ['nope'] } }))).toMatchObject({
        field: 'segment.topics[0]',
      });
      expect(await api.create(operator, input({ text: 'а'.repeat(4001) }))).toMatchObject({
        code: 'TEXT_TOO_LONG',
        field: 'text',
      });
      expect((await api.create(operator, input({ text: 'а'.repeat(4001), allowSplit: true }))).status).toBe('ok');
      expect(await api.create(operator, input({ scheduledAt: '2026-12-01T00:00:00Z' }))).toMatchObject({
        code: 'SCHEDULE_IN_PAST',
      });
      expect(await api.create(operator, input({ segment: { kind: 'problem', problemId: 999_999 } }))).toMatchObject({
        field: 'segment.problemId',
      });
      expect(broadcastInputSchema.safeParse({ title: 'x', text: '   ', segment: { kind: 'subscribers' } }).success).toBe(false);
    });

    it('refuses a role that may not prepare broadcasts', async () => {
      expect(await api.create(official, input())).toMatchObject({ status: 'forbidden' });
    });

    it('when nobody matches, then starting is refused with the reason and nothing starts', async () => {
      const b = value(await api.create(operator, input({ segment: { kind: 'subscribers', districts: ['central'] } })));
      const out = await api.start(operator, b.id);
      expect(out).toMatchObject({ status: 'empty', code: 'EMPTY_SEGMENT' });
      expect((await db.selectFrom('broadcast').select('status').where('id', '=', b.id).executeTakeFirstOrThrow()).status).toBe(
        'draft',
      );
      expect(jobs.jobs).toEqual([]);
    });

    it('when recipients are above the threshold, then a second person with the right role must approve; the author cannot; starting twice is a conflict', async () => {
      const small = {
        ...domain,
        broadcasts: { ...domain.broadcasts!, approval: { aboveRecipients: 1, roles: ['head' as const] } },
      };
      const strict = bindBroadcasts(() => ({ ...deps(), domain: small }));
      await subscriber('telegram');
      await subscriber('vk');
      const b = value(await strict.create(head, input()));
      expect(value(await strict.preview(head, b.id))).toMatchObject({ recipients: 2, needsApproval: true, approved: false });
      expect(await strict.start(head, b.id)).toMatchObject({ status: 'conflict', code: 'APPROVAL_REQUIRED' });
      expect(await strict.approve(head, b.id)).toMatchObject({ status: 'forbidden', code: 'SELF_APPROVAL' });
      expect(await strict.approve(operator, b.id)).toMatchObject({ status: 'forbidden', code: 'APPROVER_ROLE' });
      expect(await strict.approve({ kind: 'service', author: 'x' }, b.id)).toMatchObject({
        status: 'forbidden',
        code: 'APPROVER_ROLE',
      });
      const second = await seedOfficial(db, { name: 'Второй руководитель', role: 'head', department: 'mcu' });
      const other = {
        kind: 'person' as const,
        official: { id: second.id, name: second.name, department: 'mcu', role: 'head', preferredChannel: null, active: true },
      };
      // A second head approves; a change after that withdraws the approval.
      expect(value(await strict.approve(other, b.id)).approvedBy).toBe(`official:${other.official.id}`);
      value(await strict.update(head, b.id, { text: 'Исправленный текст' }));
      expect(await strict.start(head, b.id)).toMatchObject({ code: 'APPROVAL_REQUIRED' });
      value(await strict.approve(other, b.id));
      expect(value(await strict.start(head, b.id))).toMatchObject({ status: 'running', recipientsTotal: 2 });
      expect(await strict.start(head, b.id)).toMatchObject({ status: 'conflict', code: 'ALREADY_STARTED' });
      expect(jobs.jobs.map((j) => j.name)).toEqual(['broadcast-run']);
    });

    it('when scheduled, then it waits and the sweep starts it when due, freezing the audience then', async () => {
      await subscriber('telegram');
      const b = value(await api.create(operator, input({ scheduledAt: '2026-12-07T06:00:00Z' })));
      expect(value(await api.start(operator, b.id)).status).toBe('scheduled');
      await subscriber('vk'); // subscribes before it starts: included
      expect(await sweepBroadcasts({ db, jobs, clock, log })).toEqual({ started: 0, resumed: 0 });
      clock.set('2026-12-07T06:00:01Z');
      expect(await sweepBroadcasts({ db, jobs, clock, log })).toEqual({ started: 1, resumed: 0 });
      expect(value(await api.get(operator, b.id))).toMatchObject({ status: 'running', recipientsTotal: 2 });
    });
  });

  describe('the sender', () => {
    async function started(over: Record<string, unknown> = {}) {
      const b = value(await api.create(operator, input(over)));
      value(await api.start(operator, b.id));
      return b.id;
    }

    it('when every send is accepted, then every recipient is stamped sent once, the broadcast is done and the author gets one summary', async () => {
      for (let i = 0; i < 5; i++) await subscriber('telegram');
      for (let i = 0; i < 7; i++) await subscriber('vk');
      await subscriber('max');
      const id = await started();
      const { port, sends } = recordingPort();
      const { n, seen } = notifier();
      expect(await runToEnd(runDeps(port, n), id)).toBe('done');
      expect(sends).toHaveLength(13);
      expect(new Set(sends.map((s) => `${s.channel}:${s.chatId}`)).size).toBe(13);
      expect(seen.finished).toHaveLength(1);
      expect(seen.finished[0]).toMatchObject({
        status: 'done',
        totals: { sent: 13, pending: 0, failed: 0 },
        byChannel: { vk: { sent: 7 } },
      });
      // A later job for it (a retry, the sweep) sends nothing and no second summary.
      expect(await runBroadcast(runDeps(port, n), { broadcastId: id })).toBe('done');
      expect(seen.finished).toHaveLength(1);
    });

    it('when a chat is blocked, then it is stamped blocked and the subscription ends, recorded; a failing one is retried, then given up', async () => {
      const blocked = await subscriber('telegram');
      const flaky = await subscriber('telegram');
      const dead = await subscriber('telegram');
      const id = await started();
      const { port, sends } = recordingPort((_c, r, attempt) => {
        if (r.chatId === blocked.external_id) return 'blocked';
        if (r.chatId === flaky.external_id) return attempt < 3 ? 'failed' : 'sent';
        if (r.chatId === dead.external_id) return 'failed';
        return 'sent';
      });
      const { n, seen } = notifier();
      expect(await runToEnd(runDeps(port, n), id, 40)).toBe('done');
      expect(sends.map((s) => s.chatId)).toEqual([flaky.external_id]);
      const rows = await db
        .selectFrom('broadcast_recipient')
        .select(['chat_id', 'status', 'reason', 'attempts'])
        .where('broadcast_id', '=', id)
        .execute();
      const by = new Map(rows.map((r) => [r.chat_id, r]));
      expect(by.get(blocked.external_id)).toMatchObject({ status: 'blocked', attempts: 1 });
      expect(by.get(flaky.external_id)).toMatchObject({ status: 'sent', attempts: 3 });
      expect(by.get(dead.external_id)).toMatchObject({
        status: 'failed',
        reason: '502',
        attempts: domain.broadcasts?.maxAttempts,
      });
      const sub = await db
        .selectFrom('subscription')
        .select('active')
        .where('citizen_id', '=', blocked.id)
        .executeTakeFirstOrThrow();
      expect(sub.active).toBe(false);
      const events = await db
        .selectFrom('subscription_event')
        .select(['action', 'via', 'broadcast_id'])
        .where('citizen_id', '=', blocked.id)
        .execute();
      expect(events).toEqual([{ action: 'blocked', via: 'delivery', broadcast_id: id }]);
      expect(seen.finished[0]?.totals).toMatchObject({ sent: 1, blocked: 1, failed: 1 });
    });

    it('when the messenger asks to slow down, then the recipient waits without spending an attempt', async () => {
      const c = await subscriber('vk');
      const id = await started();
      const { port } = recordingPort((_ch, _r, attempt) => (attempt <= 2 ? 'retry' : 'sent'));
      const { n } = notifier();
      expect(await runToEnd(runDeps(port, n), id)).toBe('done');
      const row = await db
        .selectFrom('broadcast_recipient')
        .select(['status', 'attempts'])
        .where('chat_id', '=', c.external_id)
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ status: 'sent', attempts: 1 });
    });

    it('when a citizen unsubscribes after the start, then they are skipped before the next batch', async () => {
      const stays = await subscriber('telegram');
      const leaves = await subscriber('telegram');
      const id = await started();
      await db.updateTable('subscription').set({ active: false }).where('citizen_id', '=', leaves.id).execute();
      const { port, sends } = recordingPort();
      expect(await runToEnd(runDeps(port, notifier().n), id)).toBe('done');
      expect(sends.map((s) => s.chatId)).toEqual([stays.external_id]);
      const row = await db
        .selectFrom('broadcast_recipient')
        .select(['status', 'reason'])
        .where('chat_id', '=', leaves.external_id)
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ status: 'skipped', reason: 'unsubscribed' });
    });

    it('when the sender dies between claim and stamp, then another continues after the lease: nobody lost, only the in-flight rows sent again', async () => {
      for (let i = 0; i < 10; i++) await subscriber('telegram');
      const id = await started();
      // The dead sender: took the lease, claimed two rows (its in-flight sends), and died.
      const now = clock.now();
      await db
        .updateTable('broadcast')
        .set({ lease_owner: 'dead', lease_until: new Date(now.getTime() + 20_000) })
        .where('id', '=', id)
        .execute();
      const inFlight = await claimRecipients(db, { broadcastId: id, channel: 'telegram', limit: 2, now, subscribersOnly: true });
      expect(inFlight).toHaveLength(2);
      const { port, sends } = recordingPort();
      const d = runDeps(port, notifier().n, 'test-2');
      // While the dead sender's lease lasts, another sender waits; a restart queues a run at its end.
      expect(await runBroadcast(d, { broadcastId: id })).toBe('busy');
      jobs.jobs.length = 0;
      expect(await resumeBroadcasts({ db, jobs, clock, log })).toBe(1);
      expect(jobs.jobs[0]).toMatchObject({ name: 'broadcast-run', startAfter: new Date(now.getTime() + 20_000) });
      clock.advance(21_000);
      expect(await runToEnd(d, id)).toBe('done');
      const rows = await db
        .selectFrom('broadcast_recipient')
        .select(['status', 'attempts'])
        .where('broadcast_id', '=', id)
        .execute();
      expect(rows.every((r) => r.status === 'sent')).toBe(true);
      expect(rows.filter((r) => r.attempts === 2)).toHaveLength(2); // the two in flight: claimed twice
      expect(sends).toHaveLength(10);
    });

    it('when paused, then sending stops and resumes where it stopped; when cancelled, the rest is skipped and the author told once', async () => {
      for (let i = 0; i < 6; i++) await subscriber('telegram');
      const id = await started();
      let paused = false;
      const { port, sends } = recordingPort();
      const pausing: BroadcastPort = {
        ...port,
        send: async (c, content, r) => {
          if (!paused && sends.length >= 2) {
            paused = true;
            value(await api.pause(operator, id));
          }
          return port.send(c, content, r);
        },
      };
      const { n, seen } = notifier();
      expect(await runBroadcast(runDeps(pausing, n), { broadcastId: id })).toBe('paused');
      const afterPause = sends.length;
      expect(afterPause).toBeLessThan(6);
      expect(await runBroadcast(runDeps(pausing, n), { broadcastId: id })).toBe('not_running');
      value(await api.resume(operator, id));
      expect(await api.resume(operator, id)).toMatchObject({ status: 'conflict' });
      value(await api.cancel(operator, id));
      expect(await runBroadcast(runDeps(pausing, n), { broadcastId: id })).toBe('cancelled');
      expect(sends.length).toBe(afterPause);
      expect(seen.finished).toHaveLength(1);
      expect(seen.finished[0]?.totals.skipped).toBe(6 - afterPause);
    });

    it('when it is the quiet hours, then a normal broadcast waits for their end and an emergency one goes now', async () => {
      await subscriber('telegram');
      clock.set('2026-12-07T17:00:00Z'); // 00:00 in Barnaul
      const normal = await started();
      const emergency = await started({ priority: 'emergency' });
      const { port, sends } = recordingPort();
      expect(await runBroadcast(runDeps(port, notifier().n), { broadcastId: normal })).toBe('quiet_hours');
      expect(jobs.jobs.at(-1)).toMatchObject({ name: 'broadcast-run', startAfter: new Date('2026-12-08T01:00:00Z') });
      expect(jobs.jobs.filter((j) => j.name === 'broadcast-run-emergency')).toHaveLength(1);
      expect(await runToEnd(runDeps(port, notifier().n), emergency)).toBe('done');
      expect(sends).toHaveLength(1);
    });

    it('when a citizen withdraws consent, then the subscription ends, recorded, and they are out of every audience', async () => {
      const stays = await subscriber('telegram');
      const leaves = await subscriber('telegram');
      const b = value(await api.create(operator, input()));
      expect(value(await api.preview(operator, b.id)).recipients).toBe(2);
      await recordConsent(
        { db, clock },
        { channel: 'telegram', author: { externalId: leaves.external_id }, consent: 'declined' },
      );
      expect(value(await api.preview(operator, b.id))).toMatchObject({ recipients: 1 });
      const events = await db
        .selectFrom('subscription_event')
        .select(['action', 'via'])
        .where('citizen_id', '=', leaves.id)
        .execute();
      expect(events).toEqual([{ action: 'unsubscribe', via: 'consent' }]);
      value(await api.start(operator, b.id));
      const rows = await db.selectFrom('broadcast_recipient').select('chat_id').where('broadcast_id', '=', b.id).execute();
      expect(rows).toEqual([{ chat_id: stays.external_id }]);
    });

    it('when the messenger is down, then recipients wait the outage out without spending attempts, and go when it is back', async () => {
      for (let i = 0; i < 6; i++) await subscriber('max');
      const id = await started();
      let down = true;
      const { port, sends } = recordingPort(() => (down ? 'failed' : 'sent'));
      const d = { ...runDeps(port, notifier().n), outages: new OutageTracker() };
      // Many tries while it is down: far more than maxAttempts for any one recipient.
      for (let i = 0; i < 12; i++) {
        const outcome = await runBroadcast(d, { broadcastId: id });
        expect(['waiting', 'continues']).toContain(outcome);
        clock.advance(301_000);
      }
      const during = await db
        .selectFrom('broadcast_recipient')
        .select(['status', 'attempts'])
        .where('broadcast_id', '=', id)
        .execute();
      expect(during.filter((r) => r.status === 'failed')).toEqual([]);
      expect(Math.max(...during.map((r) => r.attempts))).toBeLessThan(domain.broadcasts?.maxAttempts ?? 5);
      down = false;
      expect(await runToEnd(d, id)).toBe('done');
      expect(sends).toHaveLength(6);
    });

    it('when cancelled while sends are in flight, then what the messenger accepted stays sent, the rest is skipped', async () => {
      for (let i = 0; i < 4; i++) await subscriber('telegram');
      const id = await started();
      const { port, sends } = recordingPort();
      let cancelled = false;
      const cancelling: BroadcastPort = {
        ...port,
        concurrency: () => 4,
        send: async (c, content, r) => {
          if (!cancelled) {
            cancelled = true;
            value(await api.cancel(operator, id));
          }
          return port.send(c, content, r);
        },
      };
      const { n, seen } = notifier();
      expect(await runBroadcast(runDeps(cancelling, n), { broadcastId: id })).toBe('cancelled');
      const rows = await db
        .selectFrom('broadcast_recipient')
        .select(['status', 'reason'])
        .where('broadcast_id', '=', id)
        .execute();
      expect(rows.filter((r) => r.status === 'sent')).toHaveLength(sends.length);
      expect(sends.length).toBeGreaterThan(0);
      expect(rows.filter((r) => r.status === 'skipped')).toHaveLength(4 - sends.length);
      expect(seen.finished).toHaveLength(1);
    });

    it('when sends are held longer than the lease (a long retry_after), then the lease is kept and no other sender takes over', async () => {
      await subscriber('telegram');
      const id = await started();
      const { port } = recordingPort();
      let release: () => void = () => {};
      const held = new Promise<void>((r) => {
        release = r;
      });
      const slow: BroadcastPort = {
        ...port,
        send: async (c, content, r) => {
          await held;
          return port.send(c, content, r);
        },
      };
      const first = runBroadcast(
        { ...runDeps(slow, notifier().n, 'holder'), leaseMs: 600, checkEveryMs: 100 },
        { broadcastId: id },
      );
      await new Promise((r) => setTimeout(r, 1_500));
      // Real time passed beyond the lease: the holder renewed it on its timer.
      const lease = await db
        .selectFrom('broadcast')
        .select(['lease_owner', 'lease_until'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      expect(lease.lease_owner).toBe('holder');
      clock.set(new Date(Date.now() > clock.now().getTime() ? clock.now().getTime() : clock.now().getTime()));
      expect(await runBroadcast(runDeps(port, notifier().n, 'other'), { broadcastId: id })).toBe('busy');
      release();
      expect(await first).toBe('done');
    });

    it('when a messenger has no sender in this instance, then its recipients are skipped, not left waiting forever', async () => {
      await subscriber('telegram');
      await subscriber('max');
      const id = await started();
      const { port } = recordingPort();
      const tgOnly: BroadcastPort = { ...port, channels: () => ['telegram'] };
      expect(await runToEnd(runDeps(tgOnly, notifier().n), id)).toBe('done');
      const report = value(await api.get(operator, id));
      expect(report.byChannel.max).toMatchObject({ skipped: 1 });
      expect(report.byChannel.telegram).toMatchObject({ sent: 1 });
    });
  });
});
