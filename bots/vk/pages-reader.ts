import type {
  PageComment,
  PagePost,
  PageReader,
  PageRef,
  ReadOutcome,
  ReadRequest,
  SetupItems,
} from '../../handlers/page-monitoring/index.js';
import { UNREADABLE } from '../../handlers/page-monitoring/index.js';
import { Pacer } from '../../lib/pacer.js';
import type { VkApiPort } from './api.js';

/**
 * Official VK communities read with the service token (docs/architecture/official-pages.md, «Мониторинг»):
 * groups.getById for the set-up items, wall.get for the posts of the window, wall.getComments (with the
 * threads) for who commented and whether the community replied. Every call goes through `execute`, 25 to a
 * request, packed across pages: a round costs about a 25th of a request per API call. The service token's
 * 3 requests/s are kept by the API client (its pacer; vk-io waits and repeats after error 6).
 *
 * A platform error or limit concludes nothing about a page: it is `deferred` (read again next round).
 * Only what VK says of the community itself — deleted, banned, private, no access — makes it unreadable.
 */

/** execute runs at most 25 API calls per request. */
const PER_EXECUTE = 25;
/** groups.getById takes up to 500 ids. */
const IDS_PER_CALL = 500;
const PAGE = 100;
/** Thread replies VK returns with each top-level comment (10 at most). */
const THREAD_ITEMS = 10;
/** Requests in flight at once: the pacer spaces them; more in flight hide VK's response time. */
const IN_FLIGHT = 3;
/** groups.getById's `wall`: 0 switched off, 1 open, 2 limited, 3 closed. */
const WALL_OFF = 0;
const WALL_CLOSED = 3;
const GROUP_FIELDS = 'description,contacts,site,addresses,verified,wall,is_closed,screen_name';

/** Codes that speak about the community, not the moment: it cannot be read. */
const ACCESS_CODES = new Set([15, 18, 30, 203]);
const NOT_FOUND_CODES = new Set([100, 113]);
/** Too many requests per second, flood control, rate limit reached (the method's daily quota). */
const LIMIT_CODES = new Set([6, 9, 29]);

/** VK's published limit for a service token (the app's): 3 requests a second. */
export const SERVICE_TOKEN_PER_SECOND = 3;

/**
 * The service token's pacer: 0.8 of its 3 requests/s (2.4/s, a request every 417 ms). lib/pacer.ts lets a
 * token come a quarter of a gap early, so any three gaps span at least 2.75 of them: 1,146 ms, room for the
 * network's jitter under VK's sliding second (0.9 would leave 18 ms, and each error 6 costs a request and a
 * second's pause).
 */
