import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { makeApp, TEST_API_TOKEN } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

/** POST /api/v1/ingest on the running app (invented appeals, no real people). */
describe('POST /api/v1/ingest', () => {
  let testDb: TestDatabase;
  let app: App;
  const post = async (body: unknown, token = TEST_API_TOKEN, raw?: string) => {
    const res = await fetch(`${app.info.httpUrl}/api/v1/ingest`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: raw ?? JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> & { error?: Record<string, unknown> } };
  };
  const appeal = (over: Record<string, unknown> = {}) => ({
    source: 'im',
    externalId: 'ИМ-77',
    receivedAt: '2026-01-15T03:00:00Z',
    text: 'Не убирают снег во дворе дома, не пройти к подъезду',
    author: { name: 'Мария Примерная', phone: '+7 900 111-11-11' },
    address: 'ул. Юрина, 210',
    ...over,
  });

  beforeAll(async () => {
    testDb = await createTestDatabase('ingest_api', { migrate: true });
    ({ app } = makeApp({ DATABASE_URL: testDb.url, APP_ROLES: 'http' }));
    await app.start();
  });
  afterAll(async () => {
    await app?.stop();
    await testDb?.drop();
  });

  it('when an appeal is new, then 201 with its case; the same again is 200 with the same case; a status change is applied', async () => {
    const created = await post(appeal());
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      id: expect.any(Number),
      number: expect.stringMatching(/^МЦУ-2026-/),
      status: 'created',
    });
    const again = await post(appeal());
    expect(again).toMatchObject({ status: 200, body: { id: created.body.id, number: created.body.number, status: 'unchanged' } });
    const answered = await post(
      appeal({
        status: 'Закрыт',
        answeredAt: '2026-01-16T05:00:00Z',
        answerText: 'Двор очищен 16.01.2026 бригадой управляющей компании.',
      }),
    );
    expect(answered).toMatchObject({
      status: 200,
      body: { id: created.body.id, status: 'updated', changes: ['answer', 'status'] },
    });
    const c = await testDb.handle.db
      .selectFrom('case')
      .select(['status', 'regime'])
      .where('id', '=', Number(created.body.id))
      .executeTakeFirstOrThrow();
    expect(c).toEqual({ status: 'closed', regime: 'social' });
    expect(await testDb.handle.db.selectFrom('case').select('id').execute()).toHaveLength(1);
  });

  it('when fields are missing or wrong, then 400 VALIDATION_FAILED naming each in details', async () => {
    const r = await post({ source: 'pos', receivedAt: 12, rating: 9 });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(((r.body.error?.details ?? []) as string[]).map((d) => d.split(':')[0])).toEqual([
      'externalId',
      'receivedAt',
      'text',
      'rating',
    ]);
  });

  it.each([
    [
      'a date in the future',
      { receivedAt: '2099-01-01T00:00:00Z' },
      'VALIDATION_FAILED',
      /receivedAt: must not be in the future/,
    ],
    ['a date before 2000', { receivedAt: '1999-06-01T00:00:00Z' }, 'VALIDATION_FAILED', /receivedAt: must not be before 2000/],
    ['an unknown source', { source: 'twitter' }, 'UNKNOWN_SOURCE', /unknown source "twitter"; known: pos, im/],
    ['a text over 10,000 characters', { text: 'я'.repeat(10_001) }, 'VALIDATION_FAILED', /text: must be at most 10000/],
  ])('when the appeal has %s, then 400 %s', async (_, over, code, message) => {
    const r = await post(appeal({ externalId: 'ИМ-bad', ...over }));
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code, message: expect.stringMatching(message) });
  });

  it('when the body is over 1 MB, then 413; without a token, 401', async () => {
    const big = await post(undefined, TEST_API_TOKEN, JSON.stringify(appeal({ text: 'я'.repeat(600_000) })));
    expect(big.status).toBe(413);
    expect((await post(appeal(), 'wrong-token')).status).toBe(401);
    expect(await testDb.handle.db.selectFrom('case').select('id').execute()).toHaveLength(1);
  });
});
