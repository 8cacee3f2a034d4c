import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { makeApp, waitFor } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { VkApiFake } from '../helpers/vk-fake.js';

const GROUP_ID = 219_000_077;
const SECRET = 'vk-snippet-secret';
let seq = 0;

const event = (type: string, object: Record<string, unknown>) => ({
  group_id: GROUP_ID,
  type,
  event_id: `s${++seq}`,
  v: '5.199',
  object,
  secret: SECRET,
});
const comment = (id: number, postId: number, text: string) =>
  event('wall_reply_new', {
    id,
    from_id: 777_001,
    post_id: postId,
    owner_id: -GROUP_ID,
    parents_stack: [],
    date: 1_764_400_100,
    text,
    thread: { count: 0 },
    post_owner_id: -GROUP_ID,
  });

describe('VK comments get the snippet of the post they are under (VK API fake)', () => {
  let testDb: TestDatabase;
  let vk: VkApiFake;
  let app: App;

  const send = async (body: unknown) => {
    const res = await fetch(`${app.info.httpUrl}/vk/callback`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(await res.text()).toBe('ok');
  };
  const threadOf = async (text: string) => {
    const row = await testDb.handle.db.selectFrom('message').select('thread').where('text', '=', text).executeTakeFirst();
    return row?.thread as { postId?: string; snippet?: string } | undefined;
  };

  beforeAll(async () => {
    testDb = await createTestDatabase('vk_snippet');
    vk = new VkApiFake();
    vk.handlers['wall.getById'] = (params) =>
      params.posts === `-${GROUP_ID}_90`
        ? {
            items: [
              { id: 90, owner_id: -GROUP_ID, text: 'Плановое отключение горячей воды\nс 1 по 14 декабря в Центральном районе' },
            ],
          }
        : { items: [] };
    await vk.start();
    ({ app } = makeApp({
      DATABASE_URL: testDb.url,
      VK_GROUP_TOKEN: 'vk1.a.community-token',
      VK_GROUP_ID: String(GROUP_ID),
      VK_API_BASE_URL: vk.baseUrl,
      VK_MODE: 'callback',
      VK_CALLBACK_SECRET: SECRET,
      VK_CONFIRMATION_CODE: 'c0nf1rm',
      APP_ROLES: 'http,vk,worker',
    }));
    await app.start();
  });
  afterAll(async () => {
    await app.stop();
    await vk.stop();
    await testDb.drop();
  });

  it("when the community's post was received, then a comment under it gets its snippet from the database", async () => {
    await send(
      event('wall_post_new', {
        id: 80,
        owner_id: -GROUP_ID,
        from_id: -GROUP_ID,
        date: 1_764_400_000,
        post_type: 'post',
        text: 'Ремонт дорог: график на неделю',
      }),
    );
    await send(comment(801, 80, 'А на Попова когда?'));
    const thread = await waitFor(async () => {
      const t = await threadOf('А на Попова когда?');
      return t?.snippet ? t : undefined;
    });
    expect(thread).toEqual({ postId: '80', snippet: 'Ремонт дорог: график на неделю' });
    expect(vk.sent('wall.getById')).toHaveLength(0);
  });

  it('when the post predates the bot, then the snippet is fetched with wall.getById, outside the case transaction', async () => {
    await send(comment(901, 90, 'У нас на Ленина воды нет уже сейчас'));
    const thread = await waitFor(async () => {
      const t = await threadOf('У нас на Ленина воды нет уже сейчас');
      return t?.snippet ? t : undefined;
    });
    expect(thread?.snippet).toBe('Плановое отключение горячей воды с 1 по 14 декабря в Центральном районе');
    expect(vk.sent('wall.getById')[0]?.params.posts).toBe(`-${GROUP_ID}_90`);
  });
});
