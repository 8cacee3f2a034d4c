/**
 * bench/console: the web console's pages on a realistic year (issue 15's measure: a page under 200 ms at
 * p95 with 100,000 cases in the database and 20 people signed in).
 *
 * A fresh embedded database is filled by the demo seeder (`seedDemoHistory`, what `npx mcu demo seed` runs,
 * ending now) and the ratings' facts are computed (what the refresh job does after a seed). The app runs
 * as a child process (`src/main.ts`, role http only, as a console instance would) and 20 people — operators,
 * a department head, an official — are signed in the way staff are: a login link issued by the use case
 * /login calls (`issueLoginLink`), spent by POST /console/login/<token>, the session cookie kept.
 *
 * Three runs, each session requesting every page of PAGES in turn (in its own order), one request in flight
 * per session:
 *  - alone: one request at a time (each session in turn, `--alone` rounds): a page's own cost;
 *  - at once with think time (the goal's run): the 20 sessions together, `--rounds` times, `--think` ms
 *    (default 1000: 0 to 2 s, uniformly) between a session's clicks — 20 people clicking about once a second
 *    each, already far above an МЦУ's real use. The PASS / FAIL column is this run's p95;
 *  - at once with no pause (a closed loop, `--rounds` times): every request waits behind the other 19
 *    sessions' requests, so on two cores it measures saturation (the mix's cost), not a page's; printed
 *    beside it, never judged. Skipped with `--think 0` (the goal's run is then this one).
 *
 * The time is measured by the client on loopback: from the request to the last byte of the page, so it
 * includes the HTTP exchange but no network (the app logs no request times, and the bench adds no header
 * to shared code). The baseline is the same requests to GET /health (the app's floor: routing, a database
 * ping and a queue ping) in the same run, in each mode; the ratio is page p95 / health p95 of the goal's
 * run. The percentiles are over the pages answered 200; other statuses are counted (a role's 403, a section
 * not built yet: 404). Figures are printed, never asserted.
 *
 * `--data <dir>` keeps the embedded cluster in <dir> and reuses it: a database that already holds exactly
 * `--cases` cases is not seeded again (seeding 100,000 takes about half a minute), only migrated to the
 * latest schema, its facts refreshed and its statistics analysed; the signed-in people are reused by name.
 * A cluster already running in <dir> (a profiling session's) is shared, not stopped.
 *
 *   npx tsx bench/console.ts [--cases 100000] [--rounds 10] [--alone 2] [--think 1000] [--seed 1]
 *     [--data <dir>] [--verbose]   (--verbose: the app's log kept, its path printed)
 *   npm run bench -- console
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { listedCalendarFiles, loadProductionCalendar } from '../config/calendar.js';
import { loadDomainConfig } from '../config/domain.js';
import { refreshCaseFacts } from '../handlers/analytics/index.js';
import { issueLoginLink } from '../handlers/people/index.js';
import { systemClock } from '../lib/clock.js';
import { WorkingCalendar } from '../lib/deadlines/index.js';
import { type Db, openDatabase } from '../models/database.js';
import { type EmbeddedPostgres, freeLoopbackPort, startEmbeddedPostgres } from '../models/embedded-postgres.js';
import { migrateToLatest } from '../models/migrate.js';
import { insertOfficial } from '../models/people-repository.js';
import { bindAccount } from '../models/staff-account-repository.js';
import { seedDemoHistory } from '../scripts/demo/seed.js';
import { benchDatabase, percentile } from './lib.js';

/**
 * The pages every session requests, one round = each once. `{district}` and `{case}` are filled per session
 * (a case the person may open). Adjust freely: sections not built yet answer 404 and are reported so.
 */
export const PAGES: readonly string[] = [
  '/console/cases',
  '/console/cases?district={district}',
  '/console/cases/{case}',
  '/console/triage',
  '/console/overdue',
  '/console/decisions',
  '/console/ratings',
  '/console/problems',
  '/console/heatmap',
  '/console/recommendations',
  '/console/broadcasts',
  '/console/sources',
  '/console/people',
  '/console/settings',
];
const BASELINE = '/health';
const GOAL_P95_MS = 200;

