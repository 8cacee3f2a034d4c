import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';

/**
 * A local VK API of official communities, for the monitoring tests and bench/pages
 * (docs/architecture/official-pages.md, «Benchmark»): fixture communities with walls — posts, citizens'
 * comments, the community's replies in threads at given times — answering
 * - `groups.getById` (ids or screen names, up to 500; an unknown one fails the whole call with error 100),
 * - `wall.get` (newest first, `count`/`offset`; error 15 for a closed or private community, 18 for a deleted one),
 * - `wall.getComments` (top-level comments with up to `thread_items_count` thread items, or one thread with
 *   `comment_id`; `count`/`offset`, `current_level_count`),
 * - `execute` with code of the form the reader emits — `return [API.method({json}),…];` (valid VKScript) — at
 *   most 25 calls, each failing call `false` in the response and listed in `execute_errors`,
 * and at most `requestsPerSecond` requests per token in any one second (a sliding window): one more is
 * refused as VK refuses it, error 6. `failRequests` scripts whole requests refused with a code (29: the
 * method's limit reached), `failCalls` single calls. It lives in src/sandbox/ for bench/ and the tests.
 */

export interface FakeComment {
  id: number;
  fromId: number;
  /** Unix seconds. */
  date: number;
  text: string;
  replyTo?: number;
  /** Replies in this comment's thread (the community's among them: fromId = −group id). */
  thread?: FakeComment[];
}

export interface FakePost {
  id: number;
  date: number;
  views?: number;
  likes?: number;
  reposts?: number;
  /** Whether the post takes comments (default true). */
  canComment?: boolean;
  comments: FakeComment[];
}

export interface FakeCommunity {
  id: number;
  screenName: string;
  name: string;
  description?: string;
  verified?: boolean;
  site?: string;
  contacts?: { user_id?: number; desc?: string; phone?: string }[];
  /** 0 — the wall switched off, 1 — open (default), 2 — limited, 3 — closed. */
  wall?: number;
  /** 0 — open, 1 — closed, 2 — private. */
  isClosed?: number;
  deactivated?: 'deleted' | 'banned';
  posts: FakePost[];
}

/** One request the fake answered: its method (execute's inner calls counted apart), when, its error code or 0. */
export interface FakeRequest {
  method: string;
  calls: number;
  at: number;
  error: number;
}

const MAX_CALLS = 25;
const DESCRIPTIONS: Record<number, string> = {
  6: 'Too many requests per second',
  13: 'Runtime error occurred during code invocation',
  15: 'Access denied: this wall available only for community members',
  18: 'User was deleted or banned',
  29: 'Rate limit reached',
  100: 'One of the parameters specified was missing or invalid: group_ids is undefined',
};

class VkError extends Error {
  constructor(readonly code: number) {
    super(DESCRIPTIONS[code] ?? 'Unknown error');
  }
}

export class VkPagesFake {
  readonly communities = new Map<number, FakeCommunity>();
  readonly requests: FakeRequest[] = [];
  /** Whole requests refused with a code, in order (e.g. `[{ code: 29, times: 1 }]`). */
  readonly failRequests: { code: number; times: number }[] = [];
  /** Single calls refused with a code, by method and owner (`wall.get:-42`), `times` over. */
  readonly failCalls = new Map<string, { code: number; times: number }>();
  readonly #windows = new Map<string, number[]>();
  readonly #started = performance.now();
  #server: Server | null = null;
  port = 0;

