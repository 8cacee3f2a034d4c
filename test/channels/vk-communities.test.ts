import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVkApi } from '../../bots/vk/api.js';
import { VkCommunityReader } from '../../bots/vk/community-reader.js';
import { InboxWorker } from '../../handlers/inbox/index.js';
import {
  bindIntake,
  decideWallItem,
  type IntakeDeps,
  pollCommunities,
  WALL_CHANNEL,
  type WallEvent,
} from '../../handlers/intake/index.js';
import { ManualClock } from '../../lib/clock.js';
import { inboxBacklog } from '../../models/inbox-repository.js';
import { createLogger } from '../../src/logger.js';
import { waitFor } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { recordingQueue } from '../helpers/jobs.js';
import { VkApiFake } from '../helpers/vk-fake.js';

const OWNER = -3_000_001;

interface FakePost {
  id: number;
  from_id: number;
  owner_id: number;
  date: number;
  text: string;
  comments: { id: number; from_id: number; date: number; text: string }[];
}

describe('public VK communities: wall.get + execute(wall.getComments) with a watermark', () => {
  let testDb: TestDatabase;
  let vk: VkApiFake;
  const wall: FakePost[] = [];
  const jobs: string[] = [];

  const deps = (): IntakeDeps & Parameters<typeof pollCommunities>[0] => {
    const queue = recordingQueue();
    queue.sendMany = async (name, payloads) => {
      for (const _ of payloads) jobs.push(name);
    };
    return {
      db: testDb.handle.db,
      jobs: queue,
      clock: new ManualClock('2026-11-29T03:00:00Z'),
      log: createLogger({ level: 'silent' }),
      settings: { followUpWindowMs: 86_400_000, firstResponse: '9wh', timeZone: 'Asia/Barnaul' },
      // A new reader each time, as after a restart: only the database remembers where we were.
      reader: new VkCommunityReader(createVkApi({ token: 'service-token', apiBaseUrl: vk.baseUrl, requestsPerSecond: 3 })),
      communities: [{ ownerId: OWNER, name: 'Барнаул 22' }],
      recentPosts: 10,
    };
  };
  const post = (id: number, text: string, fromId = 700 + id): FakePost => ({
    id,
    from_id: fromId,
    owner_id: OWNER,
    date: 1_764_400_000 + id,
    text,
    comments: [],
  });
  let inbox: InboxWorker;
  /** Wall items are committed to the inbox by the poll and decided by the inbox worker. */
  const stored = async () => {
    await waitFor(async () => ((await inboxBacklog(testDb.handle.db)).pending === 0 ? true : undefined));
    return (await testDb.handle.db.selectFrom('message').select(['external_id', 'kind']).orderBy('id').execute()).map(
      (m) => m.external_id,
    );
  };

  beforeAll(async () => {
    testDb = await createTestDatabase('vk_communities', { migrate: true });
    vk = new VkApiFake();
    await vk.start();
    inbox = new InboxWorker(testDb.handle.db, createLogger({ level: 'silent' }), { maxAttempts: 3, idleMs: 20 });
    const intake = deps();
    inbox.register(WALL_CHANNEL, async (payload) => {
      await decideWallItem(bindIntake(intake), payload as WallEvent);
    });
    inbox.start();
    vk.handlers['wall.get'] = (p) => {
      const offset = Number(p.offset ?? 0);
      const items = [...wall].sort((a, b) => b.id - a.id).slice(offset, offset + Number(p.count ?? 20));
      return { count: wall.length, items: items.map(({ comments: _c, ...rest }) => rest) };
    };
    vk.handlers.execute = (p) => {
      const ids = JSON.parse(/var posts = (\[[^\]]*\])/.exec(p.code ?? '')?.[1] ?? '[]') as number[];
      return ids.map((id) => {
        const found = wall.find((w) => w.id === id);
        return found ? { count: found.comments.length, items: [...found.comments].sort((a, b) => b.id - a.id) } : false;
      });
    };
  });
  afterAll(async () => {
    await inbox.stop();
    await vk.stop();
    await testDb.drop();
  });

  it('when polled twice with new posts and comments in between, then everything is stored once, with no gaps', async () => {
    wall.push(post(1, 'Новость сообщества', -3_000_001), post(2, 'Жители жалуются: в Затоне нет воды'));
    wall[0]?.comments.push({ id: 10, from_id: 801, date: 1_764_400_100, text: 'У нас тоже нет воды' });
    const first = await pollCommunities(deps());
    expect(first).toEqual([{ ownerId: OWNER, posts: 2, comments: 1 }]);
    expect(await stored()).toEqual([`post:${OWNER}_1`, `post:${OWNER}_2`, `wall:${OWNER}_1:10`]);
    // Only citizens' items open cases: the community's own news does not.
    expect(await testDb.handle.db.selectFrom('case').select('id').execute()).toHaveLength(2);

    // Meanwhile: a new post, a new comment on an old post, and a reply in a thread.
    wall.push(post(3, 'Яма на Павловском тракте'));
    wall[0]?.comments.push({ id: 11, from_id: 802, date: 1_764_400_200, text: 'И у нас' });
    wall[1]?.comments.push({ id: 12, from_id: 803, date: 1_764_400_300, text: 'Когда починят?' });
    const second = await pollCommunities(deps());
    expect(second).toEqual([{ ownerId: OWNER, posts: 1, comments: 2 }]);

    const third = await pollCommunities(deps());
    expect(third).toEqual([{ ownerId: OWNER, posts: 0, comments: 0 }]);
    expect(await stored()).toEqual([
      `post:${OWNER}_1`,
      `post:${OWNER}_2`,
      `wall:${OWNER}_1:10`,
      `post:${OWNER}_3`,
      `wall:${OWNER}_1:11`,
      `wall:${OWNER}_2:12`,
    ]);
    // Comments for all watched posts came back in one execute request per poll.
    expect(vk.sent('execute')).toHaveLength(3);
    expect(vk.sent('wall.getComments')).toHaveLength(0);
  });
});
