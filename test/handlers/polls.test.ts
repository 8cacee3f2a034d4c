import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerCase } from '../../handlers/answers/answer-case.js';
import { recordConsent } from '../../handlers/intake/index.js';
import { answerPoll, askPoll } from '../../handlers/polls/polls.js';
import { ManualClock } from '../../models/clock.js';
import { createLogger } from '../../src/logger.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { recordingQueue } from '../helpers/jobs.js';

const GOOD = 'Подача воды восстановлена 01.12 в 15:00, порыв устранён бригадой МУП «Водоканал».';

describe('satisfaction polls', () => {
  let testDb: TestDatabase;
  const clock = new ManualClock('2026-12-01T03:00:00Z');
  const jobs = recordingQueue();
  const log = createLogger({ level: 'silent' });

  async function caseFrom(kind: 'private' | 'comment', chat: string): Promise<number> {
    const db = testDb.handle.db;
    const citizen = await db.selectFrom('citizen').select('id').where('external_id', '=', '55').executeTakeFirstOrThrow();
    const source = await db
      .insertInto('source')
      .values({
        channel: 'telegram',
        external_id: chat,
        kind: kind === 'private' ? 'private' : 'discussion_group',
        official: false,
        status: 'active',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const c = await db
      .insertInto('case')
      .values({
        number: `МЦУ-2026-9${chat}`,
        status: 'assigned',
        channel: 'telegram',
        source_id: source.id,
        citizen_id: citizen.id,
        text: 'Нет воды',
        last_message_at: clock.now(),
        created_at: clock.now(),
        updated_at: clock.now(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('message')
      .values({
        channel: 'telegram',
        source_id: source.id,
        external_id: '1',
        kind,
        citizen_id: citizen.id,
        platform_ids: JSON.stringify({ chat_id: Number(chat), message_id: 1 }),
        text: 'Нет воды',
        attachments: '[]',
        platform_at: clock.now(),
        received_at: clock.now(),
        raw: '{}',
        case_id: c.id,
      })
      .execute();
    return c.id;
  }

  beforeAll(async () => {
    testDb = await createTestDatabase('polls', { migrate: true });
    await recordConsent({ db: testDb.handle.db, clock }, { channel: 'telegram', author: { externalId: '55' }, consent: 'given' });
  });
  afterAll(async () => testDb.drop());

  it('when the problem is solved and rated 5, then the case is closed', async () => {
    const caseId = await caseFrom('private', '55');
    await answerCase({ db: testDb.handle.db, clock, jobs }, { caseId, text: GOOD, kind: 'final', actor: 'official:1' });
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
    await answerCase({ db: testDb.handle.db, clock, jobs }, { caseId, text: GOOD, kind: 'final', actor: 'official:1' });
    const poll = await testDb.handle.db
      .selectFrom('poll')
      .select('state')
      .where('case_id', '=', caseId)
      .executeTakeFirstOrThrow();
    expect(poll.state).toBe('unreachable');
  });
});
