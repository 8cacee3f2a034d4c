import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DomainConfig, domainConfigSchema, loadDomainConfig } from '../../config/domain.js';
import { bindBroadcasts } from '../../handlers/broadcasts/index.js';
import type { HandlerDeps } from '../../handlers/deps.js';
import { bindStaffBroadcasts, notifyBroadcastApproval } from '../../handlers/staff-broadcasts/index.js';
import { ManualClock } from '../../lib/clock.js';
import { WorkingCalendar } from '../../lib/deadlines/index.js';
import { findBroadcast } from '../../models/broadcast-repository.js';
import type { Tx } from '../../models/database.js';
import type { JobName, JobQueue } from '../../models/jobs.js';
import type { ChannelPort, OutboundMessage, Recipient } from '../../models/outbound.js';
import type { StaffAccount } from '../../models/staff-account.js';
import { createLogger } from '../../src/logger.js';
import { HOURS, PRODUCTION } from '../helpers/barnaul-calendar.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { seedCase, seedMessage, seedOfficial, seedSource } from '../helpers/rows.js';

/** Barnaul's domain file with approval above `above` recipients. */
function domainWith(above: number): DomainConfig {
  const domain = loadDomainConfig('config/barnaul.yaml');
  const broadcasts = domain.broadcasts;
  if (!broadcasts) throw new Error('the domain file has no broadcasts section');
  return domainConfigSchema.parse({
    ...domain,
    broadcasts: { ...broadcasts, approval: { ...broadcasts.approval, aboveRecipients: above } },
  });
}

