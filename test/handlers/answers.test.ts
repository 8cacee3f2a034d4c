import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerCase, deliverAnswer } from '../../handlers/answers/answer-case.js';
import { ManualClock } from '../../lib/clock.js';
import { createLogger } from '../../src/logger.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { recordingQueue } from '../helpers/jobs.js';
import { seedCase, seedMessage, seedSource } from '../helpers/rows.js';

describe('answers: hold for approval and blocked delivery', () => {
  let testDb: TestDatabase;
  const clock = new ManualClock('2026-12-01T03:00:00Z');
  let caseId = 0;

  beforeAll(async () => {
    testDb = await createTestDatabase('answers', { migrate: true });
    const db = testDb.handle.db;
    const source = await seedSource(db, { channel: 'telegram', external_id: '42' });
    caseId = (await seedCase(db, { channel: 'telegram', source_id: source.id, text: 'Нет света', at: clock.now() })).id;
    await seedMessage(db, {
      case_id: caseId,
      external_id: '5',
      platform_ids: JSON.stringify({ chat_id: 42, message_id: 5 }),
      text: 'Нет света',
      at: clock.now(),
    });
  });
  afterAll(async () => testDb.drop());

  it('when a weak answer is forced and the config holds such answers, then it waits for an operator and the case does not move', async () => {
    const jobs = recordingQueue();
    const outcome = await answerCase(
      { db: testDb.handle.db, clock, jobs, holdForApproval: true },
      { caseId, text: 'Принято к сведению', kind: 'final', actor: { type: 'official', officialId: 1 }, force: true },
    );
    expect(outcome.status).toBe('held');
    // Nothing goes to the citizen; the operators are alerted with the answer to decide on.
    expect(jobs.jobs.map((j) => j.name)).toEqual(['notify-operators']);
    const row = await testDb.handle.db.selectFrom('case').select('status').where('id', '=', caseId).executeTakeFirstOrThrow();
    expect(row.status).toBe('assigned');
  });

  it('when the citizen blocked the bot, then the answer is marked blocked and not retried', async () => {
    const jobs = recordingQueue();
    const outcome = await answerCase(
      { db: testDb.handle.db, clock, jobs },
      {
        caseId,
        text: 'Электроснабжение восстановлено 01.12 в 15:00, авария на подстанции устранена бригадой МУП.',
        kind: 'interim',
        actor: { type: 'official', officialId: 1 },
      },
    );
    expect(outcome.status).toBe('queued');
    const answerId = 'answerId' in outcome ? outcome.answerId : 0;
    const result = await deliverAnswer(
      {
        db: testDb.handle.db,
        clock,
        log: createLogger({ level: 'silent' }),
        outbound: {
          send: async (to) =>
            to.channel === 'telegram'
              ? { status: 'blocked', reason: 'Forbidden: bot was blocked by the user' }
              : { status: 'failed', reason: `no ${to.channel} sender in this instance` },
          edit: async () => ({ status: 'failed', reason: 'no edits in this test' }),
        },
      },
      { answerId },
    );
    expect(result).toBe('blocked');
    const answer = await testDb.handle.db
      .selectFrom('answer')
      .select(['state', 'error'])
      .where('id', '=', answerId)
      .executeTakeFirstOrThrow();
    expect(answer).toEqual({ state: 'blocked', error: 'Forbidden: bot was blocked by the user' });
  });
});