  constructor(readonly requestsPerSecond = 3) {}

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}/method`;
  }

  /** Requests refused with error 6. */
  get tooMany(): number {
    return this.requests.filter((r) => r.error === 6).length;
  }

  /** API calls answered inside execute and on their own. */
  get calls(): number {
    return this.requests.filter((r) => r.error === 0).reduce((s, r) => s + r.calls, 0);
  }

  add(...communities: FakeCommunity[]): void {
    for (const c of communities) this.communities.set(c.id, c);
  }

  async start(port = 0): Promise<void> {
    this.#server = createServer((req, res) => {
      this.#handle(req, res).catch((error: unknown) => reply(res, { error: { error_code: 10, error_msg: String(error) } }));
    });
    await new Promise<void>((resolve) => this.#server?.listen(port, '127.0.0.1', () => resolve()));
    const address = this.#server.address();
    this.port = typeof address === 'object' && address ? address.port : 0;
  }

  async stop(): Promise<void> {
    this.#server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.#server ? this.#server.close(() => resolve()) : resolve()));
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    const params = Object.fromEntries(new URLSearchParams(await readBody(req)));
    reply(res, this.respond(url.pathname.replace(/^\/method\//, ''), params));
  }

  /** One request as the HTTP server answers it (the unit tests call it in process): VK's JSON body. */
  respond(method: string, params: Record<string, string>): unknown {
    const at = performance.now() - this.#started;
    const request: FakeRequest = { method, calls: 1, at, error: 0 };
    this.requests.push(request);
    const refuse = (code: number) => {
      request.error = code;
      return { error: { error_code: code, error_msg: DESCRIPTIONS[code] ?? 'Unknown error', request_params: [] } };
    };
    if (!this.#take(params.access_token ?? '', at)) return refuse(6);
    const scripted = this.failRequests[0];
    if (scripted && scripted.times > 0) {
      scripted.times -= 1;
      if (scripted.times === 0) this.failRequests.shift();
      return refuse(scripted.code);
    }
    if (method !== 'execute') {
      try {
        return { response: this.#call(method, params) };
      } catch (error) {
        return refuse(error instanceof VkError ? error.code : 10);
      }
    }
    const calls = parseExecute(params.code ?? '');
    if (calls === null || calls.length > MAX_CALLS) return refuse(13);
    request.calls = calls.length;
    const response: unknown[] = [];
    const errors: { method: string; error_code: number; error_msg: string }[] = [];
    for (const call of calls) {
      try {
        response.push(this.#call(call.method, call.params));
      } catch (error) {
        const code = error instanceof VkError ? error.code : 10;
        response.push(false);
        errors.push({ method: call.method, error_code: code, error_msg: DESCRIPTIONS[code] ?? 'Unknown error' });
      }
    }
    return { response, ...(errors.length > 0 ? { execute_errors: errors } : {}) };
  }

  /** A request counted in its token's one-second window, unless the window is full. */
  #take(token: string, at: number): boolean {
    const times = this.#windows.get(token) ?? [];
    while (times.length > 0 && (times[0] as number) <= at - 1000) times.shift();
    if (times.length >= this.requestsPerSecond) return false;
    times.push(at);
    this.#windows.set(token, times);
    return true;
  }

  #call(method: string, p: Record<string, unknown>): unknown {
    const failure = this.failCalls.get(`${method}:${String(p.owner_id ?? p.group_ids ?? '')}`);
    if (failure && failure.times > 0) {
      failure.times -= 1;
      throw new VkError(failure.code);
    }
    switch (method) {
      case 'groups.getById':
        return this.#groups(String(p.group_ids ?? p.group_id ?? ''));
      case 'wall.get':
        return this.#wall(p);
      case 'wall.getComments':
        return this.#comments(p);
      default:
        throw new VkError(3);
    }
  }

  #find(id: string): FakeCommunity | undefined {
    const n = /^(?:club|public)?(\d+)$/.exec(id);
    if (n) return this.communities.get(Number(n[1]));
    for (const c of this.communities.values()) if (c.screenName.toLowerCase() === id.toLowerCase()) return c;
    return undefined;
  }

  #groups(ids: string): unknown {
    const found = ids
      .split(',')
      .filter(Boolean)
      .map((id) => this.#find(id.trim()));
    if (found.some((c) => c === undefined)) throw new VkError(100);
    return {
      groups: (found as FakeCommunity[]).map((c) => ({
        id: c.id,
        name: c.deactivated ? 'DELETED' : c.name,
        screen_name: c.screenName,
        is_closed: c.isClosed ?? 0,
        type: 'page',
        ...(c.deactivated
          ? { deactivated: c.deactivated }
          : {
              description: c.description ?? '',
              verified: c.verified ? 1 : 0,
              site: c.site ?? '',
              contacts: c.contacts ?? [],
              wall: c.wall ?? 1,
            }),
      })),
      profiles: [],
    };
  }

  #community(ownerId: unknown): FakeCommunity {
    const c = this.communities.get(-Number(ownerId));
    if (!c) throw new VkError(100);
    if (c.deactivated) throw new VkError(18);
    if ((c.isClosed ?? 0) > 0 || c.wall === 0) throw new VkError(15);
    return c;
  }

  #wall(p: Record<string, unknown>): unknown {
    const c = this.#community(p.owner_id);
    const posts = [...c.posts].sort((a, b) => b.date - a.date);
    const offset = Number(p.offset ?? 0);
    const count = Math.min(100, Number(p.count ?? 20));
    return {
      count: posts.length,
      items: posts.slice(offset, offset + count).map((post) => ({
        id: post.id,
        owner_id: -c.id,
        from_id: -c.id,
        date: post.date,
        text: `Публикация ${post.id}`,
        views: { count: post.views ?? 0 },
        likes: { count: post.likes ?? 0 },
        reposts: { count: post.reposts ?? 0 },
        comments: { count: countAll(post.comments), can_post: post.canComment === false ? 0 : 1 },
      })),
    };
  }

  #comments(p: Record<string, unknown>): unknown {
    const c = this.#community(p.owner_id);
    const post = c.posts.find((x) => x.id === Number(p.post_id));
    if (!post) throw new VkError(100);
    const offset = Number(p.offset ?? 0);
    const count = Math.min(100, Number(p.count ?? 10));
    const asc = (list: FakeComment[]) => [...list].sort((a, b) => a.date - b.date || a.id - b.id);
    if (p.comment_id !== undefined) {
      const top = post.comments.find((x) => x.id === Number(p.comment_id));
      if (!top) throw new VkError(100);
      const thread = asc(top.thread ?? []);
      return { count: thread.length, items: thread.slice(offset, offset + count).map((t) => commentJson(t, -c.id, top.id)) };
    }
    const inline = Math.min(10, Number(p.thread_items_count ?? 0));
    const top = asc(post.comments);
    return {
      count: countAll(post.comments),
      current_level_count: top.length,
      items: top.slice(offset, offset + count).map((t) => {
        const thread = asc(t.thread ?? []);
        return {
          ...commentJson(t, -c.id, undefined),
          thread: { count: thread.length, items: thread.slice(0, inline).map((r) => commentJson(r, -c.id, t.id)) },
        };
      }),
    };
  }
}

function commentJson(c: FakeComment, owner: number, parent: number | undefined): Record<string, unknown> {
  return {
    id: c.id,
    from_id: c.fromId,
    owner_id: owner,
    date: c.date,
    text: c.text,
    ...(c.replyTo !== undefined ? { reply_to_comment: c.replyTo } : {}),
    ...(parent !== undefined ? { parents_stack: [parent] } : {}),
  };
}

const countAll = (comments: FakeComment[]) => comments.reduce((s, c) => s + 1 + (c.thread?.length ?? 0), 0);

/**
 * The calls of `return [API.a.b({json}), …];` — the form the reader emits (valid VKScript: an array of
 * API calls with object literals); null for code of any other form.
 */
export function parseExecute(code: string): { method: string; params: Record<string, unknown> }[] | null {
  const body = /^\s*return\s*\[(.*)\]\s*;?\s*$/s.exec(code)?.[1];
  if (body === undefined) return null;
  const calls: { method: string; params: Record<string, unknown> }[] = [];
  const pattern = /\s*API\.([A-Za-z]+\.[A-Za-z]+)\((\{[^{}]*\})\)\s*(,|$)/gy;
  let match: RegExpExecArray | null = pattern.exec(body);
  while (match !== null) {
    calls.push({ method: match[1] as string, params: JSON.parse(match[2] as string) as Record<string, unknown> });
    if (pattern.lastIndex >= body.length) return calls;
    match = pattern.exec(body);
  }
  return body.trim() === '' ? calls : null;
}

function reply(res: ServerResponse, body: unknown): void {
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let data = '';
    req.on('data', (chunk: Buffer) => {
      data += chunk.toString('utf8');
    });
    req.on('end', () => resolve(data));
  });
}
