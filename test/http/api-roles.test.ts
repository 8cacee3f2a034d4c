import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { apiCall, makeApp, TEST_API_TOKEN } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { seedCase } from '../helpers/rows.js';

describe('API: personal tokens carry their person’s role and department scope', () => {
  let testDb: TestDatabase;
  let app: App;
  const tokens: Record<'official' | 'operator' | 'coordinator' | 'gone', string> = {
    official: '',
    operator: '',
    coordinator: '',
    gone: '',
  };
  const ids: Record<string, number> = {};
  let ownCase = 0;
  let otherCase = 0;

  const call = (method: string, path: string, token: string, body?: unknown) => apiCall(app, method, path, body, token);

  beforeAll(async () => {
    testDb = await createTestDatabase('api_roles', { migrate: true });
    ({ app } = makeApp({ DATABASE_URL: testDb.url, APP_ROLES: 'http,worker' }));
    await app.start();
    for (const [key, department, role] of [
      ['official', 'roads-transport', 'official'],
      ['operator', 'mcu', 'operator'],
      ['coordinator', 'info-policy', 'coordinator'],
      ['gone', 'roads-transport', 'official'],
    ] as const) {
      const invite = await call('POST', '/api/v1/officials/invites', TEST_API_TOKEN, { name: key, department, role });
      ids[key] = Number(invite.body.officialId);
      const issued = await call('POST', `/api/v1/officials/${ids[key]}/api-tokens`, TEST_API_TOKEN);
      expect(issued.status).toBe(201);
      tokens[key] = String(issued.body.token);
    }
    const insert = async (number: string, department: string) =>
      (
        await seedCase(testDb.handle.db, {
          number,
          status: 'in_progress',
          text: `Обращение ${number}`,
          department,
        })
      ).id;
    ownCase = await insert('МЦУ-2026-700001', 'roads-transport');
    otherCase = await insert('МЦУ-2026-700002', 'education');
  });
  afterAll(async () => {
    await app.stop();
    await testDb.drop();
  });

  it("when an official lists cases, then only their department's, and another department's case is 403", async () => {
    const list = await call('GET', '/api/v1/cases', tokens.official);
    expect(list.status).toBe(200);
    expect((list.body.items as { number: string }[]).map((c) => c.number)).toEqual(['МЦУ-2026-700001']);
    expect((await call('GET', '/api/v1/cases?department=education', tokens.official)).body).toMatchObject({
      error: { code: 'FORBIDDEN' },
    });
    expect((await call('GET', `/api/v1/cases/${otherCase}`, tokens.official)).status).toBe(403);
    expect((await call('GET', `/api/v1/cases/${ownCase}`, tokens.official)).status).toBe(200);
    expect((await call('GET', '/api/v1/messages', tokens.official)).status).toBe(403);
  });

  it('when an official answers, then their own case is answered in their name and another department’s is refused', async () => {
    const text = 'Яму заделает бригада МБУ «Автодорстрой» до 10.12, ответственный — мастер Петров.';
    const own = await call('POST', `/api/v1/cases/${ownCase}/answers`, tokens.official, {
      text,
      kind: 'final',
      author: 'someone else',
    });
    expect(own.status).toBe(201);
    const audit = await call('GET', `/api/v1/cases/${ownCase}/audit`, tokens.official);
    expect((audit.body.items as { actor: string }[]).map((a) => a.actor)).toContain(`official:${ids.official}`);
    expect((await call('POST', `/api/v1/cases/${otherCase}/answers`, tokens.official, { text, kind: 'final' })).status).toBe(403);
  });

  it("when an official tries operators' and managers' actions, then 403; the operator and the coordinator may do theirs", async () => {
    for (const [method, path, body] of [
      ['POST', '/api/v1/officials/invites', { name: 'x', department: 'mcu', role: 'head' }],
      ['GET', '/api/v1/officials', undefined],
      ['GET', '/api/v1/alerts', undefined],
      ['POST', `/api/v1/cases/${otherCase}/assign`, { department: 'roads-transport' }],
      ['POST', `/api/v1/cases/${ownCase}/status`, { to: 'assigned' }],
      ['GET', '/api/v1/stats/departments', undefined],
      ['POST', `/api/v1/officials/${ids.operator}/api-tokens`, undefined],
    ] as const) {
      const r = await call(method, path, tokens.official, body);
      expect([path, r.status, (r.body.error as { code: string }).code]).toEqual([path, 403, 'FORBIDDEN']);
    }
    expect((await call('POST', `/api/v1/cases/${otherCase}/assign`, tokens.operator, { department: 'culture' })).status).toBe(
      200,
    );
    expect((await call('GET', '/api/v1/alerts', tokens.operator)).status).toBe(200);
    expect((await call('GET', '/api/v1/stats/departments', tokens.coordinator)).status).toBe(200);
    // Not even an operator (who may invite and deactivate) mints a token in someone else's name.
    expect((await call('POST', `/api/v1/officials/${ids.official}/api-tokens`, tokens.operator)).body).toMatchObject({
      error: { code: 'FORBIDDEN' },
    });
    expect((await call('GET', `/api/v1/cases/${otherCase}`, tokens.coordinator)).status).toBe(200);
    expect((await call('POST', `/api/v1/cases/${otherCase}/merge`, tokens.coordinator, { into: ownCase })).status).toBe(403);
  });

  it('when a person is deactivated or their tokens revoked, or a token is made up, then 401', async () => {
    expect((await call('GET', '/api/v1/status', tokens.gone)).status).toBe(200);
    expect((await call('POST', `/api/v1/officials/${ids.gone}/deactivate`, TEST_API_TOKEN)).status).toBe(200);
    expect((await call('GET', '/api/v1/status', tokens.gone)).status).toBe(401);
    expect((await call('DELETE', `/api/v1/officials/${ids.coordinator}/api-tokens`, TEST_API_TOKEN)).body).toEqual({
      officialId: ids.coordinator,
      revoked: 1,
    });
    expect((await call('GET', '/api/v1/status', tokens.coordinator)).status).toBe(401);
    expect((await call('GET', '/api/v1/status', `mcu_${'x'.repeat(43)}`)).status).toBe(401);
    // Only a hash is stored.
    const stored = await testDb.handle.db.selectFrom('api_token').select('token_hash').execute();
    expect(stored.every((r) => /^[0-9a-f]{64}$/.test(r.token_hash))).toBe(true);
    expect(stored.map((r) => r.token_hash)).not.toContain(tokens.official);
  });
});
