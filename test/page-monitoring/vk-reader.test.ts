import { describe, expect, it } from 'vitest';
import type { VkApiPort } from '../../bots/vk/api.js';
import { numericGroupId, repliesOf, VkPagesReader } from '../../bots/vk/pages-reader.js';
import type { PageRef, ReadOutcome } from '../../handlers/page-monitoring/index.js';
import { type FakeComment, type FakeCommunity, parseExecute, VkPagesFake } from '../../src/sandbox/vk-pages-fake.js';

/**
 * The VK pages reader against the pages fake called in process (no server): what it asks, how it packs
 * the calls into `execute`, what it makes of the answers.
 */
const NOW = Math.floor(Date.parse('2026-05-12T03:00:00Z') / 1000);
const DAY = 86_400;

/** A VkApiPort answering from the fake as vk-io would: execute → { response, errors }, a refused request thrown with its code. */
function inProcess(fake: VkPagesFake): VkApiPort {
  const call = async <T>(method: string, params: Record<string, unknown>): Promise<T> => {
    const body = fake.respond(method, { ...(params as Record<string, string>), access_token: 't' }) as {
      response?: unknown;
      execute_errors?: { error_code: number; method: string; error_msg: string }[];
      error?: { error_code: number; error_msg: string };
    };
    if (body.error) throw Object.assign(new Error(body.error.error_msg), { code: body.error.error_code });
    if (method === 'execute')
      return {
        response: body.response,
        errors: (body.execute_errors ?? []).map((e) => ({ code: e.error_code, method: e.method, message: e.error_msg })),
      } as T;
    return body.response as T;
  };
  return { call, execute: (code) => call('execute', { code }) } as VkApiPort;
}

/** A community with `posts` posts in the window, each with `top` citizens' comments and a community reply to each. */
function community(id: number, posts: number, top: number, thread = 1): FakeCommunity {
  let next = 1;
  return {
    id,
    screenName: `page${id}`,
    name: `Страница ${id}`,
    posts: Array.from({ length: posts }, (_, p) => ({
      id: p + 1,
      date: NOW - (p + 1) * 3600,
      comments: Array.from({ length: top }, (): FakeComment => {
        const cid = 1000 + next++;
        return {
          id: cid,
          fromId: 5000 + cid,
          date: NOW - 1800,
          text: 'Вопрос',
          thread: Array.from({ length: thread }, (__, t) => ({
            id: 100_000 + cid * 20 + t,
            fromId: -id,
            date: NOW - 1700 + t,
            text: 'Ответ',
          })),
        };
      }),
    })),
  };
}

const refs = (ids: number[]): PageRef[] => ids.map((id) => ({ id, platform: 'vk', externalId: `page${id}`, url: '' }));

async function read(fake: VkPagesFake, pages: PageRef[], known = new Map<number, Map<string, number>>()) {
  const reader = new VkPagesReader(inProcess(fake));
  const outcomes = new Map<number, ReadOutcome>();
  await reader.read(pages, {
    since: new Date((NOW - 30 * DAY) * 1000),
    known,
    onPage: async (id, outcome) => {
      outcomes.set(id, outcome);
    },
  });
  return { outcomes, stats: reader.stats };
}

