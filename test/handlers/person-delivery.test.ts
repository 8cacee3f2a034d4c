import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDomainConfig } from '../../config/domain.js';
import { notifyOfficial } from '../../handlers/reminders/notify-official.js';
import { sendDigest } from '../../handlers/reminders/send-digest.js';
import { ManualClock } from '../../lib/clock.js';
import { WorkingCalendar } from '../../lib/deadlines/index.js';
import { claimDigests } from '../../models/digest-repository.js';
import type { Channel } from '../../models/intake.js';
import { type ChannelPort, DeliveryError, type DeliveryResult } from '../../models/outbound.js';
import { createLogger } from '../../src/logger.js';
import { HOURS, local, PRODUCTION } from '../helpers/barnaul-calendar.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { type SeedAccount, seedCase, seedOfficial } from '../helpers/rows.js';

/** A channel port that answers per messenger as told, and records every attempt. */
function messengers(answers: Partial<Record<Channel, DeliveryResult['status']>>) {
  const tried: string[] = [];
  const port: ChannelPort = {
    send: async (to) => {
      tried.push(`${to.channel}:${to.chatId}`);
      const status = answers[to.channel] ?? 'sent';
      if (status === 'sent') return { status };
      if (status === 'blocked') return { status, reason: 'Forbidden: bot was blocked by the user' };
      if (status === 'retry') return { status, afterSeconds: 3, reason: 'Too Many Requests' };
      return { status, reason: 'Bad Gateway' };
    },
    edit: async () => ({ status: 'failed', reason: 'no edits in this test' }),
  };
  return { port, tried };
}