describe('the /broadcast wizard’s use cases (real PostgreSQL)', () => {
  let testDb: TestDatabase;
  const clock = new ManualClock('2026-05-05T03:00:00Z');
  const log = createLogger({ level: 'silent' });
  const enqueued: { name: JobName; payload: unknown }[] = [];
  const jobs: JobQueue<Tx> = {
    send: async (name, payload) => {
      enqueued.push({ name, payload });
      return 'job';
    },
    sendMany: async () => {},
  };
  const db = () => testDb.handle.db;
  let domain = domainWith(1000);
  const calendar = new WorkingCalendar({ productionCalendar: PRODUCTION, workingHours: HOURS, timeZone: 'Asia/Barnaul' });
  const deps = (): HandlerDeps => ({ db: db(), jobs, clock, calendar, domain, log });
  const wizard = bindStaffBroadcasts(deps, bindBroadcasts(deps));

  const OPERATOR: StaffAccount = { channel: 'telegram', userId: '7101' };
  const HEAD: StaffAccount = { channel: 'max', userId: '9102' };
  const OFFICIAL: StaffAccount = { channel: 'telegram', userId: '7103' };
  let operatorId = 0;
  let headId = 0;

  const draftKind = async (id: number) =>
    (await db().selectFrom('official').select('draft_kind').where('id', '=', id).executeTakeFirstOrThrow()).draft_kind;

  beforeAll(async () => {
    testDb = await createTestDatabase('staff_broadcasts', { migrate: true });
    operatorId = (await seedOfficial(db(), { role: 'operator', department: 'mcu', name: 'Оператор Кузнецова', telegram: '7101' }))
      .id;
    headId = (
      await seedOfficial(db(), {
        role: 'head',
        department: 'mcu',
        name: 'Руководитель Петров',
        accounts: [{ channel: 'max', userId: '9102', chatId: '8102' }],
      })
    ).id;
    await seedOfficial(db(), { role: 'official', telegram: '7103' });
    // Three subscribers: two of Индустриальный (one on MAX), one of the whole city.
    for (const [n, channel, districts] of [
      [1, 'telegram', ['industrial']],
      [2, 'max', ['industrial']],
      [3, 'telegram', []],
    ] as const) {
      const c = await db()
        .insertInto('citizen')
        .values({ channel, external_id: String(60_000 + n), display_name: `Житель ${n}`, consent: 'given' })
        .returning('id')
        .executeTakeFirstOrThrow();
      await db()
        .insertInto('subscription')
        .values({ citizen_id: c.id, channel, chat_id: String(60_000 + n), districts: [...districts] })
        .execute();
    }
  });
  afterAll(async () => testDb.drop());

  it('when /broadcast is typed, then the wait is stored on the person (durable), and an official without the role is refused', async () => {
    expect(await wizard.begin(OFFICIAL)).toBe('forbidden');
    expect(await wizard.begin({ channel: 'telegram', userId: '1' })).toBe('forbidden');
    expect(await wizard.begin(OPERATOR)).toBe('waiting');
    expect(await draftKind(operatorId)).toBe('broadcast');
  });

  it('when the text comes, then it is a draft to every subscriber and the wait is gone; a second text is not taken', async () => {
    const draft = await wizard.compose(OPERATOR, 'Отключение воды\nЗавтра с 9 до 18 нет холодной воды.');
    expect(draft).toMatchObject({
      status: 'ok',
      value: {
        title: 'Отключение воды',
        text: 'Завтра с 9 до 18 нет холодной воды.',
        segment: { kind: 'subscribers' },
        status: 'draft',
      },
    });
    expect(await draftKind(operatorId)).toBeNull();
    expect(await wizard.compose(OPERATOR, 'ещё текст')).toBeNull();
    expect(await wizard.compose(OFFICIAL, 'текст')).toBeNull();
  });

  it('when the text is too long, then it is refused and the next text is still taken', async () => {
    await wizard.begin(OPERATOR);
    expect(await wizard.compose(OPERATOR, `Заголовок\n${'а'.repeat(4100)}`)).toMatchObject({
      status: 'invalid',
      code: 'TEXT_TOO_LONG',
    });
    expect(await draftKind(operatorId)).toBe('broadcast');
    expect(await wizard.compose(OPERATOR, 'Короткий текст')).toMatchObject({ status: 'ok' });
  });

  it('when a district is chosen and «Запустить» pressed, then the preview counts it, the pressed message is stored and the audience frozen', async () => {
    await wizard.begin(OPERATOR);
    const draft = await wizard.compose(OPERATOR, 'Ремонт сетей\nВ Индустриальном районе ремонт сетей.');
    if (draft?.status !== 'ok') throw new Error('no draft');
    const id = draft.value.id;
    const chosen = await wizard.choose(OPERATOR, id, 'industrial');
    expect(chosen).toMatchObject({
      status: 'ok',
      value: {
        broadcast: { segment: { kind: 'subscribers', districts: ['industrial'] } },
        preview: { recipients: 3, byChannel: { telegram: 2, max: 1 }, needsApproval: false },
      },
    });
    expect(await wizard.choose(OPERATOR, id, 'atlantis')).toMatchObject({ status: 'invalid', code: 'UNKNOWN_ID' });

    const pressed = { channel: 'telegram' as const, chatId: '7101', messageId: '321' };
    const started = await wizard.start(OPERATOR, id, pressed);
    expect(started).toMatchObject({ status: 'ok', value: { status: 'running', recipientsTotal: 3, totals: { pending: 3 } } });
    expect((await findBroadcast(db(), id))?.progressMessage).toEqual(pressed);
    expect(enqueued.at(-1)).toMatchObject({ name: 'broadcast-run', payload: { broadcastId: id } });
    const frozen = await db().selectFrom('broadcast_recipient').select('chat_id').where('broadcast_id', '=', id).execute();
    expect(frozen.map((r) => r.chat_id).sort()).toEqual(['60001', '60002', '60003']);

    // A second press changes nothing: the progress message stays, the start is refused.
    expect(await wizard.start(OPERATOR, id, { ...pressed, messageId: '999' })).toMatchObject({
      status: 'conflict',
      code: 'ALREADY_STARTED',
    });
    expect((await findBroadcast(db(), id))?.progressMessage).toEqual(pressed);

    expect(await wizard.control(OPERATOR, id, 'pause')).toMatchObject({ status: 'ok', value: { status: 'paused' } });
    expect(await wizard.control(OPERATOR, id, 'pause')).toMatchObject({ status: 'conflict', code: 'WRONG_STATE' });
    expect(await wizard.control(OPERATOR, id, 'cancel')).toMatchObject({
      status: 'ok',
      value: { status: 'cancelled', totals: { skipped: 3 } },
    });
  });

  it('when the audience is above the threshold, then the approvers are asked, the author cannot approve, a second person does, and the author is told', async () => {
    domain = domainWith(1);
    enqueued.length = 0;
    await wizard.begin(OPERATOR);
    const draft = await wizard.compose(OPERATOR, 'Плановое отключение\nЗавтра нет горячей воды.');
    if (draft?.status !== 'ok') throw new Error('no draft');
    const id = draft.value.id;
    expect(await wizard.choose(OPERATOR, id, null)).toMatchObject({
      value: { preview: { needsApproval: true, approved: false } },
    });
    expect(await wizard.start(OPERATOR, id, null)).toEqual({
      status: 'approval_requested',
      broadcastId: id,
      threshold: 1,
      approvers: 1,
    });
    expect(enqueued).toEqual([{ name: 'broadcast-approval', payload: { broadcastId: id, step: 'requested' } }]);

    const sent: { to: Recipient; message: OutboundMessage; ref: string }[] = [];
    const port: ChannelPort = {
      send: async (to, message, ref) => {
        sent.push({ to, message, ref });
        return { status: 'sent', messageId: 'mid.1' };
      },
      edit: async () => ({ status: 'sent' }),
    };
    const noticeDeps = { db: db(), clock, domain, log, outbound: port };
    expect(await notifyBroadcastApproval(noticeDeps, { broadcastId: id, step: 'requested' })).toEqual({
      status: 'sent',
      people: 1,
    });
    expect(sent).toMatchObject([
      {
        to: { channel: 'max', chatId: '8102' },
        message: {
          kind: 'broadcast_approval',
          approval: {
            step: 'requested',
            broadcastId: id,
            title: 'Плановое отключение',
            recipients: 3,
            threshold: 1,
            by: 'Оператор Кузнецова',
          },
        },
        ref: `broadcast-approval:${id}:${headId}`,
      },
    ]);

    expect(await wizard.approve(OPERATOR, id)).toMatchObject({ status: 'forbidden', code: 'APPROVER_ROLE' });
    expect(await wizard.approve(OFFICIAL, id)).toMatchObject({ status: 'forbidden' });
    expect(await wizard.approve(HEAD, id)).toMatchObject({ status: 'ok', value: { approvedBy: `official:${headId}` } });
    expect(enqueued.at(-1)).toEqual({ name: 'broadcast-approval', payload: { broadcastId: id, step: 'approved' } });
    expect(await notifyBroadcastApproval(noticeDeps, { broadcastId: id, step: 'approved' })).toEqual({
      status: 'sent',
      people: 1,
    });
    expect(sent.at(-1)).toMatchObject({
      to: { channel: 'telegram', chatId: '7101' },
      message: { approval: { step: 'approved', by: 'Руководитель Петров' } },
    });
    // Asked again once approved: stale, nobody is bothered.
    expect(await notifyBroadcastApproval(noticeDeps, { broadcastId: id, step: 'requested' })).toEqual({ status: 'stale' });

    expect(await wizard.start(OPERATOR, id, null)).toMatchObject({ status: 'ok', value: { status: 'running' } });
    domain = domainWith(1000);
  });

  it('when «Жителям по проблеме» is chosen, then the five largest open problems are offered, and a problem’s citizens are the audience, without a subscription', async () => {
    // Six open problems of 1…6 cases; the citizens of the largest write to the bot in private.
    const source = await seedSource(db(), { channel: 'telegram' });
    for (let size = 1; size <= 6; size++) {
      const problem = await db()
        .insertInto('problem')
        .values({
          category: 'cold-water',
          district: 'industrial',
          title: `Проблема ${size}`,
          first_at: clock.now(),
          last_at: clock.now(),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      for (let i = 0; i < size; i++) {
        const citizen = await db()
          .insertInto('citizen')
          .values({ channel: 'telegram', external_id: String(70_000 + size * 10 + i), display_name: 'Житель', consent: 'given' })
          .returning(['id', 'external_id'])
          .executeTakeFirstOrThrow();
        const k = await seedCase(db(), {
          channel: 'telegram',
          source_id: source.id,
          citizen_id: citizen.id,
          problem_id: Number(problem.id),
          at: clock.now(),
        });
        await seedMessage(db(), { case_id: k.id, platform_ids: JSON.stringify({ chat_id: citizen.external_id, message_id: 1 }) });
      }
    }
    const offered = await wizard.problems(OPERATOR);
    if (offered.status !== 'ok') throw new Error(JSON.stringify(offered));
    expect(offered.value.map((p) => [p.title, p.cases])).toEqual([
      ['Проблема 6', 6],
      ['Проблема 5', 5],
      ['Проблема 4', 4],
      ['Проблема 3', 3],
      ['Проблема 2', 2],
    ]);
    expect(await wizard.problems(OFFICIAL)).toMatchObject({ status: 'forbidden' });

    await wizard.begin(OPERATOR);
    const draft = await wizard.compose(OPERATOR, 'Вода дана\nХолодная вода снова есть. Спасибо за терпение.');
    if (draft?.status !== 'ok') throw new Error('no draft');
    const id = draft.value.id;
    const largest = offered.value[0]?.id ?? 0;
    expect(await wizard.chooseProblem(OPERATOR, id, largest)).toMatchObject({
      status: 'ok',
      value: {
        broadcast: { segment: { kind: 'problem', problemId: largest } },
        preview: { recipients: 6, byChannel: { telegram: 6 } },
        problem: 'Проблема 6',
      },
    });
    expect(await wizard.chooseProblem(OPERATOR, id, 999_999)).toMatchObject({ status: 'invalid', code: 'UNKNOWN_ID' });

    // «Экстренная»: the draft's priority; the sender's queue is the emergency one.
    expect(await wizard.setPriority(OPERATOR, id, 'emergency')).toMatchObject({ status: 'ok', value: { priority: 'emergency' } });
    expect(await wizard.setPriority(OFFICIAL, id, 'normal')).toMatchObject({ status: 'forbidden' });
    enqueued.length = 0;
    expect(await wizard.start(OPERATOR, id, null)).toMatchObject({
      status: 'ok',
      value: { status: 'running', priority: 'emergency', recipientsTotal: 6 },
    });
    expect(enqueued).toEqual([{ name: 'broadcast-run-emergency', payload: { broadcastId: id } }]);
    const frozen = await db().selectFrom('broadcast_recipient').select('chat_id').where('broadcast_id', '=', id).execute();
    expect(frozen.map((r) => r.chat_id).sort()).toEqual(['70060', '70061', '70062', '70063', '70064', '70065']);
    expect(await wizard.setPriority(OPERATOR, id, 'normal')).toMatchObject({ status: 'conflict', code: 'NOT_A_DRAFT' });
    await wizard.control(OPERATOR, id, 'cancel');
  });

  it('when the head authors one above the threshold, then they cannot approve their own: self-approval is refused', async () => {
    domain = domainWith(1);
    await wizard.begin(HEAD);
    const draft = await wizard.compose(HEAD, 'Своя рассылка');
    if (draft?.status !== 'ok') throw new Error('no draft');
    expect(await wizard.approve(HEAD, draft.value.id)).toMatchObject({ status: 'forbidden', code: 'SELF_APPROVAL' });
    domain = domainWith(1000);
  });
});
