import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { startVkApp, waitFor } from '../helpers/app.js';
import type { TestDatabase } from '../helpers/database.js';
import { vkCallbackPayloads } from '../helpers/payloads.js';
import type { VkApiFake } from '../helpers/vk-fake.js';

const GROUP_ID = 219_000_077;
const SECRET = 'vk-snippet-secret';

const { event, wallReply } = vkCallbackPayloads({ groupId: GROUP_ID, secret: SECRET });
const comment = (id: number, postId: number, text: string) => wallReply({ id, postId, text, from: 777_001 });

describe('VK comments get the snippet of the post they are under (VK API fake)', () => {
  let testDb: TestDatabase;
  let vk: VkApiFake;
  let app: App;
  let stop: () => Promise<void>;

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
    ({ testDb, vk, app, stop } = await startVkApp({
      database: 'vk_snippet',
      vk: { groupId: GROUP_ID, secret: SECRET, confirmationCode: 'c0nf1rm' },
    }));
    vk.handlers['wall.getById'] = (params) =>
      params.posts === `-${GROUP_ID}_90`
        ? {
            items: [
              { id: 90, owner_id: -GROUP_ID, text: 'Плановое отключение горячей воды\nс 1 по 14 декабря в Центральном районе' },
            ],
          }
        : { items: [] };
  });
  afterAll(() => stop?.());

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
