import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { makeApp, TEST_API_TOKEN } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

/** The broadcasts API on the running app (invented citizens, no real people). */
describe('/api/v1/broadcasts', () => {
  let testDb: TestDatabase;
  let app: App;
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${app.info.httpUrl}/api/v1/broadcasts${path}`, {
      method,
      headers: {
        authorization: `Bearer ${TEST_API_TOKEN}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const bytes = Buffer.from(await res.arrayBuffer());
    const text = bytes.toString('utf8');
    const json = res.headers.get('content-type')?.startsWith('application/json')
      ? (JSON.parse(text) as Record<string, unknown>)
      : null;
    return {
      status: res.status,
      body: json as (Record<string, unknown> & { error?: { code: string; message: string } }) | null,
      text,
    };
  };
  const draft = (over: Record<string, unknown> = {}) => ({
    title: 'Отключение воды',
    text: 'В четверг с 9:00 до 18:00 не будет холодной воды на ул. Попова, 100–120.',
    segment: { kind: 'subscribers', districts: ['industrial'] },
    ...over,
  });

  beforeAll(async () => {
    testDb = await createTestDatabase('broadcasts_api', { migrate: true });
    ({ app } = makeApp({ DATABASE_URL: testDb.url, APP_ROLES: 'http' }));
    await app.start();
  });
  afterAll(async () => {
    await app?.stop();
    await testDb?.drop();
  });

  it('when input is bad, then 400 naming the field, and nothing is created', async () => {
    expect(await call('POST', '', draft({ text: '' }))).toMatchObject({
      status: 400,
      body: { error: { code: 'VALIDATION_FAILED' } },
    });
    const district = await call('POST', '', draft({ segment: { kind: 'subscribers', districts: ['atlantis'] } }));
    expect(district).toMatchObject({ status: 400, body: { error: { code: 'UNKNOWN_ID' } } });
    expect(district.body?.error?.message).toContain('segment.districts[0]');
    expect(await call('POST', '', draft({ text: 'я'.repeat(4500) }))).toMatchObject({
      status: 400,
      body: { error: { code: 'TEXT_TOO_LONG' } },
    });
    expect(await call('POST', '', draft({ scheduledAt: '2020-01-01T00:00:00Z' }))).toMatchObject({ status: 400 });
    expect(await call('POST', '', draft({ priority: 'urgent' }))).toMatchObject({ status: 400 });
    expect(await call('GET', '/999999')).toMatchObject({ status: 404 });
    expect(await call('GET', '')).toMatchObject({ status: 200, body: [] });
  });

  it('when a draft reaches nobody, then start is 422 with the reason; with subscribers it starts once, and the CSV lists them', async () => {
    const created = await call('POST', '', draft());
    expect(created).toMatchObject({ status: 201, body: { status: 'draft', author: 'api:dashboard' } });
    const id = Number(created.body?.id);
    const empty = await call('POST', `/${id}/start`);
    expect(empty).toMatchObject({ status: 422, body: { error: { code: 'EMPTY_SEGMENT' } } });

    const db = testDb.handle.db;
    for (const n of [1, 2, 3]) {
      const c = await db
        .insertInto('citizen')
        .values({ channel: 'telegram', external_id: String(7000 + n), display_name: `Житель ${n}`, consent: 'given' })
        .returning('id')
        .executeTakeFirstOrThrow();
      await db
        .insertInto('subscription')
        .values({ citizen_id: c.id, channel: 'telegram', chat_id: String(7000 + n), districts: n === 3 ? ['central'] : [] })
        .execute();
    }
    expect(await call('GET', `/${id}/preview`)).toMatchObject({
      status: 200,
      body: { recipients: 2, byChannel: { telegram: 2 }, needsApproval: false },
    });
    expect(await call('POST', `/${id}/approve`)).toMatchObject({ status: 403, body: { error: { code: 'APPROVER_ROLE' } } });
    expect(await call('POST', `/${id}/start`)).toMatchObject({ status: 200, body: { status: 'running', recipientsTotal: 2 } });
    expect(await call('POST', `/${id}/start`)).toMatchObject({ status: 409, body: { error: { code: 'ALREADY_STARTED' } } });
    expect(await call('PATCH', `/${id}`, { text: 'другой' })).toMatchObject({
      status: 409,
      body: { error: { code: 'NOT_A_DRAFT' } },
    });
    expect(await call('GET', `/${id}`)).toMatchObject({ status: 200, body: { totals: { pending: 2, sent: 0 } } });

    const csv = await call('GET', `/${id}/recipients.csv`);
    expect(csv.status).toBe(200);
    const lines = csv.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r?\n/);
    expect(csv.text.startsWith('\uFEFF')).toBe(true);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toContain('Статус');
    expect(lines[1]).toContain('Ожидает');

    expect(await call('POST', `/${id}/pause`)).toMatchObject({ status: 200, body: { status: 'paused' } });
    expect(await call('POST', `/${id}/cancel`)).toMatchObject({ status: 200, body: { status: 'cancelled' } });
    expect(await call('GET', `/${id}`)).toMatchObject({ body: { totals: { skipped: 2, pending: 0 } } });
  });
});