describe('the VK pages reader', () => {
  it('when it reads many pages, then the calls go 25 to an execute request, close to the theoretical minimum', async () => {
    const fake = new VkPagesFake(1_000_000);
    for (let id = 1; id <= 30; id++) fake.add(community(id, 3, 4));
    const { outcomes, stats } = await read(fake, refs(Array.from({ length: 30 }, (_, i) => i + 1)));
    expect([...outcomes.values()].every((o) => o.status === 'read')).toBe(true);
    // 1 groups.getById + 30 wall.get + 90 wall.getComments = 121 calls: at least ⌈121 / 25⌉ = 5 requests.
    expect(stats.calls).toBe(121);
    expect(stats.requests).toBeLessThanOrEqual(6);
    expect(fake.requests.every((r) => r.method === 'execute' && r.calls <= 25)).toBe(true);
    const first = outcomes.get(1);
    if (first?.status !== 'read') throw new Error('not read');
    expect(first.reading.comments).toHaveLength(12);
    expect(first.reading.comments.every((c) => c.reply !== null)).toBe(true);
  });

  it('when a post’s comment count is unchanged since the last round, then its comments are not read again', async () => {
    const fake = new VkPagesFake(1_000_000);
    fake.add(community(7, 3, 2));
    const known = new Map([
      [
        7,
        new Map([
          ['1', 4],
          ['2', 4],
          ['3', 99],
        ]),
      ],
    ]);
    const { outcomes, stats } = await read(fake, refs([7]), known);
    // groups.getById, wall.get, and the comments of post 3 only.
    expect(stats.calls).toBe(3);
    const o = outcomes.get(7);
    if (o?.status !== 'read') throw new Error('not read');
    expect(o.reading.posts.map((p) => [p.id, p.commentsRead])).toEqual([
      ['1', false],
      ['2', false],
      ['3', true],
    ]);
  });

  it('when a thread holds more than 10 replies and a post more than 100 comments, then the rest is read with follow-up calls', async () => {
    const fake = new VkPagesFake(1_000_000);
    const big = community(8, 1, 150, 0);
    const first = big.posts[0]?.comments[0] as FakeComment;
    first.thread = Array.from({ length: 14 }, (_, t) => ({ id: 900_000 + t, fromId: 1, date: NOW - 1000 + t, text: 'ещё' }));
    first.thread.push({ id: 999_999, fromId: -8, date: NOW - 100, text: 'Ответ сообщества', replyTo: 900_013 });
    fake.add(big);
    const { outcomes, stats } = await read(fake, refs([8]));
    // getById, wall.get, comments offset 0 and 100, the thread of the first comment.
    expect(stats.calls).toBe(5);
    const o = outcomes.get(8);
    if (o?.status !== 'read') throw new Error('not read');
    expect(o.reading.comments).toHaveLength(150 + 14);
    expect(o.reading.comments.find((c) => c.id === '900013')?.reply?.id).toBe('999999');
    expect(o.reading.comments.find((c) => c.id === '900012')?.reply).toBeNull();
  });

  it('when a community is deleted, banned, private or unknown, then it is unreadable with the reason; one unknown name does not fail the others', async () => {
    const fake = new VkPagesFake(1_000_000);
    fake.add(
      { ...community(11, 1, 0), deactivated: 'deleted' },
      { ...community(12, 1, 0), deactivated: 'banned' },
      { ...community(13, 1, 0), isClosed: 2 },
      community(14, 1, 0),
    );
    const { outcomes } = await read(fake, [
      ...refs([11, 12, 13, 14]),
      { id: 15, platform: 'vk', externalId: 'no_such_page', url: '' },
    ]);
    expect(outcomes.get(11)).toEqual({ status: 'unreadable', reason: 'сообщество удалено', gone: true });
    expect(outcomes.get(12)).toEqual({ status: 'unreadable', reason: 'сообщество заблокировано', gone: true });
    expect(outcomes.get(13)).toEqual({ status: 'unreadable', reason: 'частное сообщество', gone: true });
    expect(outcomes.get(14)?.status).toBe('read');
    // Not found by this name is unreadable (the link may be wrong), not «gone».
    expect(outcomes.get(15)).toEqual({ status: 'unreadable', reason: 'страница не найдена', gone: false });
  });

  it('when the whole request is refused with «rate limit reached», then every page is deferred, none failed', async () => {
    const fake = new VkPagesFake(1_000_000);
    fake.add(community(21, 1, 1), community(22, 1, 1));
    fake.failRequests.push({ code: 29, times: 1 });
    const { outcomes } = await read(fake, refs([21, 22]));
    expect([...outcomes.values()].map((o) => o.status)).toEqual(['deferred', 'deferred']);
  });

  it('when a request of comments fails as a whole, then the page is deferred, not scored on the comments it did read', async () => {
    const fake = new VkPagesFake(1_000_000);
    fake.add(community(31, 2, 3));
    const api = inProcess(fake);
    let requests = 0;
    // The third request (the comments, after groups.getById and wall.get) is lost on the network.
    const failing = {
      ...api,
      call: async <T>(method: string, params: Record<string, unknown>): Promise<T> => {
        requests += 1;
        if (requests === 3) throw new Error('socket hang up');
        return api.call<T>(method, params);
      },
    } as VkApiPort;
    const reader = new VkPagesReader(failing);
    const outcomes = new Map<number, ReadOutcome>();
    await reader.read(refs([31]), {
      since: new Date((NOW - 30 * DAY) * 1000),
      known: new Map(),
      onPage: async (id, outcome) => {
        outcomes.set(id, outcome);
      },
    });
    expect(outcomes.get(31)).toEqual({ status: 'deferred', reason: 'VK request failed (network)' });
  });

  it('when the community replies to a citizen, then only its own reply after the comment counts', () => {
    const owner = -5;
    const comments = repliesOf(owner, 1, [
      { id: 1, fromId: 10, date: 100, text: 'Вопрос', replyTo: undefined, threadOf: undefined },
      { id: 2, fromId: 11, date: 110, text: 'Я тоже жду', replyTo: undefined, threadOf: 1 },
      { id: 3, fromId: -5, date: 120, text: 'Ответ второму', replyTo: 2, threadOf: 1 },
      { id: 4, fromId: -5, date: 130, text: 'Новость', replyTo: undefined, threadOf: undefined },
      { id: 5, fromId: -77, date: 140, text: 'Другое сообщество', replyTo: 1, threadOf: 1 },
    ]);
    expect(comments.map((c) => [c.id, c.reply?.id ?? null])).toEqual([
      ['1', null],
      ['2', '3'],
    ]);
  });

  it('when a contact person of the community replies under their own name, then it is the page’s reply and not a citizen’s comment', () => {
    const owner = -5;
    const contact = 42;
    const comments = repliesOf(
      owner,
      1,
      [
        { id: 1, fromId: 10, date: 100, text: 'Когда уберут снег?', replyTo: undefined, threadOf: undefined },
        { id: 2, fromId: contact, date: 150, text: 'Завтра до обеда', replyTo: 1, threadOf: 1 },
        { id: 3, fromId: contact, date: 160, text: 'Следите за новостями', replyTo: undefined, threadOf: undefined },
        { id: 4, fromId: 11, date: 170, text: 'А у нас?', replyTo: undefined, threadOf: undefined },
      ],
      new Set([contact]),
    );
    expect(comments.map((c) => [c.id, c.reply?.id ?? null, c.reply?.at.getTime() ?? null])).toEqual([
      ['1', '2', 150_000],
      ['4', null, null],
    ]);
  });

  it('when a page names its community by link, club id or screen name, then the id is read where there is one', () => {
    expect(numericGroupId('club123')).toBe(123);
    expect(numericGroupId('public77')).toBe(77);
    expect(numericGroupId('-5')).toBe(5);
    expect(numericGroupId('https://vk.com/club9')).toBe(9);
    expect(numericGroupId('barnaul22')).toBeNull();
  });

  it('when the fake reads execute code, then it accepts the reader’s form only', () => {
    expect(parseExecute('return [API.wall.get({"owner_id":-1,"count":100}),API.groups.getById({"group_ids":"a,b"})];')).toEqual([
      { method: 'wall.get', params: { owner_id: -1, count: 100 } },
      { method: 'groups.getById', params: { group_ids: 'a,b' } },
    ]);
    expect(parseExecute('var a = 1; return a;')).toBeNull();
  });
});
