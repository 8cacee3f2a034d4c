import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerCase } from '../../handlers/answers/answer-case.js';
import { processMessage, recordConsent, requestNewCase } from '../../handlers/intake/index.js';
import { requestPollComment } from '../../handlers/polls/index.js';
import { answerPoll, askPoll } from '../../handlers/polls/polls.js';
import { ManualClock } from '../../lib/clock.js';
import { createLogger } from '../../src/logger.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { recordingQueue } from '../helpers/jobs.js';
import { seedCase, seedMessage, seedSource } from '../helpers/rows.js';

const GOOD = 'Подача воды восстановлена 01.12 в 15:00, порыв устранён бригадой МУП «Водоканал».';

describe('satisfaction polls', () => {
  let testDb: TestDatabase;
  const clock = new ManualClock('2026-12-01T03:00:00Z');
  const jobs = recordingQueue();
  const log = createLogger({ level: 'silent' });

  async function caseFrom(kind: 'private' | 'comment', chat: string, channel: 'telegram' | 'vk' = 'telegram'): Promise<number> {
    const db = testDb.handle.db;
    const citizen = await db
      .selectFrom('citizen')
      .select('id')
      .where('channel', '=', channel)
      .where('external_id', '=', channel === 'vk' ? '777' : '55')
      .executeTakeFirstOrThrow();
    const source = await seedSource(db, {
      channel,
      external_id: chat,
      kind: kind === 'private' ? 'private' : 'discussion_group',
    });
    const c = await seedCase(db, {
      channel,
      source_id: source.id,
      citizen_id: citizen.id,
      text: 'Нет воды',
      at: clock.now(),
    });
    await seedMessage(db, {
      case_id: c.id,
      external_id: '1',
      kind,
      platform_ids: JSON.stringify(
        channel === 'vk' ? { peer_id: Number(chat), message_id: 1 } : { chat_id: Number(chat), message_id: 1 },
      ),
      text: 'Нет воды',
      at: clock.now(),
    });
    return c.id;
  }

  beforeAll(async () => {
    testDb = await createTestDatabase('polls', { migrate: true });
    await recordConsent({ db: testDb.handle.db, clock }, { channel: 'telegram', author: { externalId: '55' }, consent: 'given' });
    await recordConsent({ db: testDb.handle.db, clock }, { channel: 'vk', author: { externalId: '777' }, consent: 'given' });
  });
  afterAll(async () => testDb.drop());

  it('when the problem is solved and rated 5, then the case is closed', async () => {
    const caseId = await caseFrom('private', '55');
    await answerCase(
      { db: testDb.handle.db, clock, jobs },
      { caseId, text: GOOD, kind: 'final', actor: { type: 'official', officialId: 1 } },
    );
    expect(jobs.jobs.find((j) => j.name === 'ask-poll')?.payload).toEqual({ caseId, reminder: false });
    const deps = { db: testDb.handle.db, clock, jobs, log };
    expect(await askPoll(deps, { caseId, reminder: false })).toBe('asked');
    expect(await askPoll(deps, { caseId, reminder: false })).toBe('skipped');
    const sender = { channel: 'telegram' as const, externalId: '55' };
    expect(await answerPoll(deps, { caseId, sender, solved: true })).toBe('asked_rating');
    expect(await answerPoll(deps, { caseId, sender: { channel: 'telegram', externalId: '66' }, rating: 1 })).toBe('not_yours');
    expect(await answerPoll(deps, { caseId, sender, rating: 5 })).toBe('closed');
    const row = await testDb.handle.db.selectFrom('case').select('status').where('id', '=', caseId).executeTakeFirstOrThrow();
    expect(row.status).toBe('closed');
    expect(await answerPoll(deps, { caseId, sender, rating: 1 })).toBe('stale');
  });

  it('when the citizen wrote in a public thread, then the poll is marked unreachable, not sent', async () => {
    const caseId = await caseFrom('comment', '-100777');
    await answerCase(
      { db: testDb.handle.db, clock, jobs },
      { caseId, text: GOOD, kind: 'final', actor: { type: 'official', officialId: 1 } },
    );
    const poll = await testDb.handle.db
      .selectFrom('poll')
      .select('state')
      .where('case_id', '=', caseId)
      .executeTakeFirstOrThrow();
    expect(poll.state).toBe('unreachable');
  });

  it('when a VK citizen wrote in a private message, then the poll is asked in VK and «Нет» from VK reopens the case', async () => {
    const caseId = await caseFrom('private', '777', 'vk');
    await answerCase(
      { db: testDb.handle.db, clock, jobs },
      { caseId, text: GOOD, kind: 'final', actor: { type: 'official', officialId: 1 } },
    );
    const deps = { db: testDb.handle.db, clock, jobs, log };
    expect(await pollState(caseId)).toBe('scheduled');
    const seen = jobs.jobs.length;
    expect(await askPoll(deps, { caseId, reminder: false })).toBe('asked');
    expect(jobs.jobs.slice(seen).find((j) => j.name === 'notify-citizen')?.payload).toMatchObject({
      target: { channel: 'vk', chatId: '777' },
      notification: { kind: 'poll', caseId },
    });
    // The Telegram citizen «777» does not exist; the Telegram citizen 55 is not this case's citizen.
    expect(await answerPoll(deps, { caseId, sender: { channel: 'telegram', externalId: '55' }, solved: false })).toBe(
      'not_yours',
    );
    expect(await answerPoll(deps, { caseId, sender: { channel: 'vk', externalId: '777' }, solved: false })).toBe('reopened');
    const row = await testDb.handle.db.selectFrom('case').select('status').where('id', '=', caseId).executeTakeFirstOrThrow();
    expect(row.status).toBe('reopened');
  });

  it('when the citizen presses «Добавить комментарий» after a low rating and writes, then the message is the comment, on the poll, the audit and the alert', async () => {
    const caseId = await caseFrom('private', '5501');
    await answerCase(
      { db: testDb.handle.db, clock, jobs },
      { caseId, text: GOOD, kind: 'final', actor: { type: 'official', officialId: 1 } },
    );
    const deps = { db: testDb.handle.db, clock, jobs, log };
    const sender = { channel: 'telegram' as const, externalId: '55' };
    await askPoll(deps, { caseId, reminder: false });
    // Not before the poll is answered.
    expect(await requestPollComment(deps, { caseId, sender })).toBe('stale');
    let seen = jobs.jobs.length;
    expect(await answerPoll(deps, { caseId, sender, solved: true })).toBe('asked_rating');
    expect(await answerPoll(deps, { caseId, sender, rating: 2 })).toBe('reopened');
    expect(
      jobs.jobs.slice(seen).find((j) => j.name === 'notify-citizen' && hasKind(j.payload, 'poll_thanks'))?.payload,
    ).toMatchObject({
      notification: { kind: 'poll_thanks', caseId, reopened: true },
    });
    expect(await requestPollComment(deps, { caseId, sender: { channel: 'vk', externalId: '777' } })).toBe('not_yours');
    expect(await requestPollComment(deps, { caseId, sender })).toBe('ready');

    clock.advance(60_000);
    seen = jobs.jobs.length;
    const messageId = await privateMessage(caseId, 'c1', 'Ничего не сделано, вода так и течёт по подъезду');
    expect(await processMessage(intakeDeps(), { messageId })).toMatchObject({ status: 'poll_comment', caseId });
    const poll = await testDb.handle.db
      .selectFrom('poll')
      .select(['comment', 'commented_at', 'comment_requested_at'])
      .where('case_id', '=', caseId)
      .executeTakeFirstOrThrow();
    expect(poll).toEqual({
      comment: 'Ничего не сделано, вода так и течёт по подъезду',
      commented_at: clock.now(),
      comment_requested_at: null,
    });
    const message = await testDb.handle.db
      .selectFrom('message')
      .select('case_id')
      .where('id', '=', messageId)
      .executeTakeFirstOrThrow();
    expect(message.case_id).toBe(caseId);
    const audit = await testDb.handle.db
      .selectFrom('audit_log')
      .select(['actor', 'details'])
      .where('entity', '=', 'case')
      .where('entity_id', '=', String(caseId))
      .where('action', '=', 'poll_comment')
      .execute();
    expect(audit).toEqual([
      { actor: 'citizen:telegram', details: { comment: 'Ничего не сделано, вода так и течёт по подъезду', messageId } },
    ]);
    const alert = await testDb.handle.db
      .selectFrom('alert')
      .select(['id', 'details'])
      .where('case_id', '=', caseId)
      .where('kind', '=', 'reopened')
      .executeTakeFirstOrThrow();
    expect(alert.details).toMatchObject({ rating: 2, comment: 'Ничего не сделано, вода так и течёт по подъезду' });
    const after = jobs.jobs.slice(seen);
    expect(after.find((j) => j.name === 'notify-operators')?.payload).toEqual({ alertId: alert.id });
    expect(after.find((j) => j.name === 'notify-citizen')?.payload).toMatchObject({
      notification: { kind: 'poll_comment_thanks' },
    });

    // One comment per poll: the next message is an ordinary follow-up of the (reopened) case.
    const next = await privateMessage(caseId, 'c2', 'И ещё: в подвале тоже вода');
    expect(await processMessage(intakeDeps(), { messageId: next })).toMatchObject({ status: 'joined', caseId });
    expect(await requestPollComment(deps, { caseId, sender })).toBe('stale');
  });

  it('when the window has passed or «Новое обращение» was pressed after, then the message is not taken as a comment', async () => {
    const caseId = await caseFrom('private', '5502');
    await answerCase(
      { db: testDb.handle.db, clock, jobs },
      { caseId, text: GOOD, kind: 'final', actor: { type: 'official', officialId: 1 } },
    );
    const deps = { db: testDb.handle.db, clock, jobs, log };
    const sender = { channel: 'telegram' as const, externalId: '55' };
    await askPoll(deps, { caseId, reminder: false });
    await answerPoll(deps, { caseId, sender, solved: true });
    expect(await answerPoll(deps, { caseId, sender, rating: 5 })).toBe('closed');

    expect(await requestPollComment(deps, { caseId, sender })).toBe('ready');
    clock.advance(2 * 3_600_000);
    const late = await privateMessage(caseId, 'c3', 'Не горит фонарь у дома 12 на Малахова');
    expect((await processMessage(intakeDeps(), { messageId: late })).status).not.toBe('poll_comment');

    expect(await requestPollComment(deps, { caseId, sender })).toBe('ready');
    expect(await requestNewCase({ db: testDb.handle.db }, sender)).toBe('ok');
    clock.advance(60_000);
    const fresh = await privateMessage(caseId, 'c4', 'Яма на дороге у школы 55', true);
    expect((await processMessage(intakeDeps(), { messageId: fresh })).status).toBe('opened');
    const poll = await testDb.handle.db
      .selectFrom('poll')
      .select('comment')
      .where('case_id', '=', caseId)
      .executeTakeFirstOrThrow();
    expect(poll.comment).toBeNull();
  });

  const hasKind = (payload: unknown, kind: string) =>
    (payload as { notification?: { kind?: string } }).notification?.kind === kind;

  async function pollState(caseId: number): Promise<string> {
    const poll = await testDb.handle.db
      .selectFrom('poll')
      .select('state')
      .where('case_id', '=', caseId)
      .executeTakeFirstOrThrow();
    return poll.state;
  }

  function intakeDeps() {
    return {
      db: testDb.handle.db,
      jobs,
      clock,
      log,
      settings: { followUpWindowMs: 7 * 86_400_000, firstResponse: '24h', timeZone: 'Asia/Barnaul' },
    };
  }

  /** A new private message from the case's citizen in the case's chat, received now and not yet processed. */
  async function privateMessage(caseId: number, externalId: string, text: string, newCase = false): Promise<number> {
    const db = testDb.handle.db;
    const c = await db
      .selectFrom('case')
      .select(['source_id', 'citizen_id', 'channel'])
      .where('id', '=', caseId)
      .executeTakeFirstOrThrow();
    const row = await seedMessage(db, {
      ...c,
      external_id: externalId,
      platform_ids: JSON.stringify({ chat_id: 55, message_id: 2 }),
      text,
      new_case: newCase,
      at: clock.now(),
    });
    return row.id;
  }
});
