import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDomainConfig } from '../../config/domain.js';
import { type IntakeDeps, processMessage, receiveMessage } from '../../handlers/intake/index.js';
import { createStructurer } from '../../handlers/structuring/assess.js';
import { ManualClock } from '../../lib/clock.js';
import type { IncomingMessage } from '../../models/intake.js';
import type { App } from '../../src/app.js';
import { createLogger } from '../../src/logger.js';
import { makeApp, TEST_API_TOKEN } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { recordingQueue } from '../helpers/jobs.js';
import { incomingVkComment } from '../helpers/payloads.js';

let seq = 0;
const comment = (text: string): IncomingMessage =>
  incomingVkComment(
    { ownerId: -7, postId: 1, commentId: ++seq, text, author: 100 + seq },
    { permalink: null, thread: null, platformIds: {}, platformAt: new Date('2026-12-01T03:00:00Z') },
  );

describe('API: problems, alerts, corrections', () => {
  let testDb: TestDatabase;
  let app: App;
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${app.info.httpUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${TEST_API_TOKEN}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    testDb = await createTestDatabase('structuring_api', { migrate: true });
    const domain = loadDomainConfig('config/barnaul.yaml');
    const clock = new ManualClock('2026-12-01T03:00:00Z');
    const deps: IntakeDeps = {
      db: testDb.handle.db,
      jobs: recordingQueue(),
      clock,
      log: createLogger({ level: 'silent' }),
      settings: { followUpWindowMs: 86_400_000, firstResponse: '9wh', timeZone: 'Asia/Barnaul' },
      structuring: { domain, structurer: createStructurer(domain, null) },
    };
    for (const text of ['Пожар в подвале на Власихе', 'Подскажите, куда обращаться?']) {
      const r = await receiveMessage(deps, comment(text));
      if (r.status === 'stored') await processMessage(deps, { messageId: r.messageId });
    }
    ({ app } = makeApp({ DATABASE_URL: testDb.url, APP_ROLES: 'http' }));
    await app.start();
  });
  afterAll(async () => {
    await app.stop();
    await testDb.drop();
  });

  it('when alerts are listed and one is acknowledged, then it leaves the open list; a second ack is 404', async () => {
    const open = await call('GET', '/api/v1/alerts?open=true');
    const items = open.body.items as { id: number; kind: string }[];
    expect(items.map((a) => a.kind)).toEqual(['urgent']);
    expect((await call('POST', `/api/v1/alerts/${items[0]?.id}/ack`)).status).toBe(200);
    expect(((await call('GET', '/api/v1/alerts?open=true')).body.items as unknown[]).length).toBe(0);
    expect((await call('POST', `/api/v1/alerts/${items[0]?.id}/ack`)).status).toBe(404);
  });

  it('when an operator sets the category of a triage case, then it is routed and both labels are kept', async () => {
    const triage = ((await call('GET', '/api/v1/cases?status=triage')).body.items as { id: number }[])[0];
    const patched = await call('PATCH', `/api/v1/cases/${triage?.id}`, { category: 'yards' });
    expect(patched).toMatchObject({ status: 200, body: { status: 'corrected', category: 'yards' } });
    const detail = await call('GET', `/api/v1/cases/${triage?.id}`);
    expect(detail.body).toMatchObject({ status: 'assigned', category: 'yards', structuring: { categoryRule: 'operator' } });
  });

  it('when the category is unknown or the body is wrong, then 400 with a code', async () => {
    expect((await call('PATCH', '/api/v1/cases/1', { category: 'teleportation' })).body).toMatchObject({
      error: { code: 'UNKNOWN_CATEGORY' },
    });
    expect((await call('PATCH', '/api/v1/cases/1', { colour: 'red' })).body).toMatchObject({
      error: { code: 'VALIDATION_FAILED' },
    });
    expect((await call('PATCH', '/api/v1/cases/999999', { category: 'yards' })).status).toBe(404);
  });

  it('when a case moves along its lifecycle, then only valid moves pass and each is in the audit trail', async () => {
    const [urgent] = (await call('GET', '/api/v1/cases?priority=urgent')).body.items as { id: number; status: string }[];
    expect(urgent?.status).toBe('triage');
    const skip = await call('POST', `/api/v1/cases/${urgent?.id}/status`, { to: 'in_progress' });
    expect(skip).toMatchObject({ status: 409, body: { error: { code: 'INVALID_TRANSITION' } } });
    expect((await call('POST', `/api/v1/cases/${urgent?.id}/status`, { to: 'assigned' })).body).toMatchObject({
      status: 'changed',
      from: 'triage',
    });
    expect(
      (await call('POST', `/api/v1/cases/${urgent?.id}/status`, { to: 'in_progress', comment: 'выехала бригада' })).body,
    ).toMatchObject({
      status: 'changed',
      from: 'assigned',
      to: 'in_progress',
    });
    expect((await call('POST', `/api/v1/cases/${urgent?.id}/status`, { to: 'flying' })).status).toBe(400);
    const audit = (await call('GET', `/api/v1/cases/${urgent?.id}/audit`)).body.items as {
      actor: string;
      action: string;
      details: Record<string, unknown>;
    }[];
    expect(audit.map((a) => a.action)).toEqual(['case_opened', 'status_changed', 'status_changed', 'status_changed']);
    expect(audit.at(-1)).toMatchObject({
      actor: 'api',
      details: { from: 'assigned', to: 'in_progress', comment: 'выехала бригада' },
    });
  });

  it('when problems and models are listed, then JSON lists come back', async () => {
    expect((await call('GET', '/api/v1/problems')).body).toEqual({ items: [] });
    expect((await call('GET', '/api/v1/classifier/models')).body).toEqual({ items: [] });
  });
});