export function createVkServicePacer(): Pacer {
  return new Pacer({ perSecond: SERVICE_TOKEN_PER_SECOND, margin: 0.8 });
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' ? (v as Obj) : {});
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const countOf = (v: unknown): number | null => num(obj(v).count) ?? null;

/**
 * A call's answer. `whole`: the request it was in failed as a whole (refused, the network) or was never sent
 * (the round stopped on error 29) — nothing is known of the page then, and it is deferred, never scored on a
 * partial reading.
 */
type CallResult = { ok: true; response: unknown } | { ok: false; code: number | null; message: string; whole?: boolean };

interface Call {
  method: string;
  params: Record<string, string | number>;
  done(result: CallResult): void;
}

/** What the reader counted, for the benchmark and the logs. */
export interface ReaderStats {
  /** HTTP requests (execute). */
  requests: number;
  /** API calls inside them. */
  calls: number;
  /** Requests VK refused as a whole (the calls in them deferred). */
  failedRequests: number;
}

interface VkComment {
  id: number;
  fromId: number;
  date: number;
  text: string;
  replyTo: number | undefined;
  /** The top-level comment whose thread holds it; undefined for a top-level comment. */
  threadOf: number | undefined;
}

/** One page's reading as it is assembled. */
interface PageRun {
  ref: PageRef;
  groupId: number | null;
  group: Obj | null;
  /** Posts of the window (and the newest one), by id. */
  posts: Map<number, { raw: Obj; commentsRead: boolean }>;
  comments: Map<number, Map<number, VkComment>>;
  /** Posts whose comments could not all be read this round (their count is not stored: read again next round). */
  unread: Set<number>;
  /** Outstanding calls of this page. */
  pending: number;
  /** Why the page is not read (the first reason wins). */
  outcome: Exclude<ReadOutcome, { status: 'read' }> | null;
  finished: boolean;
}

export class VkPagesReader implements PageReader {
  readonly stats: ReaderStats = { requests: 0, calls: 0, failedRequests: 0 };

  constructor(
    private readonly api: VkApiPort,
    private readonly options: { perExecute?: number; inFlight?: number } = {},
  ) {}

  async read(pages: readonly PageRef[], request: ReadRequest): Promise<void> {
    const sinceSeconds = Math.floor(request.since.getTime() / 1000);
    const batch = new ExecuteBatcher(
      this.api,
      this.stats,
      this.options.perExecute ?? PER_EXECUTE,
      this.options.inFlight ?? IN_FLIGHT,
    );
    const writes: Promise<void>[] = [];
    const runs = pages.map(
      (ref): PageRun => ({
        ref,
        groupId: numericGroupId(ref.externalId),
        group: null,
        posts: new Map(),
        comments: new Map(),
        unread: new Set(),
        pending: 0,
        outcome: null,
        finished: false,
      }),
    );

    const finishIfDone = (run: PageRun) => {
      if (run.finished || run.pending > 0) return;
      run.finished = true;
      const outcome = run.outcome ?? { status: 'read', reading: readingOf(run) };
      // The reading is handed over: what was read is not kept for the rest of the round.
      run.posts.clear();
      run.comments.clear();
      writes.push(request.onPage(run.ref.id, outcome));
    };
    /** A call of one page: counted while outstanding; the page is handed over when its last call is done. */
    const call = (
      run: PageRun,
      method: string,
      params: Record<string, string | number>,
      handle: (r: CallResult) => void,
      front = false,
    ) => {
      run.pending += 1;
      batch.push(
        {
          method,
          params,
          done: (result) => {
            run.pending -= 1;
            if (!run.outcome) handle(result);
            finishIfDone(run);
          },
        },
        front,
      );
    };
    const fail = (run: PageRun, outcome: NonNullable<PageRun['outcome']>) => {
      run.outcome ??= outcome;
    };
    const failOn = (run: PageRun, r: Exclude<CallResult, { ok: true }>) => fail(run, outcomeOfError(r));

    const readWall = (run: PageRun, offset: number) =>
      call(run, 'wall.get', { owner_id: -(run.groupId as number), count: PAGE, offset, filter: 'owner' }, (r) => {
        if (!r.ok) return failOn(run, r);
        const response = obj(r.response);
        const items = (Array.isArray(response.items) ? response.items : []).map(obj);
        for (const post of items) {
          const id = num(post.id);
          const date = num(post.date) ?? 0;
          if (id === undefined) continue;
          if (date >= sinceSeconds || run.posts.size === 0 || date > newestDate(run))
            run.posts.set(id, { raw: post, commentsRead: false });
        }
        // Posts come newest first (a pinned one may be old): go on while this page still reached into the window.
        const inWindow = items.filter((p) => !p.is_pinned && (num(p.date) ?? 0) >= sinceSeconds).length;
        const total = num(response.count) ?? 0;
        if (items.length === PAGE && inWindow > 0 && offset + PAGE < total) return readWall(run, offset + PAGE);
        pruneOldPosts(run, sinceSeconds);
        const known = request.known.get(run.ref.id);
        for (const [postId, post] of run.posts) {
          if ((num(post.raw.date) ?? 0) < sinceSeconds) continue;
          const count = countOf(post.raw.comments);
          // Unchanged since the last full read (a reply would have changed it): not read again.
          if (count !== null && known?.get(String(postId)) === count) continue;
          if (count === 0) {
            post.commentsRead = true;
            continue;
          }
          readComments(run, postId, 0);
        }
      });

    const readComments = (run: PageRun, postId: number, offset: number) =>
      call(
        run,
        'wall.getComments',
        {
          owner_id: -(run.groupId as number),
          post_id: postId,
          count: PAGE,
          offset,
          sort: 'asc',
          thread_items_count: THREAD_ITEMS,
          preview_length: 0,
        },
        (r) => {
          const post = run.posts.get(postId);
          if (!post) return;
          // A post deleted meanwhile, a limit on this call: this post is read again next round, the page is
          // not failed. A request lost as a whole: the page is deferred (never scored on part of its comments).
          if (!r.ok) return r.whole ? failOn(run, r) : markUnread(run, postId);
          const response = obj(r.response);
          const items = (Array.isArray(response.items) ? response.items : []).map(obj);
          const comments = commentsOf(run, postId);
          for (const item of items) {
            const top = toComment(item, undefined);
            if (top) comments.set(top.id, top);
            const thread = obj(item.thread);
            const threadItems = (Array.isArray(thread.items) ? thread.items : []).map(obj);
            for (const t of threadItems) {
              const reply = toComment(t, top?.id);
              if (reply) comments.set(reply.id, reply);
            }
            if (top && (num(thread.count) ?? 0) > threadItems.length) readThread(run, postId, top.id, 0);
          }
          const levelCount = num(response.current_level_count);
          if (items.length === PAGE && (levelCount === undefined || offset + PAGE < levelCount))
            readComments(run, postId, offset + PAGE);
          else if (!run.unread.has(postId)) post.commentsRead = true;
        },
        offset > 0,
      );

    const readThread = (run: PageRun, postId: number, commentId: number, offset: number) =>
      call(
        run,
        'wall.getComments',
        {
          owner_id: -(run.groupId as number),
          post_id: postId,
          comment_id: commentId,
          count: PAGE,
          offset,
          sort: 'asc',
          preview_length: 0,
        },
        (r) => {
          if (!r.ok) return r.whole ? failOn(run, r) : markUnread(run, postId);
          const response = obj(r.response);
          const items = (Array.isArray(response.items) ? response.items : []).map(obj);
          const comments = commentsOf(run, postId);
          for (const item of items) {
            const reply = toComment(item, commentId);
            if (reply) comments.set(reply.id, reply);
          }
          if (items.length === PAGE) readThread(run, postId, commentId, offset + PAGE);
        },
        true,
      );

    const lookUp = (group: PageRun[]) => {
      const pending = group.filter((run) => !run.outcome);
      if (pending.length === 0) return;
      for (const run of pending) run.pending += 1;
      batch.push({
        method: 'groups.getById',
        params: { group_ids: pending.map((run) => idForLookup(run)).join(','), fields: GROUP_FIELDS },
        done: (r) => {
          for (const run of pending) run.pending -= 1;
          if (!r.ok && r.code !== null && NOT_FOUND_CODES.has(r.code) && pending.length > 1) {
            // One unknown name fails the whole call: ask for each page alone.
            for (const run of pending) lookUp([run]);
            return;
          }
          if (!r.ok) for (const run of pending) failOn(run, r);
          else {
            const groups = groupsOf(r.response);
            for (const run of pending) {
              const group = groups.find((g) => matches(run, g));
              if (!group) fail(run, { status: 'unreadable', reason: UNREADABLE.notFound, gone: false });
              else startPage(run, group);
            }
          }
          for (const run of pending) finishIfDone(run);
        },
      });
    };

    const startPage = (run: PageRun, group: Obj) => {
      run.group = group;
      run.groupId = num(group.id) ?? run.groupId;
      const gone = goneReason(group);
      if (gone) return fail(run, { status: 'unreadable', reason: gone, gone: true });
      // A wall switched off has no posts to read; the page is read (with comments closed).
      if (num(group.wall) === WALL_OFF) return;
      readWall(run, 0);
    };

    for (let i = 0; i < runs.length; i += IDS_PER_CALL) lookUp(runs.slice(i, i + IDS_PER_CALL));
    await batch.drain();
    // A page whose calls never came back (cannot happen unless the batcher is stopped): deferred, not lost.
    for (const run of runs) {
      if (!run.finished) {
        run.pending = 0;
        fail(run, { status: 'deferred', reason: 'not read' });
        finishIfDone(run);
      }
    }
    await Promise.all(writes);
  }
}

// ---------------------------------------------------------------------------------------------
// execute: up to 25 calls a request
// ---------------------------------------------------------------------------------------------

/**
 * Packs queued calls into `execute` requests of `perExecute` calls. A request goes when it is full, or
 * when nothing is in flight that could add calls (so a round uses as few requests as its calls allow);
 * up to `inFlight` at once. Follow-up calls (the next page of comments, a thread) go to the front, so a
 * page finishes (and is written) as soon as it can.
 */
class ExecuteBatcher {
  readonly #queue: Call[] = [];
  #inFlight = 0;
  #stopped = false;
  #wake: (() => void) | null = null;

  constructor(
    private readonly api: VkApiPort,
    private readonly stats: ReaderStats,
    private readonly perExecute: number,
    private readonly inFlight: number,
  ) {}

  push(call: Call, front = false): void {
    if (this.#stopped) {
      call.done({ ok: false, code: 29, message: 'rate limit reached earlier in this round', whole: true });
      return;
    }
    if (front) this.#queue.unshift(call);
    else this.#queue.push(call);
  }

  async drain(): Promise<void> {
    for (;;) {
      if (this.#queue.length === 0 && this.#inFlight === 0) return;
      const ready = this.#queue.length >= this.perExecute || (this.#queue.length > 0 && this.#inFlight === 0);
      if (ready && this.#inFlight < this.inFlight) {
        this.#send(this.#queue.splice(0, this.perExecute));
        continue;
      }
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
    }
  }

  #send(calls: Call[]): void {
    this.#inFlight += 1;
    this.stats.requests += 1;
    this.stats.calls += calls.length;
    const code = `return [${calls.map((c) => `API.${c.method}(${JSON.stringify(c.params)})`).join(',')}];`;
    this.api
      .call<{ response?: unknown; errors?: { code?: number; method?: string; message?: string }[] }>('execute', { code })
      .then(
        (result) => {
          const responses = Array.isArray(result?.response) ? result.response : [];
          const errors = [...(result?.errors ?? [])];
          calls.forEach((call, i) => {
            const response = responses[i];
            if (response !== false && response !== undefined) call.done({ ok: true, response });
            else {
              // VK puts `false` in place of a failed call and lists the failures in order.
              const error = errors.shift();
              call.done({ ok: false, code: num(error?.code) ?? null, message: str(error?.message) || 'failed inside execute' });
            }
          });
        },
        (error: unknown) => {
          this.stats.failedRequests += 1;
          const code = num(obj(error).code) ?? null;
          // The method's quota is spent: nothing more is asked this round.
          if (code === 29) this.#stopped = true;
          for (const call of calls)
            call.done({ ok: false, code, message: (error as Error)?.message ?? 'request failed', whole: true });
          if (this.#stopped)
            for (const call of this.#queue.splice(0))
              call.done({ ok: false, code: 29, message: 'rate limit reached', whole: true });
        },
      )
      .finally(() => {
        this.#inFlight -= 1;
        const wake = this.#wake;
        this.#wake = null;
        wake?.();
      });
  }
}

// ---------------------------------------------------------------------------------------------
// VK's objects → the neutral reading
// ---------------------------------------------------------------------------------------------

function outcomeOfError(r: Exclude<CallResult, { ok: true }>): Exclude<ReadOutcome, { status: 'read' }> {
  // A request refused as a whole says nothing of one community: deferred, whatever the code.
  if (r.whole)
    return {
      status: 'deferred',
      reason:
        r.code !== null && LIMIT_CODES.has(r.code) ? `VK limit (error ${r.code})` : `VK request failed (${r.code ?? 'network'})`,
    };
  // No access, or no such community by this id: unreadable, but not «gone» — that is kept for a community
  // VK says is deleted, blocked, closed or private (the link may simply be wrong, or the token lack a right).
  if (r.code !== null && ACCESS_CODES.has(r.code)) return { status: 'unreadable', reason: UNREADABLE.accessDenied, gone: false };
  if (r.code !== null && NOT_FOUND_CODES.has(r.code)) return { status: 'unreadable', reason: UNREADABLE.notFound, gone: false };
  return {
    status: 'deferred',
    reason: r.code !== null && LIMIT_CODES.has(r.code) ? `VK limit (error ${r.code})` : `VK error ${r.code ?? 'network'}`,
  };
}

function goneReason(group: Obj): string | null {
  if (group.deactivated === 'deleted') return UNREADABLE.deleted;
  if (group.deactivated) return UNREADABLE.banned;
  if (num(group.is_closed) === 1) return UNREADABLE.closed;
  if (num(group.is_closed) === 2) return UNREADABLE.private;
  return null;
}

/** club123, public123, event123, 123 or -123 → 123; a screen name → null. */
export function numericGroupId(externalId: string): number | null {
  const id = externalId
    .trim()
    .replace(/^https?:\/\/(m\.)?vk\.(com|ru)\//i, '')
    .replace(/^@/, '');
  const match = /^(?:club|public|event|-)?(\d+)$/i.exec(id);
  return match ? Number(match[1]) : null;
}

function idForLookup(run: PageRun): string {
  return run.groupId !== null
    ? String(run.groupId)
    : run.ref.externalId
        .trim()
        .replace(/^https?:\/\/(m\.)?vk\.(com|ru)\//i, '')
        .replace(/^@/, '');
}

function matches(run: PageRun, group: Obj): boolean {
  if (run.groupId !== null) return num(group.id) === run.groupId;
  return str(group.screen_name).toLowerCase() === idForLookup(run).toLowerCase();
}

/** groups.getById answers an array (older versions) or { groups: [...] } (5.139 and later). */
function groupsOf(response: unknown): Obj[] {
  if (Array.isArray(response)) return response.map(obj);
  const groups = obj(response).groups;
  return Array.isArray(groups) ? groups.map(obj) : [];
}

function toComment(item: Obj, threadOf: number | undefined): VkComment | null {
  const id = num(item.id);
  const fromId = num(item.from_id);
  if (id === undefined || fromId === undefined || item.deleted === true) return null;
  return { id, fromId, date: num(item.date) ?? 0, text: str(item.text), replyTo: num(item.reply_to_comment), threadOf };
}

function commentsOf(run: PageRun, postId: number): Map<number, VkComment> {
  let comments = run.comments.get(postId);
  if (!comments) {
    comments = new Map();
    run.comments.set(postId, comments);
  }
  return comments;
}

/** A post whose comments could not all be read: its count is not stored, so the next round reads it again. */
function markUnread(run: PageRun, postId: number): void {
  run.unread.add(postId);
  const post = run.posts.get(postId);
  if (post) post.commentsRead = false;
}

function newestDate(run: PageRun): number {
  let newest = 0;
  for (const p of run.posts.values()) newest = Math.max(newest, num(p.raw.date) ?? 0);
  return newest;
}

/** Keeps the window's posts and the newest one (the freshness figure's), whenever it was. */
function pruneOldPosts(run: PageRun, sinceSeconds: number): void {
  const newest = newestDate(run);
  for (const [id, p] of run.posts) {
    const date = num(p.raw.date) ?? 0;
    if (date < sinceSeconds && date !== newest) run.posts.delete(id);
  }
}

function readingOf(run: PageRun): Extract<ReadOutcome, { status: 'read' }>['reading'] {
  const group = run.group ?? {};
  const owner = -(run.groupId as number);
  const posts: PagePost[] = [];
  const comments: PageComment[] = [];
  for (const [postId, post] of run.posts) {
    const raw = post.raw;
    const read = post.commentsRead && !run.unread.has(postId);
    posts.push({
      id: String(postId),
      postedAt: new Date((num(raw.date) ?? 0) * 1000),
      views: countOf(raw.views),
      likes: countOf(raw.likes),
      reposts: countOf(raw.reposts),
      comments: countOf(raw.comments),
      url: `https://vk.com/wall${owner}_${postId}`,
      commentsRead: read,
    });
    const all = run.comments.get(postId);
    if (all) comments.push(...repliesOf(owner, postId, [...all.values()], contactIds(group)));
  }
  return {
    title: str(group.name) || null,
    commentSource: { channel: 'vk', sourceExternalId: String(owner) },
    observedSince: null,
    setup: setupOf(group),
    posts,
    comments,
    commentsMeasured: true,
  };
}

/**
 * The community's contact persons (groups.getById `contacts[].user_id`): the people it names as answering for
 * it. A manager replying under their own name is one of them when the page's set-up lists them — the registry's
 * advice to every page (docs/architecture/official-pages.md, «Ограничения платформ»).
 */
function contactIds(group: Obj): ReadonlySet<number> {
  const ids = new Set<number>();
  if (Array.isArray(group.contacts))
    for (const c of group.contacts) {
      const id = num(obj(c).user_id);
      if (id !== undefined && id > 0) ids.add(id);
    }
  return ids;
}

/**
 * Citizens' comments (from_id > 0, not one of the page's contact persons) of one post with the page's first
 * reply to each: a comment of the community (from_id = −group id) or of a contact person that replies to it
 * (reply_to_comment), or that stands in its thread without naming another comment.
 */
export function repliesOf(
  owner: number,
  postId: number,
  all: readonly VkComment[],
  voices: ReadonlySet<number> = new Set(),
): PageComment[] {
  const sorted = [...all].sort((a, b) => a.date - b.date || a.id - b.id);
  const byCommunity = sorted.filter((c) => c.fromId === owner || voices.has(c.fromId));
  return sorted
    .filter((c) => c.fromId > 0 && !voices.has(c.fromId))
    .map((c) => {
      const reply = byCommunity.find(
        (r) =>
          r.date >= c.date &&
          r.id !== c.id &&
          (r.replyTo === c.id || (c.threadOf === undefined && r.threadOf === c.id && r.replyTo === undefined)),
      );
      return {
        id: String(c.id),
        postId: String(postId),
        authorId: String(c.fromId),
        text: c.text,
        createdAt: new Date(c.date * 1000),
        url: `https://vk.com/wall${owner}_${postId}?reply=${c.id}${c.threadOf !== undefined ? `&thread=${c.threadOf}` : ''}`,
        reply: reply ? { id: String(reply.id), at: new Date(reply.date * 1000), text: reply.text } : null,
      };
    });
}

/**
 * The set-up items VK shows: the verified mark, a description, contacts (people, a site or addresses), and
 * whether comments are closed. That is read from the community's `wall` setting only (groups.getById: 0 the
 * wall switched off, 1 open, 2 limited, 3 closed): off or closed → false. Otherwise null — not measured,
 * left out of the set-up share, no alert: a post's `comments.can_post` is the reader's own right (with the
 * service token it says nothing of citizens), and VK shows no community field for «comments allowed».
 */
function setupOf(group: Obj): SetupItems {
  const contacts = Array.isArray(group.contacts) && group.contacts.length > 0;
  const site = str(group.site).trim() !== '';
  const addresses = obj(group.addresses).is_enabled === true;
  const wall = num(group.wall);
  return {
    verified: num(group.verified) === 1,
    description: str(group.description).trim() !== '',
    contacts: contacts || site || addresses,
    commentsOpen: wall === WALL_OFF || wall === WALL_CLOSED ? false : null,
  };
}
