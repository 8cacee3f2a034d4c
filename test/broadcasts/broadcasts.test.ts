import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MaxBroadcaster } from '../../bots/max/broadcast.js';
import { createBroadcastPort } from '../../bots/outbound/broadcast-port.js';
import { renderBroadcast } from '../../bots/outbound/render.js';
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
import { OutageTracker, outageWaitSeconds } from '../../handlers/broadcasts/outage.js';
import type { HandlerDeps } from '../../handlers/deps.js';
import { recordConsent } from '../../handlers/intake/index.js';
import { ManualClock } from '../../lib/clock.js';
import { WorkingCalendar } from '../../lib/deadlines/index.js';
import type { BroadcastChannel, BroadcastPort, BulkRecipient, BulkResult } from '../../models/broadcast.js';
import { claimRecipients } from '../../models/broadcast-repository.js';
import type { Db } from '../../models/database.js';
import type { BroadcastNotStarted } from '../../models/outbound.js';
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
    const seen = { progress: 0, finished: [] as BroadcastReport[], notStarted: [] as BroadcastNotStarted[] };
    const n: BroadcastNotifier = {
      progress: async () => {
        seen.progress++;
      },
      finished: async (r) => {
        seen.finished.push(r);
      },
      notStarted: async (notice) => {
        seen.notStarted.push(notice);
      },
    };
    return { n, seen };
  }
  /** The messenger failing on its side (a 5xx, the network): an outage's sign. */
  const down = (seq: number): BulkResult => ({ seq, status: 'failed', reason: '502 Bad Gateway', transient: true });
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
      expect(await sweepBroadcasts({ db, jobs, clock, log, domain })).toEqual({ started: 0, resumed: 0, notStarted: 0 });
      clock.set('2026-12-07T06:00:01Z');
      expect(await sweepBroadcasts({ db, jobs, clock, log, domain })).toEqual({ started: 1, resumed: 0, notStarted: 0 });
      expect(value(await api.get(operator, b.id))).toMatchObject({ status: 'running', recipientsTotal: 2 });
    });

    it('when a scheduled broadcast grew above the approval threshold by its start, then the sweep does not start it: back to draft with the reason, the author told', async () => {
      const small = {
        ...domain,
        broadcasts: { ...domain.broadcasts!, approval: { aboveRecipients: 1, roles: ['head' as const] } },
      };
      const strict = bindBroadcasts(() => ({ ...deps(), domain: small }));
      await subscriber('telegram');
      const b = value(await strict.create(operator, input({ scheduledAt: '2026-12-07T06:00:00Z' })));
      // One recipient when it is scheduled: no approval needed then.
      expect(value(await strict.start(operator, b.id)).status).toBe('scheduled');
      await subscriber('vk');
      jobs.jobs.length = 0;
      clock.set('2026-12-07T06:00:01Z');
      const { n, seen } = notifier();
      expect(await sweepBroadcasts({ db, jobs, clock, log, domain: small, notifier: n })).toEqual({
        started: 0,
        resumed: 0,
        notStarted: 1,
      });
      const after = value(await strict.get(operator, b.id));
      expect(after).toMatchObject({ status: 'draft', startedAt: null, recipientsTotal: null });
      expect(after.notStartedReason).toMatch(/^2 recipients is above 1: a second person/);
      expect(jobs.jobs).toEqual([]);
      expect(await db.selectFrom('broadcast_recipient').select('seq').where('broadcast_id', '=', b.id).execute()).toEqual([]);
      expect(seen.notStarted).toEqual([
        { broadcastId: b.id, title: 'Отключение воды', why: 'approval', recipients: 2, threshold: 1 },
      ]);
      const audit = await db
        .selectFrom('audit_log')
        .select(['action', 'details'])
        .where('entity', '=', 'broadcast')
        .where('entity_id', '=', String(b.id))
        .where('action', '=', 'broadcast.not_started')
        .execute();
      expect(audit).toHaveLength(1);
      expect(audit[0]?.details).toMatchObject({ code: 'APPROVAL_REQUIRED', recipients: 2 });
      // A later sweep leaves it be; approved by a second person, it starts now (its time has passed).
      expect(await sweepBroadcasts({ db, jobs, clock, log, domain: small, notifier: n })).toMatchObject({ notStarted: 0 });
      expect(await strict.start(operator, b.id)).toMatchObject({ status: 'conflict', code: 'APPROVAL_REQUIRED' });
      value(await strict.approve(head, b.id));
      expect(value(await strict.start(operator, b.id))).toMatchObject({
        status: 'running',
        recipientsTotal: 2,
        notStartedReason: null,
      });
    });

    it('when a scheduled broadcast reaches nobody at its start, then the sweep does not start it with 0 recipients: back to draft with the reason, the author told', async () => {
      const leaves = await subscriber('telegram', ['industrial']);
      const b = value(
        await api.create(
          operator,
          input({ scheduledAt: '2026-12-07T06:00:00Z', segment: { kind: 'subscribers', districts: ['industrial'] } }),
        ),
      );
      expect(value(await api.start(operator, b.id)).status).toBe('scheduled');
      await db.updateTable('subscription').set({ active: false }).where('citizen_id', '=', leaves.id).execute();
      jobs.jobs.length = 0;
      clock.set('2026-12-07T06:00:01Z');
      const { n, seen } = notifier();
      expect(await sweepBroadcasts({ db, jobs, clock, log, domain, notifier: n })).toMatchObject({ started: 0, notStarted: 1 });
      const after = value(await api.get(operator, b.id));
      expect(after).toMatchObject({ status: 'draft', recipientsTotal: null });
      expect(after.notStartedReason).toMatch(/^no active subscriber matches/);
      expect(jobs.jobs).toEqual([]);
      expect(seen.notStarted).toEqual([
        {
          broadcastId: b.id,
          title: 'Отключение воды',
          why: 'empty',
          recipients: 0,
          threshold: domain.broadcasts?.approval.aboveRecipients,
        },
      ]);
    });

    it('when the title takes room, then the text’s limit is what is left of the smallest messenger limit (the message as the messengers render it)', async () => {
      const title = 'Отключение воды';
      const fits = 4000 - title.length - 1;
      const refused = await api.create(operator, input({ title, text: 'а'.repeat(fits + 1) }));
      expect(refused).toMatchObject({ status: 'invalid', code: 'TEXT_TOO_LONG', field: 'text' });
      expect(refused.status === 'invalid' && refused.message).toContain(`the text may have at most ${fits} characters`);
      const b = value(await api.create(operator, input({ title, text: 'а'.repeat(fits) })));
      const rendered = renderBroadcast({ ...b, broadcastId: b.id, audience: 'subscribers' });
      expect(rendered.text).toHaveLength(4000);
      // The emergency mark takes its line too: the same text no longer fits as an emergency.
      expect(await api.update(operator, b.id, { priority: 'emergency' })).toMatchObject({ code: 'TEXT_TOO_LONG', field: 'text' });
      expect(await api.create(operator, input({ title, text: 'а'.repeat(fits), priority: 'emergency' }))).toMatchObject({
        code: 'TEXT_TOO_LONG',
      });
      expect((await api.create(operator, input({ title, text: 'а'.repeat(fits + 1), allowSplit: true }))).status).toBe('ok');
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

    it('when the messenger is down for a while (5xx), then recipients wait the outage out at its long waits, and all go when it is back', async () => {
      for (let i = 0; i < 6; i++) await subscriber('max');
      const id = await started();
      let isDown = true;
      const { port, sends } = recordingPort((_c, r) => (isDown ? down(r.seq) : 'sent'));
      const d = { ...runDeps(port, notifier().n), outages: new OutageTracker() };
      // The first two failures are recipients' own (the short back-off); from the third on it is an outage.
      expect(await runBroadcast(d, { broadcastId: id })).toBe('waiting');
      const waits = await db
        .selectFrom('broadcast_recipient')
        .select(['seq', 'reason', 'available_at'])
        .where('broadcast_id', '=', id)
        .orderBy('seq')
        .execute();
      const secondsOf = (at: Date) => Math.round((at.getTime() - clock.now().getTime()) / 1000);
      expect(waits.map((w) => secondsOf(w.available_at))).toEqual([2, 2, 60, 60, 60, 60]);
      expect(waits[2]?.reason).toBe('max unavailable: 502 Bad Gateway');
      // Two more tries while it is down: every recipient waits, none is given up.
      for (let i = 0; i < 2; i++) {
        clock.advance(301_000);
        expect(['waiting', 'continues']).toContain(await runBroadcast(d, { broadcastId: id }));
      }
      const during = await db
        .selectFrom('broadcast_recipient')
        .select(['status', 'attempts'])
        .where('broadcast_id', '=', id)
        .execute();
      expect(during.filter((r) => r.status === 'failed')).toEqual([]);
      expect(Math.max(...during.map((r) => r.attempts))).toBeLessThan(domain.broadcasts?.maxAttempts ?? 5);
      isDown = false;
      expect(await runToEnd(d, id)).toBe('done');
      expect(sends).toHaveLength(6);
      const after = await db.selectFrom('broadcast_recipient').select('status').where('broadcast_id', '=', id).execute();
      expect(after.every((r) => r.status === 'sent')).toBe(true);
    });

    it('when the outage does not end, then each recipient is given up after maxAttempts tries and the broadcast is done, not running forever', async () => {
      for (let i = 0; i < 4; i++) await subscriber('telegram');
      const id = await started();
      const { port } = recordingPort((_c, r) => down(r.seq));
      const { n, seen } = notifier();
      expect(await runToEnd({ ...runDeps(port, n), outages: new OutageTracker() }, id, 40)).toBe('done');
      const rows = await db
        .selectFrom('broadcast_recipient')
        .select(['status', 'reason', 'attempts'])
        .where('broadcast_id', '=', id)
        .execute();
      expect(rows).toHaveLength(4);
      for (const r of rows) expect(r).toMatchObject({ status: 'failed', attempts: domain.broadcasts?.maxAttempts });
      expect(rows.filter((r) => r.reason === 'telegram unavailable: 502 Bad Gateway').length).toBeGreaterThan(0);
      expect(seen.finished).toHaveLength(1);
      expect(seen.finished[0]).toMatchObject({ status: 'done', totals: { failed: 4, pending: 0 } });
    });

    it('when several recipients fail permanently (a 400), then each spends its attempts and is stamped failed, the broadcast is done and the author gets the summary', async () => {
      const ok = await subscriber('telegram');
      for (let i = 0; i < 5; i++) await subscriber('telegram');
      const id = await started();
      const { port, sends } = recordingPort((_c, r) =>
        r.chatId === ok.external_id ? 'sent' : { seq: r.seq, status: 'failed', reason: 'Bad Request: message is too long' },
      );
      const { n, seen } = notifier();
      const d = runDeps(port, n);
      expect(await runToEnd(d, id, 40)).toBe('done');
      expect(sends.map((s) => s.chatId)).toEqual([ok.external_id]);
      const failed = await db
        .selectFrom('broadcast_recipient')
        .select(['status', 'reason', 'attempts'])
        .where('broadcast_id', '=', id)
        .where('status', '=', 'failed')
        .execute();
      expect(failed).toHaveLength(5);
      for (const r of failed)
        expect(r).toEqual({
          status: 'failed',
          reason: 'Bad Request: message is too long',
          attempts: domain.broadcasts?.maxAttempts,
        });
      expect(seen.finished).toHaveLength(1);
      expect(seen.finished[0]).toMatchObject({ status: 'done', totals: { sent: 1, failed: 5, pending: 0 } });
    });

    it('when the broadcast’s picture is broken, then every recipient is failed with the reason and the broadcast is done, not retried without end', async () => {
      for (let i = 0; i < 5; i++) await subscriber('max');
      const id = await started({ photoUrl: 'https://mcu.example/broken.jpg' });
      let reads = 0;
      const sent: string[] = [];
      const max = new MaxBroadcaster(
        {
          send: async (to) => {
            sent.push(JSON.stringify(to));
            return { mid: 'mid' };
          },
        },
        { uploadPhoto: async () => ({ type: 'image', payload: { token: 't' } }) },
        30,
        async () => {
          reads++;
          throw new Error('the broadcast picture could not be read: HTTP 404');
        },
      );
      const { n, seen } = notifier();
      const d = { ...runDeps(createBroadcastPort([max]), n), outages: new OutageTracker() };
      expect(await runToEnd(d, id, 40)).toBe('done');
      expect(sent).toEqual([]);
      const rows = await db
        .selectFrom('broadcast_recipient')
        .select(['status', 'reason'])
        .where('broadcast_id', '=', id)
        .execute();
      expect(rows).toHaveLength(5);
      for (const r of rows)
        expect(r).toEqual({
          status: 'failed',
          reason: 'the picture could not be uploaded: the broadcast picture could not be read: HTTP 404',
        });
      // The broken picture is remembered a while, not read once per recipient and try.
      expect(reads).toBeLessThan(5 * (domain.broadcasts?.maxAttempts ?? 5));
      expect(seen.finished[0]).toMatchObject({ status: 'done', totals: { failed: 5 } });
    });

    it('when one broadcast’s messenger calls fail, then another broadcast’s failures stay its recipients’ own (outage state per broadcast)', async () => {
      const tracker = new OutageTracker();
      const failing = [1, 2, 3].map(down);
      const adjusted = tracker.adjust('telegram', 101, failing, new Map([[3, 1]]));
      expect(tracker.down('telegram', 101)).toBe(true);
      expect(adjusted[2]).toMatchObject({ afterSeconds: outageWaitSeconds(1), reason: 'telegram unavailable: 502 Bad Gateway' });
      // Another broadcast on the same messenger: its first failure is not taken for an outage.
      const other = tracker.adjust('telegram', 102, [down(1)]);
      expect(other[0]).not.toHaveProperty('afterSeconds');
      expect(tracker.down('telegram', 102)).toBe(false);
      // A broadcast with one recipient on a messenger never makes a streak: its second failure on the
      // platform's side already waits as in an outage (minutes), so a short outage does not fail it.
      const again = tracker.adjust('telegram', 102, [down(1)], new Map([[1, 2]]));
      expect(again[0]).toMatchObject({ afterSeconds: outageWaitSeconds(1) });
      // Permanent failures never make an outage, and show the messenger answers.
      const refused = tracker.adjust('telegram', 101, [{ seq: 4, status: 'failed', reason: 'Bad Request' }]);
      expect(refused[0]).toEqual({ seq: 4, status: 'failed', reason: 'Bad Request' });
      expect(tracker.down('telegram', 101)).toBe(false);
      const many = tracker.adjust(
        'vk',
        103,
        [5, 6, 7, 8].map((seq) => ({ seq, status: 'failed', reason: 'VK error 913' })),
      );
      expect(many.every((r) => !('afterSeconds' in r))).toBe(true);
      expect(tracker.down('vk', 103)).toBe(false);
      tracker.forget(101);
      expect(tracker.down('telegram', 101)).toBe(false);
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
