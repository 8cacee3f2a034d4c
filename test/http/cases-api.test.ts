import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type IntakeDeps, processMessage, receiveMessage } from '../../handlers/intake/index.js';
import { ManualClock } from '../../lib/clock.js';
import type { IncomingMessage } from '../../models/intake.js';
import type { App } from '../../src/app.js';
import { createLogger } from '../../src/logger.js';
import { makeApp, TEST_API_TOKEN } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { recordingQueue } from '../helpers/jobs.js';
import { incomingVkComment } from '../helpers/payloads.js';

function comment(id: number, text: string, minutes: number): IncomingMessage {
  return incomingVkComment(
    { ownerId: -1, postId: 5, commentId: id, text, author: 100 + id },
    { platformAt: new Date(Date.UTC(2026, 10, 29, 3, minutes)) },
  );
}

describe('API: cases and messages', () => {
  let testDb: TestDatabase;
  let app: App;
  const get = async (path: string, token = TEST_API_TOKEN) => {
    const res = await fetch(`${app.info.httpUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    testDb = await createTestDatabase('cases_api', { migrate: true });
    const clock = new ManualClock('2026-11-29T03:00:00Z');
    const deps: IntakeDeps = {
      db: testDb.handle.db,
      jobs: recordingQueue(),
      clock,
      log: createLogger({ level: 'silent' }),
      settings: { followUpWindowMs: 86_400_000, firstResponse: '9wh', timeZone: 'Asia/Barnaul' },
    };
    const texts = [
      'Нет горячей воды в доме',
      'Яма на дороге у школы',
      'Не вывозят мусор',
      'Холодные батареи в квартире',
      'Сломан светофор',
    ];
    for (const [i, text] of texts.entries()) {
      clock.advance(60_000);
      const r = await receiveMessage(deps, comment(i + 1, text, i));
      if (r.status === 'stored') await processMessage(deps, { messageId: r.messageId });
    }
    ({ app } = makeApp({ DATABASE_URL: testDb.url, APP_ROLES: 'http' }));
    await app.start();
  });
  afterAll(async () => {
    await app.stop();
    await testDb.drop();
  });

  it('when cases are listed, then each has the documented fields and the newest comes first', async () => {
    const { status, body } = await get('/api/v1/cases');
    expect(status).toBe(200);
    const items = body.items as Record<string, unknown>[];
    expect(items).toHaveLength(5);
    expect(items[0]).toMatchObject({
      number: expect.stringMatching(/^МЦУ-2026-\d{6}$/),
      status: 'triage',
      channel: 'vk',
      text: 'Сломан светофор',
      category: null,
      district: null,
      department: null,
      deadlineAt: null,
      triageReason: 'no_classifier',
    });
    for (const key of [
      'id',
      'number',
      'status',
      'channel',
      'text',
      'category',
      'district',
      'department',
      'createdAt',
      'deadlineAt',
    ]) {
      expect(items[0]).toHaveProperty(key);
    }
    expect(body.nextCursor).toBeNull();
  });

  it('when paging with a cursor, then pages do not overlap and together cover everything', async () => {
    const first = await get('/api/v1/cases?limit=2');
    const second = await get(`/api/v1/cases?limit=2&cursor=${first.body.nextCursor}`);
    const third = await get(`/api/v1/cases?limit=2&cursor=${second.body.nextCursor}`);
    const texts = [first, second, third].flatMap((p) => (p.body.items as { text: string }[]).map((c) => c.text));
    expect(texts).toEqual([
      'Сломан светофор',
      'Холодные батареи в квартире',
      'Не вывозят мусор',
      'Яма на дороге у школы',
      'Нет горячей воды в доме',
    ]);
    expect(third.body.nextCursor).toBeNull();
  });

  it('when searching by text, then Russian word forms match («вода» finds «воды»)', async () => {
    const { body } = await get(`/api/v1/cases?q=${encodeURIComponent('вода')}`);
    expect((body.items as { text: string }[]).map((c) => c.text)).toEqual(['Нет горячей воды в доме']);
  });

  it('when filtering by status, channel and time, then only matching cases come back', async () => {
    expect(((await get('/api/v1/cases?status=closed')).body.items as unknown[]).length).toBe(0);
    expect(((await get('/api/v1/cases?channel=vk&status=triage')).body.items as unknown[]).length).toBe(5);
    const late = await get('/api/v1/cases?from=2026-11-29T03:04:00Z');
    expect((late.body.items as { text: string }[]).map((c) => c.text)).toEqual([
      'Сломан светофор',
      'Холодные батареи в квартире',
    ]);
  });

  it('when a case is opened by id or number, then its messages come with it', async () => {
    const [first] = (await get('/api/v1/cases?limit=1')).body.items as { id: number; number: string }[];
    const byId = await get(`/api/v1/cases/${first?.id}`);
    const byNumber = await get(`/api/v1/cases/${encodeURIComponent(first?.number ?? '')}`);
    expect(byId.status).toBe(200);
    expect(byNumber.body).toEqual(byId.body);
    expect(byId.body.messages).toEqual([
      expect.objectContaining({
        kind: 'comment',
        text: 'Сломан светофор',
        permalink: 'https://vk.com/wall-1_5?reply=5',
        thread: { postId: '5' },
      }),
    ]);
  });

  it('when the input is bad, then 400 with a code; an unknown case is 404', async () => {
    expect((await get('/api/v1/cases?limit=0')).body).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
    expect((await get('/api/v1/cases?cursor=garbage')).status).toBe(400);
    expect((await get('/api/v1/cases?channel=fax')).status).toBe(400);
    expect((await get('/api/v1/cases?unknown=1')).status).toBe(400);
    expect((await get(`/api/v1/cases?q=${encodeURIComponent("'; drop table case; --")}`)).status).toBe(200);
    expect((await get('/api/v1/cases/999999')).status).toBe(404);
  });

  it('when messages are listed, then they are paged and filterable by kind', async () => {
    const { body } = await get('/api/v1/messages?kind=comment&limit=3');
    expect((body.items as unknown[]).length).toBe(3);
    expect(typeof body.nextCursor).toBe('string');
  });
});