/** Who signs in: 20 sessions, most of them operators (who see every section), as at the МЦУ. */
const PEOPLE: readonly { role: string; department: string; count: number }[] = [
  { role: 'operator', department: 'mcu', count: 18 },
  { role: 'department_head', department: 'roads-transport', count: 1 },
  { role: 'official', department: 'housing-utilities', count: 1 },
];

const REPO = resolve(import.meta.dirname, '..');
const DOMAIN_FILE = 'config/barnaul.yaml';

interface Session {
  cookie: string;
  paths: string[];
}

interface Sample {
  path: string;
  status: number;
  ms: number;
  bytes: number;
}

export async function main(argv = process.argv.slice(2)): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      cases: { type: 'string', default: '100000' },
      rounds: { type: 'string', default: '10' },
      alone: { type: 'string', default: '2' },
      think: { type: 'string', default: '1000' },
      seed: { type: 'string', default: '1' },
      data: { type: 'string' },
      verbose: { type: 'boolean', default: false },
    },
  });
  const count = Number(values.cases);
  const rounds = Math.max(1, Number(values.rounds));
  const aloneRounds = Math.max(1, Number(values.alone));
  const think = Math.max(0, Number(values.think));
  const domainPath = resolve(REPO, DOMAIN_FILE);
  const domain = loadDomainConfig(domainPath);
  const calendar = WorkingCalendar.forCity(domain.city, loadProductionCalendar(listedCalendarFiles(domainPath, domain)));
  const work = mkdtempSync(join(tmpdir(), 'mcu-bench-console-'));
  const database = values.data ? await keptDatabase(resolve(values.data)) : await benchDatabase('console');
  const handle = openDatabase({ connectionString: database.url, max: 4 });
  let app: AppChild | null = null;
  try {
    await migrateToLatest(handle.db);
    const seedStarted = performance.now();
    const held = await caseCount(handle.db);
    const reused = values.data !== undefined && held === count;
    if (held !== 0 && !reused)
      throw new Error(`the data directory's database holds ${held} cases, not ${count}: remove ${values.data} to seed it again`);
    if (!reused)
      await seedDemoHistory(handle.db, domain, calendar, {
        count,
        months: 12,
        until: systemClock.now(),
        seed: Number(values.seed),
        onProgress: (done, total) => {
          if (done === total || done % 50_000 === 0) process.stderr.write(`seeded ${done}/${total} cases\n`);
        },
      });
    await refreshCaseFacts({ db: handle.db, clock: systemClock, calendar });
    await sql`${sql.raw(reused ? 'analyze' : 'vacuum analyze')}`.execute(handle.db);
    const seedSeconds = (performance.now() - seedStarted) / 1000;

    const port = await freeLoopbackPort();
    app = new AppChild(port, database.url, work);
    const startMs = await app.start();
    const sessions = await signIn(
      handle.db,
      app.url,
      domain.districts.map((d) => d.id),
    );

    // One round unmeasured: the JIT, the templates' compilation, PostgreSQL's caches.
    await drive(app.url, sessions, 1, { atOnce: true, think: 0 });
    const loadBefore = loadavg()[0] ?? 0;
    const onHealth = sessions.map((s) => ({ ...s, paths: PAGES.map(() => BASELINE) }));
    // Alone: one request at a time (each session in turn), so a page's time is its own cost.
    const alone = {
      baseline: await drive(app.url, onHealth, aloneRounds, { atOnce: false, think: 0 }),
      pages: await drive(app.url, sessions, aloneRounds, { atOnce: false, think: 0 }),
    };
    // At once: the 20 sessions together — with the think time (the goal's run), then with none (saturation).
    const url = app.url;
    const atOnce = async (pause: number): Promise<Run> => {
      const baseline = await drive(url, onHealth, rounds, { atOnce: true, think: pause });
      const started = performance.now();
      const pages = await drive(url, sessions, rounds, { atOnce: true, think: pause });
      return { think: pause, baseline, pages, seconds: (performance.now() - started) / 1000 };
    };
    const goal = await atOnce(think);
    const saturated = think > 0 ? await atOnce(0) : null;
    const loadAfter = loadavg()[0] ?? 0;
    report({
      count,
      rounds,
      sessions: sessions.length,
      reused,
      seedSeconds,
      startMs,
      loadBefore,
      loadAfter,
      alone,
      goal,
      saturated,
    });
    if (values.verbose) console.log(`\napp log: ${app.logPath}`);
  } finally {
    await app?.stop();
    await handle.close();
    await database.stop();
    if (!values.verbose) rmSync(work, { recursive: true, force: true });
  }
}

