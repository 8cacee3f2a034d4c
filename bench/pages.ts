/**
 * bench/pages: a full monitoring round of official VK pages (issue 16, docs/architecture/official-pages.md,
 * «Benchmark») — N registered pages (300 by default) with 50 posts and 2,000 comments each on the VK pages
 * fake (src/sandbox/vk-pages-fake.ts), which enforces the service token's 3 requests/s (error 6 beyond), an
 * embedded PostgreSQL, and the real reader (bots/vk/pages-reader.ts: `execute`, 25 calls a request, on the
 * service token's pacer) and use case (handlers/page-monitoring: every page's posts, comments, snapshot).
 *
 * It prints the time of the round and the requests used per page against the theoretical minimum with
 * execute batching — every API call the data needs (groups.getById for up to 500 pages at once, wall.get per
 * 100 posts, wall.getComments per 100 top-level comments of each post, the threads' replies within the 10
 * returned inline), 25 to a request — and the same for a second round with nothing changed (a post whose
 * comment count did not change is not read again). Goal: the full round within 1.2× of the minimum.
 *
 *   npx tsx bench/pages.ts [--pages 300] [--posts 50] [--comments 2000] [--replies 10]
 *
 * The comments are an hour old, inside the reply term: no case is opened (that path is the tests'). Figures
 * are printed, never asserted.
 */
import { parseArgs } from 'node:util';
import { createVkApi } from '../bots/vk/api.js';
import { createVkServicePacer, SERVICE_TOKEN_PER_SECOND, VkPagesReader } from '../bots/vk/pages-reader.js';
import { loadProductionCalendar } from '../config/calendar.js';
import { loadDomainConfig } from '../config/domain.js';
import { monitorPages, type RoundReport } from '../handlers/page-monitoring/index.js';
import { createStructurer } from '../handlers/structuring/index.js';
import { systemClock } from '../lib/clock.js';
import { WorkingCalendar } from '../lib/deadlines/index.js';
import { openDatabase } from '../models/database.js';
import type { JobQueue } from '../models/jobs.js';
import { migrateToLatest } from '../models/migrate.js';
import { createLogger } from '../src/logger.js';
import { type FakeComment, type FakeCommunity, VkPagesFake } from '../src/sandbox/vk-pages-fake.js';
import { benchDatabase, printTable, withPeakRss } from './lib.js';

const PER_EXECUTE = 25;
const IDS_PER_CALL = 500;
const PER_CALL = 100;
const THREAD_INLINE = 10;
const FIRST_GROUP = 1_000_000;
const DEPARTMENTS = ['roads-transport', 'housing-utilities', 'education', 'landscaping', 'social', 'economy'];

export async function main(argv = process.argv.slice(2)): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      pages: { type: 'string', default: '300' },
      posts: { type: 'string', default: '50' },
      comments: { type: 'string', default: '2000' },
      replies: { type: 'string', default: '10' },
    },
  });
  const shape = {
    pages: Number(values.pages),
    posts: Number(values.posts),
    comments: Number(values.comments),
    replies: Number(values.replies),
  };
  const perPost = Math.floor(shape.comments / shape.posts);
  const topLevel = perPost - shape.replies;
  if (topLevel < shape.replies) throw new Error('--replies: more replies than top-level comments to reply to');

  const now = Math.floor(Date.now() / 1000);
  const fake = new VkPagesFake(SERVICE_TOKEN_PER_SECOND);
  for (let i = 0; i < shape.pages; i++) fake.add(community(FIRST_GROUP + i, shape.posts, topLevel, shape.replies, now));
  await fake.start();
  const database = await benchDatabase('pages');
  const handle = openDatabase({ connectionString: database.url, applicationName: 'bench-pages' });
  try {
    await migrateToLatest(handle.db);
    await seedPages(handle.db, shape.pages);
    const domain = loadDomainConfig('config/barnaul.yaml');
    const calendar = WorkingCalendar.forCity(domain.city, loadProductionCalendar(['config/production-calendar.json']));
    const api = createVkApi({
      token: 'bench-service-token',
      apiBaseUrl: fake.baseUrl,
      requestsPerSecond: SERVICE_TOKEN_PER_SECOND,
      pacer: createVkServicePacer(),
    });
    const reader = new VkPagesReader(api);
    const deps = {
      db: handle.db,
      jobs: silentQueue(),
      clock: systemClock,
      calendar,
      domain,
      log: createLogger({ level: 'silent' }),
      platforms: { vk: reader },
      structuring: { domain, structurer: createStructurer(domain, null), calendar },
    };

    const minimum = theoreticalMinimum(shape, topLevel);
    console.log(
      `${shape.pages} VK pages × ${shape.posts} posts × ${perPost} comments (${topLevel} citizens' + ${shape.replies} replies of the community in their threads); the fake allows ${SERVICE_TOKEN_PER_SECOND} requests/s, the reader's pacer ${(SERVICE_TOKEN_PER_SECOND * 0.8).toFixed(1)}/s`,
    );
    const round1 = await round(fake, reader, () => monitorPages(deps));
    const round2 = await round(fake, reader, () => monitorPages(deps));
    const rows = await handle.db
      .selectFrom('page_comment')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();

    const perPage = (n: number) => (n / shape.pages).toFixed(3);
    const ratio = round1.requests / minimum.requests;
    printTable(`bench/pages — round 1 (a full read) of ${shape.pages} pages`, [
      ['time', `${(round1.ms / 1000).toFixed(1)} s (${(round1.ms / 1000 / 60).toFixed(1)} min)`],
      [
        'pages read / deferred / unreadable / failed',
        `${round1.report.read} / ${round1.report.deferred} / ${round1.report.unreadable} / ${round1.report.failed}`,
      ],
      ['API calls (inside execute)', `${round1.calls} (minimum ${minimum.calls})`],
      ['requests (execute)', `${round1.requests}, of them refused with error 6: ${round1.tooMany}`],
      ['requests per page', `${perPage(round1.requests)} (theoretical minimum ${perPage(minimum.requests)})`],
      ['against the minimum', `${ratio.toFixed(3)}× — goal ≤ 1.2×: ${ratio <= 1.2 ? 'PASS' : 'FAIL'}`],
      ['request rate', `${(round1.requests / (round1.ms / 1000)).toFixed(2)}/s (limit ${SERVICE_TOKEN_PER_SECOND}/s)`],
      ['comments stored', `${rows.n}`],
      ['peak RSS', `${round1.peakMb.toFixed(0)} MB`],
    ]);
    printTable('bench/pages — round 2 (nothing changed: unchanged posts are not read again)', [
      ['time', `${(round2.ms / 1000).toFixed(1)} s`],
      ['API calls / requests', `${round2.calls} / ${round2.requests} (${perPage(round2.requests)} per page)`],
      ['pages read', `${round2.report.read}`],
    ]);
    printTable('bench/pages — the theoretical minimum with execute batching', [
      ['groups.getById', `⌈${shape.pages} / ${IDS_PER_CALL}⌉ = ${minimum.getById}`],
      ['wall.get', `${shape.pages} × ⌈${shape.posts} / ${PER_CALL}⌉ = ${minimum.wallGet}`],
      [
        'wall.getComments',
        `${shape.pages} × ${shape.posts} × ⌈${topLevel} / ${PER_CALL}⌉ (+ threads over ${THREAD_INLINE}: ${minimum.threads}) = ${minimum.getComments}`,
      ],
      ['calls', `${minimum.calls}`],
      ['requests', `⌈${minimum.calls} / ${PER_EXECUTE}⌉ = ${minimum.requests}`],
    ]);
  } finally {
    await handle.close();
    await database.stop();
    await fake.stop();
  }
}