describe('notices to a person: the preferred messenger, else another they bound', () => {
  let testDb: TestDatabase;
  const clock = new ManualClock(local('2026-12-01 10:00'));
  const lines: string[] = [];
  const log = createLogger({ level: 'info', destination: { write: (line: string) => lines.push(line) } });
  let caseId = 0;
  const db = () => testDb.handle.db;
  /** MAX preferred (its chat differs from the user id), Telegram beside it. */
  const both = (suffix: string): SeedAccount[] => [
    { channel: 'max', userId: `90${suffix}`, chatId: `77${suffix}` },
    { channel: 'telegram', userId: `50${suffix}` },
  ];
  const blockedAt = async (officialId: number) =>
    (
      await db()
        .selectFrom('official_account')
        .select(['channel', 'blocked_at'])
        .where('official_id', '=', officialId)
        .orderBy('channel')
        .execute()
    ).map((a) => [a.channel, a.blocked_at !== null]);

  beforeAll(async () => {
    testDb = await createTestDatabase('person_delivery', { migrate: true });
    caseId = (await seedCase(db(), { text: 'Яма на дороге', department: 'roads-transport', at: clock.now() })).id;
  });
  afterAll(async () => testDb.drop());

  it('when the preferred messenger is blocked, then the other gets the card, and the blocked one is never tried again', async () => {
    const person = await seedOfficial(db(), { accounts: both('1'), at: clock.now() });
    const first = messengers({ max: 'blocked' });
    const notice = { officialId: person.id, caseId, kind: 'before:50' };
    expect(await notifyOfficial({ db: db(), clock, log, outbound: first.port }, notice)).toBe('sent');
    expect(first.tried).toEqual(['max:771', 'telegram:501']);
    expect(await blockedAt(person.id)).toEqual([
      ['max', true],
      ['telegram', false],
    ]);

    const next = messengers({});
    expect(await notifyOfficial({ db: db(), clock, log, outbound: next.port }, { ...notice, kind: 'before:80' })).toBe('sent');
    expect(next.tried).toEqual(['telegram:501']);
  });

  it('when every messenger is blocked, then the card is skipped and logged without the person, the chats or the text', async () => {
    const person = await seedOfficial(db(), { accounts: both('2'), at: clock.now() });
    const blocked = messengers({ max: 'blocked', telegram: 'blocked' });
    lines.length = 0;
    const notice = { officialId: person.id, caseId, kind: 'before:50' };
    expect(await notifyOfficial({ db: db(), clock, log, outbound: blocked.port }, notice)).toBe('unreachable');
    expect(blocked.tried).toEqual(['max:772', 'telegram:502']);
    // Which notice it was (the case, the kind), never whom: no person's id or name, no chat, no text.
    const logged = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(logged).toEqual([expect.objectContaining({ caseId, kind: 'before:50', msg: expect.stringMatching(/no messenger/) })]);
    const { level: _l, time: _t, pid: _p, msg, ...fields } = logged[0] ?? {};
    expect(Object.keys(fields).sort()).toEqual(['caseId', 'kind']);
    for (const secret of ['902', '772', '502', 'Яма', person.name, String(person.id)]) expect(String(msg)).not.toContain(secret);
    // Nothing left to try: the next notice sends nothing at all.
    const again = messengers({});
    expect(await notifyOfficial({ db: db(), clock, log, outbound: again.port }, notice)).toBe('unreachable');
    expect(again.tried).toEqual([]);
  });

  it.each([
    ['retry', 'Too Many Requests'],
    ['failed', 'Bad Gateway'],
  ] as const)(
    'when the preferred messenger answers %s, then the job throws so the queue retries it, and nothing is marked',
    async (status, reason) => {
      const person = await seedOfficial(db(), { accounts: both(status === 'retry' ? '3' : '4'), at: clock.now() });
      const flaky = messengers({ max: status });
      const notice = { officialId: person.id, caseId, kind: 'before:50' };
      const sending = notifyOfficial({ db: db(), clock, log, outbound: flaky.port }, notice);
      await expect(sending).rejects.toThrow(DeliveryError);
      await expect(sending).rejects.toThrow(reason);
      // The other messenger is not tried instead: the retry goes to the preferred one again.
      expect(flaky.tried).toHaveLength(1);
      expect(await blockedAt(person.id)).toEqual([
        ['max', false],
        ['telegram', false],
      ]);
    },
  );

  it('when a job was queued before staff accounts (a Telegram user id), then the person behind it gets the card on their messenger', async () => {
    await seedOfficial(db(), { accounts: both('5'), at: clock.now() });
    const port = messengers({});
    const old = { telegramUserId: '505', caseId, kind: 'before:100' };
    expect(await notifyOfficial({ db: db(), clock, log, outbound: port.port }, old)).toBe('sent');
    expect(port.tried).toEqual(['max:775']);
    // An account nobody has any more: skipped, nothing sent.
    const gone = messengers({});
    expect(await notifyOfficial({ db: db(), clock, log, outbound: gone.port }, { ...old, telegramUserId: '404404' })).toBe(
      'unreachable',
    );
    expect(gone.tried).toEqual([]);
  });

  it('when the digest meets a blocked preferred messenger, then it arrives on the other; blocked on both, it is recorded as blocked', async () => {
    const domain = loadDomainConfig('config/barnaul.yaml');
    const calendar = new WorkingCalendar({ productionCalendar: PRODUCTION, workingHours: HOURS, timeZone: 'Asia/Barnaul' });
    const morning = new ManualClock(local('2026-12-01 08:31'));
    const one = await seedOfficial(db(), { accounts: both('6'), at: clock.now() });
    const two = await seedOfficial(db(), { accounts: both('7'), at: clock.now() });
    await claimDigests(db(), '2026-12-01', [one.id, two.id]);
    const deps = { db: db(), clock: morning, calendar, domain, log };

    const half = messengers({ max: 'blocked' });
    expect(await sendDigest({ ...deps, outbound: half.port }, { officialId: one.id, localDate: '2026-12-01' })).toBe('sent');
    expect(half.tried).toEqual(['max:776', 'telegram:506']);

    const none = messengers({ max: 'blocked', telegram: 'blocked' });
    expect(await sendDigest({ ...deps, outbound: none.port }, { officialId: two.id, localDate: '2026-12-01' })).toBe('blocked');
    const row = await db().selectFrom('digest').select('outcome').where('official_id', '=', two.id).executeTakeFirstOrThrow();
    expect(row.outcome).toBe('blocked');
  });
});