/** One at-once run: its think time, the /health baseline and the pages. */
interface Run {
  think: number;
  baseline: Sample[];
  pages: Sample[];
  seconds: number;
}

/** The embedded cluster kept in `dir` (`--data`): started, or shared when already running; never removed. */
async function keptDatabase(dir: string): Promise<{ url: string; stop(): Promise<void> }> {
  const pg: EmbeddedPostgres = await startEmbeddedPostgres({ dataDir: dir, database: 'bench_console' });
  return { url: pg.connectionString, stop: () => pg.stop() };
}

async function caseCount(db: Db): Promise<number> {
  const row = await db
    .selectFrom('case')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The people of PEOPLE, each signed in by a spent login link; their pages with a district and a case of theirs. */
async function signIn(db: Db, url: string, districts: string[]): Promise<Session[]> {
  const sessions: Session[] = [];
  let n = 0;
  for (const group of PEOPLE) {
    // Cases the person may open: any for the МЦУ's staff, their department's for the others.
    let q = db.selectFrom('case').select('number').orderBy('created_at', 'desc').limit(500);
    if (group.department !== 'mcu') q = q.where('department', '=', group.department);
    const numbers = (await q.execute()).map((r) => r.number);
    for (let i = 0; i < group.count; i++, n++) {
      const person = { name: `Нагрузка ${n + 1}`, role: group.role, department: group.department };
      // A kept database (`--data`) has them from an earlier run: the same people, not 20 more each time.
      const known = await db
        .selectFrom('official')
        .select('id')
        .where('name', '=', person.name)
        .where('role', '=', person.role)
        .where('department', '=', person.department)
        .executeTakeFirst();
      const id = known?.id ?? (await insertOfficial(db, person, new Date()));
      const account = { channel: 'telegram' as const, userId: String(880_000 + n) };
      await bindAccount(db, id, { ...account, chatId: account.userId }, new Date());
      const issued = await issueLoginLink({ db, clock: systemClock }, account);
      if (issued.status !== 'issued') throw new Error(`no login link for ${group.role}`);
      const res = await fetch(`${url}/console/login/${issued.token}`, { method: 'POST', redirect: 'manual' });
      await res.body?.cancel();
      const cookie = res.headers.getSetCookie()[0]?.split(';')[0];
      if (res.status !== 303 || !cookie) throw new Error(`signing in answered ${res.status}`);
      const district = districts[n % districts.length] ?? '';
      const number = numbers[(n * 37) % Math.max(1, numbers.length)] ?? 'none';
      const paths = PAGES.map((p) => p.replace('{district}', district).replace('{case}', encodeURIComponent(number)));
      sessions.push({ cookie, paths });
    }
  }
  return sessions;
}

/**
 * Each session requests its paths `rounds` times (rotated per session), one request at a time: all the
 * sessions together (`atOnce`), or one session after another; `think` ms on average (0 to twice that,
 * uniformly) between a session's requests, as a person reads a page before the next click.
 */
async function drive(
  url: string,
  sessions: Session[],
  rounds: number,
  { atOnce, think }: { atOnce: boolean; think: number },
): Promise<Sample[]> {
  const samples: Sample[] = [];
  const run = async (s: Session, i: number) => {
    for (let r = 0; r < rounds; r++) {
      for (let k = 0; k < s.paths.length; k++) {
        const path = s.paths[(k + i + r) % s.paths.length] as string;
        const started = performance.now();
        const res = await fetch(`${url}${path}`, { headers: { cookie: s.cookie }, redirect: 'manual' });
        const body = await res.arrayBuffer();
        samples.push({ path, status: res.status, ms: performance.now() - started, bytes: body.byteLength });
        if (think > 0) await new Promise((done) => setTimeout(done, Math.random() * 2 * think));
      }
    }
  };
  if (atOnce) await Promise.all(sessions.map(run));
  else for (const [i, s] of sessions.entries()) await run(s, i);
  return samples;
}

/** A page's figures over its samples: statuses, mean size and percentiles of the 200s. */
function stats(samples: Sample[]) {
  const answered = samples.filter((s) => s.status === 200);
  const ok = answered.map((s) => s.ms).sort((a, b) => a - b);
  const kb = answered.reduce((sum, s) => sum + s.bytes, 0) / Math.max(1, answered.length) / 1024;
  const statuses = new Map<number, number>();
  for (const s of samples) statuses.set(s.status, (statuses.get(s.status) ?? 0) + 1);
  return {
    n: ok.length,
    p50: percentile(ok, 50),
    p95: percentile(ok, 95),
    size: ok.length ? `${kb.toFixed(0)} KB` : '—',
    statuses: [...statuses].map(([code, n]) => `${code}×${n}`).join(' '),
  };
}

/**
 * The figures: per page (its template, the filled-in parts folded), alone, at once with the think time
 * (judged) and at once with no pause (saturation, printed only), then the baseline.
 */
function report(r: {
  count: number;
  rounds: number;
  sessions: number;
  reused: boolean;
  seedSeconds: number;
  startMs: number;
  loadBefore: number;
  loadAfter: number;
  alone: { baseline: Sample[]; pages: Sample[] };
  goal: Run;
  saturated: Run | null;
}): void {
  const ms = (v: number) => (Number.isNaN(v) ? '—' : v.toFixed(1));
  const pace = (run: Run) =>
    `${run.think ? `${run.think} ms between a session's clicks on average` : 'no pause between clicks'} ` +
    `(${run.pages.length} requests in ${run.seconds.toFixed(1)} s, ${(run.pages.length / run.seconds).toFixed(0)} req/s)`;
  console.log(
    `\nbench/console: ${r.count.toLocaleString('en')} demo cases (${r.reused ? 'a kept database reused, facts refreshed' : 'seeded and facts computed'} in ${r.seedSeconds.toFixed(0)} s), ` +
      `the app (role http) up in ${(r.startMs / 1000).toFixed(1)} s. At once: ${r.sessions} sessions, ${r.rounds} rounds of ` +
      `${PAGES.length} pages, ${pace(r.goal)}${r.saturated ? `; then ${pace(r.saturated)}` : ''}. ` +
      `Load average ${r.loadBefore.toFixed(2)} before, ${r.loadAfter.toFixed(2)} after. Client-side time on loopback ` +
      `(request to last byte), ms, over the 200s; statuses of the goal's run; the goal (p95 < ${GOAL_P95_MS} ms) judged on ` +
      `the run with ${r.goal.think} ms between clicks.`,
  );
  const base = stats(r.goal.baseline);
  const think = `${r.goal.think} ms`;
  const rows: string[][] = [
    [
      'page',
      'statuses',
      'size',
      'alone p50',
      'alone p95',
      `${think} p50`,
      `${think} p95`,
      ...(r.saturated ? ['no pause p50', 'no pause p95'] : []),
      `× ${BASELINE}`,
      `p95 < ${GOAL_P95_MS} ms`,
    ],
  ];
  // A row: the samples of `label` in each run (the goal's run's statuses and size), then the verdict.
  const row = (label: string, runs: { alone: Sample[]; goal: Sample[]; saturated: Sample[] | null }, verdict: string[]) => {
    const [a, s] = [stats(runs.alone), stats(runs.goal)];
    const n = runs.saturated ? stats(runs.saturated) : null;
    rows.push([
      label,
      s.statuses,
      s.size,
      ms(a.p50),
      ms(a.p95),
      ms(s.p50),
      ms(s.p95),
      ...(n ? [ms(n.p50), ms(n.p95)] : []),
      ...verdict,
    ]);
  };
  for (const page of PAGES) {
    const of = (samples: Sample[]) => samples.filter((x) => templateOf(x.path) === page);
    const s = stats(of(r.goal.pages));
    row(page, { alone: of(r.alone.pages), goal: of(r.goal.pages), saturated: r.saturated ? of(r.saturated.pages) : null }, [
      s.n ? (s.p95 / base.p95).toFixed(1) : '—',
      s.n === 0 ? 'n/a (no page)' : s.p95 < GOAL_P95_MS ? 'PASS' : 'FAIL',
    ]);
  }
  // The baseline's row is its own runs.
  row(`${BASELINE} (baseline)`, { alone: r.alone.baseline, goal: r.goal.baseline, saturated: r.saturated?.baseline ?? null }, [
    '1.0',
    '',
  ]);
  const widths = (rows[0] as string[]).map((_, i) => Math.max(...rows.map((row) => (row[i] ?? '').length)));
  for (const row of rows) console.log(`  ${row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ')}`);
}

/** A requested path back to its line of PAGES (the district and the case number put back as placeholders). */
function templateOf(path: string): string {
  return PAGES.find((p) => new RegExp(`^${p.replace(/[?]/g, '\\?').replace(/\{[a-z]+\}/g, '[^&/]+')}$`).test(path)) ?? path;
}

/** `node --import tsx src/main.ts`, role http, on the bench's database; its output goes to a log file. */
class AppChild {
  #child: ChildProcess | null = null;
  #exited: Promise<void> = Promise.resolve();
  readonly url: string;
  readonly logPath: string;

  constructor(
    readonly port: number,
    private readonly databaseUrl: string,
    private readonly work: string,
  ) {
    this.url = `http://127.0.0.1:${port}`;
    this.logPath = join(work, 'app.log');
  }

  /** Spawns the app and waits for /health; the ms it took. */
  async start(): Promise<number> {
    const started = performance.now();
    const log = openSync(this.logPath, 'a');
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: REPO,
      env: {
        PATH: process.env.PATH ?? '',
        DATABASE_URL: this.databaseUrl,
        DATA_DIR: join(this.work, 'data'),
        HTTP_PORT: String(this.port),
        CONSOLE_URL: `${this.url}/console`,
        API_TOKEN: 'bench-console-api-token-0123456789',
        LOG_LEVEL: 'warn',
        SANDBOX: 'false',
        APP_ROLES: 'http',
      },
      stdio: ['ignore', log, log],
    });
    closeSync(log);
    this.#child = child;
    this.#exited = new Promise((done) => child.once('exit', () => done()));
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the app exited with ${child.exitCode} at start; see ${this.logPath}`);
      if (performance.now() - started > 120_000) throw new Error(`the app did not become healthy in 120 s; see ${this.logPath}`);
      const ok = await fetch(`${this.url}${BASELINE}`)
        .then(async (r) => {
          await r.body?.cancel();
          return r.status === 200;
        })
        .catch(() => false);
      if (ok) return performance.now() - started;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** SIGTERM (the graceful stop), SIGKILL after 15 s. */
  async stop(): Promise<void> {
    const child = this.#child;
    if (!child || child.exitCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await this.#exited;
    clearTimeout(timer);
    this.#child = null;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