interface RoundFigures {
  report: RoundReport;
  ms: number;
  requests: number;
  calls: number;
  tooMany: number;
  peakMb: number;
}

/** One round, with the fake's requests counted over it (refused ones included). */
async function round(fake: VkPagesFake, reader: VkPagesReader, run: () => Promise<RoundReport>): Promise<RoundFigures> {
  const before = { requests: fake.requests.length, calls: reader.stats.calls, tooMany: fake.tooMany };
  const { ms, peakMb, result } = await withPeakRss(run);
  return {
    report: result,
    ms,
    requests: fake.requests.length - before.requests,
    calls: reader.stats.calls - before.calls,
    tooMany: fake.tooMany - before.tooMany,
    peakMb,
  };
}

/** Every call the data needs, 25 to a request (threads up to 10 replies come with their comment). */
function theoreticalMinimum(shape: { pages: number; posts: number; replies: number }, topLevel: number) {
  const getById = Math.ceil(shape.pages / IDS_PER_CALL);
  const wallGet = shape.pages * Math.ceil(shape.posts / PER_CALL);
  // One reply per thread here: none over the 10 returned inline.
  const threads = 0;
  const getComments = shape.pages * shape.posts * Math.ceil(topLevel / PER_CALL) + threads;
  const calls = getById + wallGet + getComments;
  return { getById, wallGet, getComments, threads, calls, requests: Math.ceil(calls / PER_EXECUTE) };
}

/** A community: posts over the last 25 days; under each, citizens' comments an hour old, the first `replies` answered in their thread. */
function community(id: number, posts: number, topLevel: number, replies: number, now: number): FakeCommunity {
  let next = 1;
  return {
    id,
    screenName: `bench_page_${id}`,
    name: `Страница ${id}`,
    description: 'Официальная страница',
    verified: id % 2 === 0,
    site: id % 3 === 0 ? 'https://barnaul.org' : '',
    posts: Array.from({ length: posts }, (_, p) => ({
      id: p + 1,
      date: now - Math.floor(((p + 1) * 25 * 86_400) / posts),
      views: 100 + p,
      likes: p,
      reposts: p % 5,
      comments: Array.from({ length: topLevel }, (__, c): FakeComment => {
        const commentId = next++;
        const at = now - 3600 + c;
        return {
          id: commentId,
          fromId: 10_000 + ((id * 31 + commentId) % 50_000),
          date: at,
          text: `Вопрос жителя ${commentId} о благоустройстве двора`,
          ...(c < replies
            ? { thread: [{ id: 1_000_000 + commentId, fromId: -id, date: at + 600, text: 'Ответ сообщества' }] }
            : {}),
        };
      }),
    })),
  };
}

async function seedPages(db: ReturnType<typeof openDatabase>['db'], pages: number): Promise<void> {
  const at = new Date();
  const rows = Array.from({ length: pages }, (_, i) => ({
    platform: 'vk' as const,
    external_id: `bench_page_${FIRST_GROUP + i}`,
    url: `https://vk.com/bench_page_${FIRST_GROUP + i}`,
    owner_department: DEPARTMENTS[i % DEPARTMENTS.length] as string,
    status: 'active' as const,
    created_at: at,
    updated_at: at,
  }));
  await db.insertInto('official_page').values(rows).execute();
}

/** Alerts are enqueued nowhere: the bench measures reading and storing. */
function silentQueue(): JobQueue {
  return { send: async () => null, sendMany: async () => {} };
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
