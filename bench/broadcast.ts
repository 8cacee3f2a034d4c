/**
 * bench/broadcast: one broadcast to N Telegram and N VK subscribers (10,000 each by default) through the
 * real app — a child process (`src/main.ts`, roles http, worker, telegram, vk) — against the
 * limit-enforcing fakes in this process (TelegramRateFake: 30/s, 1/s per chat, 20/min per group, 429
 * with retry_after; VkRateFake: 20 requests/s, error 6, dedup by (peer, random_id)) and an embedded
 * PostgreSQL. docs/architecture/broadcasts.md, «Benchmark».
 *
 * 1. Baseline: citizens write to the bot (Telegram webhook updates, `--rate` a second on average, the
 *    gaps jittered) with no broadcast; the latency from the POST to the fake receiving the case
 *    acknowledgement («Обращение зарегистрировано…»), p50 / p95.
 * 2. Run 1: a broadcast to every subscriber, created and started through the HTTP API (the service
 *    token), the same citizens' messages going on meanwhile. Telegram's sustained rate against 30/s, the
 *    share of 429s, VK's calls/s against 20 and recipients/s against 20 × 100, the acknowledgements'
 *    latency against the baseline, the time to finish.
 * 3. Run 2 (kill): a fresh broadcast; the child is killed with SIGKILL three times — once at a random
 *    point of VK's sending (it takes seconds), twice at random points of Telegram's — and started again
 *    at once each time; the restarted worker resumes when the dead one's lease (20 s) runs out. Recipients
 *    lost (stamped sent but never delivered per the fake, or not sent at all) and delivered twice,
 *    against the in-flight bound of the port (Telegram: concurrency × batch per crash; VK: 0, random_id).
 *
 *   npx tsx bench/broadcast.ts [--recipients 10000] [--rate 2] [--baseline 60] [--kills 3] [--profile] [--verbose]
 *   (--profile: the app's CPU profile of run 1 under the temporary folder; --verbose: Telegram's pauses listed)
 *
 * Figures are printed, never asserted; the goals of issue 14 are printed with PASS / FAIL.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createBroadcastPort, messengerLimits } from '../bots/outbound/broadcast-port.js';
import { createTelegramBulkApi, TelegramBroadcaster } from '../bots/telegram/broadcast.js';
import { createTelegramPacer } from '../bots/telegram/pacing.js';
import { createVkBulkApi, createVkPacer } from '../bots/vk/api.js';
import { VkBroadcaster } from '../bots/vk/broadcast.js';
import { loadDomainConfig } from '../config/domain.js';
import { type Db, openDatabase } from '../models/database.js';
import { migrateToLatest } from '../models/migrate.js';
import { type TelegramDelivery, TelegramRateFake } from '../src/sandbox/telegram-rate-fake.js';
import { type VkDelivery, VkRateFake } from '../src/sandbox/vk-rate-fake.js';
import { benchDatabase, percentile, printTable } from './lib.js';

const REPO = resolve(import.meta.dirname, '..');
const API_TOKEN = 'bench-api-token-0123456789';
const WEBHOOK_SECRET = 'bench-broadcast-webhook-secret';
const VK_COMMUNITY = { token: 'vk1.a.bench-community-token', groupId: 4242, secret: 'bench-vk-secret', confirmation: 'ok4242' };
/** Chat ids: Telegram subscribers, VK subscribers, the citizens whose messages measure the acknowledgements. */
const TELEGRAM_BASE = 100_000_000;
const VK_BASE = 200_000_000;
const PROBE_BASE = 900_000_000;
const CASE_NUMBER = /МЦУ-\d{4}-\d{6}/;
const PROBLEMS = [
  'Третий день нет горячей воды в доме',
  'Огромная яма на дороге у подъезда',
  'Не вывозят мусор с контейнерной площадки',
  'Не горит уличный фонарь у дома',
  'Холодные батареи в квартире',
];
const STREETS = ['ул. Попова', 'ул. Малахова', 'пр. Ленина', 'ул. Антона Петрова', 'пр. Строителей'];

export async function main(argv = process.argv.slice(2)): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      recipients: { type: 'string', default: '10000' },
      rate: { type: 'string', default: '2' },
      baseline: { type: 'string', default: '60' },
      kills: { type: 'string', default: '3' },
      profile: { type: 'boolean', default: false },
      verbose: { type: 'boolean', default: false },
    },
  });
  const n = Number(values.recipients);
  const rate = Number(values.rate);
  const baselineSeconds = Number(values.baseline);
  const kills = Number(values.kills);
  const loadBefore = loadavg()[0] ?? 0;

  const work = mkdtempSync(join(tmpdir(), 'mcu-bench-broadcast-'));
  const database = await benchDatabase('broadcast');
  const tg = new TelegramRateFake();
  const vk = new VkRateFake();
  await tg.start();
  await vk.start();
  // The app's log, domain file and profiles stay when a run fails or is profiled.
  let keep = true;
  const handle = openDatabase({ connectionString: database.url, applicationName: 'bench-broadcast' });
  const watch = new DeliveryWatch(tg, vk);
  const app = new AppChild(
    appEnvironment({ databaseUrl: database.url, work, tg, vk, port: await freePort() }),
    join(work, 'app.log'),
    values.profile ? join(work, 'profiles') : null,
  );
  try {
    await migrateToLatest(handle.db);
    // Enough citizens for the acknowledgements: the baseline, run 1 at ~28/s, and a margin.
    const probes = Math.ceil(rate * (baselineSeconds + n / 25 + 180));
    const seeded = await seed(handle.db, n, probes);
    console.log(
      `seeded ${n} Telegram and ${n} VK subscribers, ${probes} citizens for the acknowledgements (${(seeded / 1000).toFixed(1)} s); the app's log: ${app.logPath} (kept when a run fails)`,
    );
    await app.start();
    const { pacerRate, ...inFlight } = portFigures(tg, vk);
    const probe = new AckProbe(app, tg, watch);

    // ---- the baseline: acknowledgements with no broadcast ----
    await probe.warmUp(5);
    probe.start(rate);
    await sleep(baselineSeconds * 1000);
    const baseline = await probe.stop();

    // ---- run 1: the broadcast, citizens writing meanwhile ----
    const run1 = await runBroadcast(app, tg, watch, n, 'run 1', async (started) => {
      probe.start(rate);
      await started;
    });
    const during = await probe.stop();
    if (values.profile) {
      // A killed process writes no profile: stop this one gracefully (its profile covers the baseline and run 1).
      await app.stop();
      await app.start();
      console.log(`the app's CPU profile of the baseline and run 1: ${join(work, 'profiles')} (open in Chrome DevTools)`);
    }

    // ---- run 2: the same with three kills ----
    const resumes: Resume[] = [];
    const run2 = await runBroadcast(app, tg, watch, n, 'run 2', async (_started, broadcast) => {
      for (const point of killPoints(n, kills)) {
        await watch.until(() => watch.count(broadcast.marker, point.channel) >= point.at);
        resumes.push(await killAndRestart(app, handle.db, tg, watch, broadcast, point));
      }
    });
    const losses = await lossesOf(handle.db, run2, tg, vk);

    report({
      n,
      rate,
      baselineSeconds,
      baseline,
      during,
      run1,
      run2,
      resumes,
      losses,
      inFlight,
      pacerRate,
      tg,
      vk,
      loadBefore,
      verbose: values.verbose,
    });
    keep = values.profile;
  } finally {
    watch.stop();
    await app.stop();
    await handle.close();
    await tg.stop();
    await vk.stop();
    await database.stop();
    if (!keep) rmSync(work, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// The app as a child process
// ---------------------------------------------------------------------------------------------

function appEnvironment(p: {
  databaseUrl: string;
  work: string;
  tg: TelegramRateFake;
  vk: VkRateFake;
  port: number;
}): Record<string, string> {
  // Barnaul's domain file with the quiet hours off (the bench may run at night, city time) and the
  // approval threshold above the audience (the service token cannot approve).
  const domain = readFileSync(join(REPO, 'config/barnaul.yaml'), 'utf8')
    .replace(/quietHours: \{[^}]*\}/, 'quietHours: { start: "00:00", end: "00:00" }')
    .replace(/aboveRecipients: \d+/, 'aboveRecipients: 10000000');
  const domainPath = join(p.work, 'barnaul-bench.yaml');
  writeFileSync(domainPath, domain);
  // What the domain file names beside itself (the production calendar, boundaries, classifier examples).
  for (const name of readdirSync(join(REPO, 'config')))
    if (!name.endsWith('.ts') && name !== 'barnaul.yaml') symlinkSync(join(REPO, 'config', name), join(p.work, name));
  return {
    PATH: process.env.PATH ?? '',
    DATABASE_URL: p.databaseUrl,
    DATA_DIR: join(p.work, 'data'),
    HTTP_PORT: String(p.port),
    API_TOKEN,
    LOG_LEVEL: 'warn',
    SANDBOX: 'false',
    MCU_CONFIG: domainPath,
    APP_ROLES: 'http,worker,telegram,vk',
    TELEGRAM_BOT_TOKEN: p.tg.token,
    TELEGRAM_API_ROOT: p.tg.apiRoot,
    TELEGRAM_MODE: 'webhook',
    TELEGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET,
    VK_GROUP_TOKEN: VK_COMMUNITY.token,
    VK_GROUP_ID: String(VK_COMMUNITY.groupId),
    VK_API_BASE_URL: p.vk.baseUrl,
    VK_MODE: 'callback',
    VK_CALLBACK_SECRET: VK_COMMUNITY.secret,
    VK_CONFIRMATION_CODE: VK_COMMUNITY.confirmation,
  };
}

/** `node --import tsx src/main.ts` with the bench's environment; its output goes to a log file. */
class AppChild {
  #child: ChildProcess | null = null;
  #exited: Promise<void> = Promise.resolve();
  readonly url: string;

  constructor(
    private readonly env: Record<string, string>,
    readonly logPath: string,
    private readonly profileDir: string | null,
  ) {
    this.url = `http://127.0.0.1:${env.HTTP_PORT}`;
  }

  /** Spawns the app and waits for /health; the ms it took. */
  async start(): Promise<number> {
    const started = performance.now();
    const log = openSync(this.logPath, 'a');
    const profile = this.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${this.profileDir}`] : [];
    const child = spawn(process.execPath, [...profile, '--import', 'tsx', 'src/main.ts'], {
      cwd: REPO,
      env: this.env,
      stdio: ['ignore', log, log],
    });
    closeSync(log);
    this.#child = child;
    this.#exited = new Promise((resolve) => child.once('exit', () => resolve()));
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the app exited with ${child.exitCode} at start; see ${this.logPath}`);
      if (performance.now() - started > 120_000) throw new Error(`the app did not become healthy in 120 s; see ${this.logPath}`);
      const ok = await fetch(`${this.url}/health`)
        .then(async (r) => {
          await r.body?.cancel();
          return r.status === 200;
        })
        .catch(() => false);
      if (ok) return performance.now() - started;
      await sleep(100);
    }
  }

  /** kill -9: no shutdown, leases and rows in flight left as they are. */
  async kill(): Promise<void> {
    this.#child?.kill('SIGKILL');
    await this.#exited;
    this.#child = null;
  }

  /** SIGTERM (the graceful stop; a CPU profile is written), SIGKILL after 15 s. */
  async stop(): Promise<void> {
    const child = this.#child;
    if (!child || child.exitCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await this.#exited;
    clearTimeout(timer);
    this.#child = null;
  }

  async api<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${API_TOKEN}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${text}`);
    return JSON.parse(text) as T;
  }
}

async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address ? address.port : 0;
}

// ---------------------------------------------------------------------------------------------
// Test data: subscribed citizens, and citizens who will write
// ---------------------------------------------------------------------------------------------

/** Citizens with consent; the first two groups subscribed to everything in their private chat. Seconds taken. */
async function seed(db: Db, recipients: number, probes: number): Promise<number> {
  const started = performance.now();
  const groups = [
    { channel: 'telegram', base: TELEGRAM_BASE, count: recipients, subscribed: true },
    { channel: 'vk', base: VK_BASE, count: recipients, subscribed: true },
    { channel: 'telegram', base: PROBE_BASE, count: probes, subscribed: false },
  ] as const;
  const now = new Date();
  for (const g of groups) {
    for (let from = 0; from < g.count; from += 1000) {
      const rows = Array.from({ length: Math.min(1000, g.count - from) }, (_, i) => ({
        channel: g.channel,
        external_id: String(g.base + from + i),
        display_name: `Житель ${from + i}`,
        consent: 'given' as const,
        consent_at: now,
      }));
      const citizens = await db.insertInto('citizen').values(rows).returning(['id', 'external_id']).execute();
      if (!g.subscribed) continue;
      await db
        .insertInto('subscription')
        .values(citizens.map((c) => ({ citizen_id: c.id, channel: g.channel, chat_id: c.external_id })))
        .execute();
    }
  }
  return performance.now() - started;
}

// ---------------------------------------------------------------------------------------------
// What the fakes received, followed as it arrives
// ---------------------------------------------------------------------------------------------

type Channel = 'telegram' | 'vk';

/** Counts each broadcast's deliveries per channel and hands case acknowledgements to a listener, scanning every 20 ms. */
class DeliveryWatch {
  readonly #counts = new Map<string, { telegram: number; vk: number; lastAt: number }>();
  #tgSeen = 0;
  #vkSeen = 0;
  readonly #timer: NodeJS.Timeout;
  onAck: (d: TelegramDelivery) => void = () => {};

  constructor(
    private readonly tg: TelegramRateFake,
    private readonly vk: VkRateFake,
  ) {
    this.#timer = setInterval(() => this.scan(), 20);
  }

  /** Follows the deliveries of a broadcast whose text carries `marker`. */
  follow(marker: string): void {
    this.#counts.set(marker, { telegram: 0, vk: 0, lastAt: Number.NEGATIVE_INFINITY });
  }

  count(marker: string, channel: Channel): number {
    this.scan();
    return this.#counts.get(marker)?.[channel] ?? 0;
  }

  /** The bench's clock (ms, the Telegram fake's) of the latest delivery of `marker` on either channel. */
  lastAt(marker: string): number {
    this.scan();
    return this.#counts.get(marker)?.lastAt ?? Number.NEGATIVE_INFINITY;
  }

  scan(): void {
    const tgDeliveries = this.tg.deliveries;
    for (; this.#tgSeen < tgDeliveries.length; this.#tgSeen++) {
      const d = tgDeliveries[this.#tgSeen] as TelegramDelivery;
      const counted = this.#count(d.text, 'telegram', this.tg.now());
      if (!counted && CASE_NUMBER.test(d.text)) this.onAck(d);
    }
    const vkDeliveries = this.vk.deliveries;
    for (; this.#vkSeen < vkDeliveries.length; this.#vkSeen++)
      this.#count((vkDeliveries[this.#vkSeen] as VkDelivery).text, 'vk', this.tg.now());
  }

  #count(text: string, channel: Channel, at: number): boolean {
    for (const [marker, c] of this.#counts) {
      if (!text.includes(marker)) continue;
      c[channel] += 1;
      c.lastAt = at;
      return true;
    }
    return false;
  }

  async until(probe: () => boolean, timeoutMs = 30 * 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!probe()) {
      if (Date.now() > deadline) throw new Error('bench/broadcast: waited too long');
      await sleep(20);
    }
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}

// ---------------------------------------------------------------------------------------------
// Citizens writing: the acknowledgements' latency
// ---------------------------------------------------------------------------------------------

interface AckFigures {
  latencies: number[];
  sent: number;
  unanswered: number;
  refused: number;
}

/**
 * New messages from consenting citizens, one citizen each (no follow-up, no question), through the
 * webhook at a steady rate; the latency is the fake's receipt of the acknowledgement minus the POST's start.
 */
class AckProbe {
  #next = 0;
  #timer: NodeJS.Timeout | null = null;
  readonly #pending = new Map<number, number>();
  #figures: AckFigures = { latencies: [], sent: 0, unanswered: 0, refused: 0 };

  constructor(
    private readonly app: AppChild,
    private readonly tg: TelegramRateFake,
    watch: DeliveryWatch,
  ) {
    watch.onAck = (d) => {
      const t0 = this.#pending.get(d.chatId);
      if (t0 === undefined) return;
      this.#pending.delete(d.chatId);
      this.#figures.latencies.push(d.at - t0);
    };
  }

  /** A few messages first, not counted: the classifier and the connections warm up. */
  async warmUp(count: number): Promise<void> {
    for (let i = 0; i < count; i++) void this.#post();
    const deadline = Date.now() + 60_000;
    while (this.#pending.size > 0 && Date.now() < deadline) await sleep(50);
    this.#pending.clear();
    this.#figures = { latencies: [], sent: 0, unanswered: 0, refused: 0 };
  }

  /**
   * `perSecond` on average, each gap drawn from ½ to 1½ of the mean: the app's queues poll at fixed
   * intervals (the inbox every 250 ms, notify-citizen every 500 ms), and messages at a fixed 500 ms would
   * land at one phase of those polls every time — the latency then measures the phase, not the app.
   */
  start(perSecond: number): void {
    const next = () => {
      this.#timer = setTimeout(
        () => {
          void this.#post();
          next();
        },
        ((0.5 + Math.random()) * 1000) / perSecond,
      );
    };
    next();
  }

  /** Stops writing, waits up to 20 s for the acknowledgements still due, and returns the figures. */
  async stop(): Promise<AckFigures> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    const deadline = Date.now() + 20_000;
    while (this.#pending.size > 0 && Date.now() < deadline) await sleep(50);
    const figures = { ...this.#figures, unanswered: this.#pending.size };
    this.#pending.clear();
    this.#figures = { latencies: [], sent: 0, unanswered: 0, refused: 0 };
    figures.latencies.sort((a, b) => a - b);
    return figures;
  }

  async #post(): Promise<void> {
    const i = this.#next++;
    const id = PROBE_BASE + i;
    const update = {
      update_id: 5_000_000 + i,
      message: {
        message_id: 1 + i,
        date: Math.floor(Date.now() / 1000),
        chat: { id, type: 'private', first_name: `Житель ${i}` },
        from: { id, is_bot: false, first_name: `Житель ${i}` },
        text: `${PROBLEMS[i % PROBLEMS.length]}, ${STREETS[i % STREETS.length]}, ${1 + (i % 180)}`,
      },
    };
    this.#pending.set(id, this.tg.now());
    this.#figures.sent += 1;
    const ok = await fetch(`${this.app.url}/telegram/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': WEBHOOK_SECRET },
      body: JSON.stringify(update),
    })
      .then(async (r) => {
        await r.body?.cancel();
        return r.status === 200;
      })
      .catch(() => false);
    if (!ok) {
      this.#pending.delete(id);
      this.#figures.refused += 1;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// One broadcast, start to finish
// ---------------------------------------------------------------------------------------------

interface RunFigures {
  label: string;
  broadcastId: number;
  marker: string;
  /** Bench clock (the Telegram fake's ms) at the start call, and when the API said done. */
  startedAt: number;
  doneAt: number;
  status: string;
}

/**
 * Creates a broadcast to every subscriber, starts it through the API and waits until the API says it is
 * done; `during` runs meanwhile (given a promise of the start and the broadcast's marker).
 */
async function runBroadcast(
  app: AppChild,
  tg: TelegramRateFake,
  watch: DeliveryWatch,
  n: number,
  label: string,
  during: (started: Promise<void>, broadcast: { id: number; marker: string }) => Promise<void>,
): Promise<RunFigures> {
  const marker = `[bench ${label} ${Date.now().toString(36)}]`;
  watch.follow(marker);
  const created = await app.api<{ id: number }>('POST', '/api/v1/broadcasts', {
    title: `Плановое отключение воды ${marker}`,
    text: 'Завтра с 9:00 до 17:00 в вашем районе не будет холодной воды: ремонт водовода. Запаситесь водой заранее.',
    segment: { kind: 'subscribers' },
    author: 'bench',
  });
  const startedAt = tg.now();
  const started = app.api<{ status: string; recipientsTotal: number | null }>('POST', `/api/v1/broadcasts/${created.id}/start`);
  const view = await started;
  if (view.recipientsTotal !== 2 * n) console.warn(`${label}: ${view.recipientsTotal} recipients frozen, ${2 * n} expected`);
  const doing = during(
    started.then(() => {}),
    { id: created.id, marker },
  );
  // The API while the app may be down (killed, restarting): retry until done.
  let status = 'running';
  const deadline = Date.now() + Math.max(30 * 60_000, (n / 10) * 1000);
  while (status !== 'done' && status !== 'cancelled') {
    if (Date.now() > deadline) throw new Error(`${label}: broadcast ${created.id} not done in time (${status})`);
    await sleep(500);
    status = await app
      .api<{ status: string }>('GET', `/api/v1/broadcasts/${created.id}`)
      .then((r) => r.status)
      .catch(() => status);
  }
  const doneAt = tg.now();
  await doing;
  return { label, broadcastId: created.id, marker, startedAt, doneAt, status };
}

// ---------------------------------------------------------------------------------------------
// The kills
// ---------------------------------------------------------------------------------------------

interface KillPoint {
  channel: Channel;
  /** Kill once this many recipients of the channel got it. */
  at: number;
}

/** One point in VK's sending, the rest in Telegram's, each random within 10–90 % and in order. */
function killPoints(n: number, kills: number): KillPoint[] {
  const within = () => Math.round(n * (0.1 + 0.8 * Math.random()));
  const telegram = Array.from({ length: Math.max(0, kills - 1) }, within).sort((a, b) => a - b);
  return [
    ...(kills > 0 ? [{ channel: 'vk' as const, at: within() }] : []),
    ...telegram.map((at) => ({ channel: 'telegram' as const, at })),
  ];
}

interface Resume {
  point: KillPoint;
  killedAt: { telegram: number; vk: number };
  /** Rows left `sending` by the dead sender, per channel. */
  inFlight: { telegram: number; vk: number };
  /** ms: the dead sender's lease left at the kill, the restart (spawn → /health), and the kill → the next delivery of the broadcast. */
  leaseLeftMs: number;
  restartMs: number;
  resumeMs: number;
}

async function killAndRestart(
  app: AppChild,
  db: Db,
  tg: TelegramRateFake,
  watch: DeliveryWatch,
  broadcast: { id: number; marker: string },
  point: KillPoint,
): Promise<Resume> {
  const { marker } = broadcast;
  await app.kill();
  const killedAt = tg.now();
  const counts = { telegram: watch.count(marker, 'telegram'), vk: watch.count(marker, 'vk') };
  const lease = await db.selectFrom('broadcast').select('lease_until').where('id', '=', broadcast.id).executeTakeFirst();
  // The rows the dead sender held: claimed, maybe delivered, not stamped — sent again after the restart.
  const held = await db
    .selectFrom('broadcast_recipient')
    .select(['channel', (eb) => eb.fn.countAll<number>().as('n')])
    .where('broadcast_id', '=', broadcast.id)
    .where('status', '=', 'sending')
    .groupBy('channel')
    .execute();
  const inFlight = { telegram: 0, vk: 0 };
  for (const h of held) inFlight[h.channel as Channel] = Number(h.n);
  const leaseLeftMs = lease?.lease_until ? new Date(lease.lease_until).getTime() - Date.now() : 0;
  const restartMs = await app.start();
  // Resumed: the next delivery of this broadcast on either channel (VK may be finished already).
  const before = counts.telegram + counts.vk;
  await watch.until(() => watch.count(marker, 'telegram') + watch.count(marker, 'vk') > before);
  return { point, killedAt: counts, inFlight, leaseLeftMs, restartMs, resumeMs: watch.lastAt(marker) - killedAt };
}

/** The port the app builds, as this domain file sets it: the in-flight bound per crash (concurrency × batch), Telegram's pacer rate. */
function portFigures(tg: TelegramRateFake, vk: VkRateFake): { telegram: number; vkRows: number; pacerRate: number } {
  const limits = messengerLimits(loadDomainConfig(join(REPO, 'config/barnaul.yaml')).broadcasts);
  const pacer = createTelegramPacer(limits.telegram);
  const port = createBroadcastPort([
    new TelegramBroadcaster(createTelegramBulkApi({ token: tg.token, apiRoot: tg.apiRoot }), pacer, limits.telegram),
    new VkBroadcaster(
      createVkBulkApi({
        token: VK_COMMUNITY.token,
        apiBaseUrl: vk.baseUrl,
        requestsPerSecond: limits.vk.requestsPerSecond,
        pacer: createVkPacer(limits.vk.requestsPerSecond),
      }),
      limits,
    ),
  ]);
  return {
    telegram: port.concurrency('telegram') * port.batchSize('telegram'),
    vkRows: port.concurrency('vk') * port.batchSize('vk'),
    pacerRate: pacer.rate,
  };
}

interface Losses {
  /** Per channel: rows stamped sent that the fake never delivered; rows not sent at all; recipients delivered more than once. */
  byChannel: Record<Channel, { rows: number; sentNotDelivered: number; notSent: number; twice: number }>;
  notSentStatuses: Record<string, number>;
}

async function lossesOf(db: Db, run: RunFigures, tg: TelegramRateFake, vk: VkRateFake): Promise<Losses> {
  const rows = await db
    .selectFrom('broadcast_recipient')
    .select(['channel', 'chat_id', 'status'])
    .where('broadcast_id', '=', run.broadcastId)
    .execute();
  const delivered: Record<Channel, Map<string, number>> = { telegram: new Map(), vk: new Map() };
  const add = (channel: Channel, chat: number) =>
    delivered[channel].set(String(chat), (delivered[channel].get(String(chat)) ?? 0) + 1);
  for (const d of tg.deliveries) if (d.text.includes(run.marker)) add('telegram', d.chatId);
  for (const d of vk.deliveries) if (d.text.includes(run.marker)) add('vk', d.peerId);
  const out: Losses = {
    byChannel: {
      telegram: { rows: 0, sentNotDelivered: 0, notSent: 0, twice: 0 },
      vk: { rows: 0, sentNotDelivered: 0, notSent: 0, twice: 0 },
    },
    notSentStatuses: {},
  };
  for (const r of rows) {
    const c = out.byChannel[r.channel as Channel];
    c.rows += 1;
    if (r.status !== 'sent') {
      c.notSent += 1;
      out.notSentStatuses[r.status] = (out.notSentStatuses[r.status] ?? 0) + 1;
    } else if (!delivered[r.channel as Channel].has(r.chat_id)) c.sentNotDelivered += 1;
  }
  for (const channel of ['telegram', 'vk'] as const)
    for (const times of delivered[channel].values()) out.byChannel[channel].twice += times - 1;
  return out;
}

// ---------------------------------------------------------------------------------------------
// The figures
// ---------------------------------------------------------------------------------------------

/** Deliveries a second between the 5th and the 95th percentile of their times: the steady part. */
function steadyRate(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  if (sorted.length < 20) return Number.NaN;
  const lo = Math.floor(sorted.length * 0.05);
  const hi = Math.ceil(sorted.length * 0.95) - 1;
  return ((hi - lo) * 1000) / ((sorted[hi] as number) - (sorted[lo] as number));
}

function telegramFigures(run: RunFigures, tg: TelegramRateFake, pacerRate: number) {
  const mine = tg.deliveries.filter((d) => d.text.includes(run.marker));
  const times = mine.map((d) => d.at).sort((a, b) => a - b);
  const first = times[0] as number;
  const last = times.at(-1) as number;
  // Everything the bot sent in that window (acknowledgements too) against what the fake refused in it.
  const inWindow = (at: number) => at >= first && at <= last;
  const bot = tg.deliveries.filter((d) => inWindow(d.at) && d.method !== 'editMessageText').map((d) => d.at);
  const refused = tg.refused.filter((r) => inWindow(r.at));
  const tooMany = refused.filter((r) => r.code === 429);
  // The steady part: between the 5th and the 95th percentile of the broadcast's deliveries.
  const lo = times[Math.floor(times.length * 0.05)] as number;
  const hi = times[Math.ceil(times.length * 0.95) - 1] as number;
  const botSteady = ((bot.filter((t) => t >= lo && t <= hi).length - 1) * 1000) / (hi - lo);
  // Where the rate goes: pauses of the bot over 100 ms (after a 429: its retry_after; else the sender
  // idle), and the time lost against the pacer's own rate.
  const pauses = { after429: { count: 0, ms: 0 }, other: { count: 0, ms: 0, longest: 0 }, list: [] as string[] };
  for (let i = 1; i < bot.length; i++) {
    const from = bot[i - 1] as number;
    const gap = (bot[i] as number) - from;
    if (gap <= 100) continue;
    const after429 = tooMany.some((r) => r.at >= from - 5 && r.at <= from + gap);
    const kind = after429 ? pauses.after429 : pauses.other;
    kind.count += 1;
    kind.ms += gap;
    if (!after429) pauses.other.longest = Math.max(pauses.other.longest, gap);
    pauses.list.push(`${((from - run.startedAt) / 1000).toFixed(1)} s +${gap.toFixed(0)} ms${after429 ? ' (429)' : ''}`);
  }
  return {
    delivered: mine.length,
    steady: steadyRate(times),
    botSteady,
    botMessages: bot.length,
    lostMs: last - first - ((bot.length - 1) * 1000) / pacerRate,
    pauses,
    tooMany: tooMany.length,
    tooManyShare: tooMany.length / (bot.length + refused.length),
    byLimit: countBy(tooMany.map((r) => r.limit ?? 'injected')),
    finishedMs: last - run.startedAt,
  };
}

function vkFigures(run: RunFigures, vk: VkRateFake, tg: TelegramRateFake) {
  const mine = vk.deliveries.filter((d) => d.text.includes(run.marker));
  const first = Math.min(...mine.map((d) => d.at));
  const last = Math.max(...mine.map((d) => d.at));
  const calls = vk.calls.filter((c) => c.method === 'messages.send' && c.at >= first && c.at <= last);
  const ok = calls.filter((c) => c.error === 0);
  // n calls span n − 1 intervals: the rate over them, and the recipients of all but the last call.
  const spanS = (last - first) / 1000;
  const lastPeers = ok.at(-1)?.peers.length ?? 0;
  // The fakes' clocks start apart by the time between their construction: convert the start to VK's clock.
  const startedAtVk = run.startedAt - tg.now() + vk.now();
  const gaps = ok
    .slice(1)
    .map((c, i) => ({ at: (ok[i] as { at: number }).at, gap: c.at - (ok[i] as { at: number }).at }))
    .filter((g) => g.gap > 150)
    .map((g) => `${((g.at - startedAtVk) / 1000).toFixed(1)} s +${g.gap.toFixed(0)} ms`);
  return {
    delivered: mine.length,
    firstMs: first - startedAtVk,
    gaps,
    calls: ok.length,
    callsPerSecond: (ok.length - 1) / spanS,
    recipientsPerSecond: (ok.reduce((s, c) => s + c.peers.length, 0) - lastPeers) / spanS,
    tooMany: calls.length - ok.length,
    finishedMs: last - startedAtVk,
  };
}

function countBy(keys: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of keys) out[k] = (out[k] ?? 0) + 1;
  return out;
}

const ms = (v: number) => (Number.isFinite(v) ? `${v.toFixed(0)} ms` : 'n/a');
const pct = (v: number) => `${(v * 100).toFixed(2)} %`;
const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
const lostLine = (t: ReturnType<typeof telegramFigures>) =>
  `${(t.lostMs / 1000).toFixed(1)} s against the pacer's rate: ${t.pauses.after429.count} pauses after a 429 (${(t.pauses.after429.ms / 1000).toFixed(1)} s), ${t.pauses.other.count} other pauses over 100 ms (${(t.pauses.other.ms / 1000).toFixed(1)} s, the longest ${ms(t.pauses.other.longest)}), the rest in shorter gaps`;

function report(r: {
  n: number;
  rate: number;
  baselineSeconds: number;
  baseline: AckFigures;
  during: AckFigures;
  run1: RunFigures;
  run2: RunFigures;
  resumes: Resume[];
  losses: Losses;
  inFlight: { telegram: number; vkRows: number };
  pacerRate: number;
  verbose: boolean;
  tg: TelegramRateFake;
  vk: VkRateFake;
  loadBefore: number;
}): void {
  const t1 = telegramFigures(r.run1, r.tg, r.pacerRate);
  const v1 = vkFigures(r.run1, r.vk, r.tg);
  const t2 = telegramFigures(r.run2, r.tg, r.pacerRate);
  const v2 = vkFigures(r.run2, r.vk, r.tg);
  const ack = (f: AckFigures) => ({
    p50: percentile(f.latencies, 50),
    p95: percentile(f.latencies, 95),
    max: f.latencies.at(-1) ?? Number.NaN,
  });
  const base = ack(r.baseline);
  const during = ack(r.during);
  const lost =
    r.losses.byChannel.telegram.sentNotDelivered +
    r.losses.byChannel.telegram.notSent +
    r.losses.byChannel.vk.sentNotDelivered +
    r.losses.byChannel.vk.notSent;
  const kills = r.resumes.length;
  const twiceBound = kills * r.inFlight.telegram;
  const twice = r.losses.byChannel.telegram.twice + r.losses.byChannel.vk.twice;

  printTable(`bench/broadcast — run 1: ${r.n} Telegram + ${r.n} VK subscribers, citizens writing ${r.rate}/s`, [
    [
      'Telegram, the bot (broadcast + acks)',
      `${t1.botSteady.toFixed(2)} msgs/s sustained — ${(t1.botSteady / r.tg.limits.perSecond).toFixed(3)} of the ${r.tg.limits.perSecond}/s limit (the pacer's ceiling: ${r.pacerRate.toFixed(1)}/s, ${(r.pacerRate / r.tg.limits.perSecond).toFixed(3)})`,
    ],
    [
      'Telegram, the broadcast alone',
      `${t1.steady.toFixed(2)} msgs/s sustained (the 5th–95th percentile of ${t1.delivered} deliveries)`,
    ],
    ['Telegram time lost', lostLine(t1)],
    ['Telegram 429s', `${t1.tooMany} (${pct(t1.tooManyShare)} of the bot's calls in the window) ${JSON.stringify(t1.byLimit)}`],
    ['Telegram finished', `${(t1.finishedMs / 1000).toFixed(1)} s after start`],
    [
      'VK calls',
      `${v1.callsPerSecond.toFixed(2)} calls/s (${v1.calls} messages.send) — ${(v1.callsPerSecond / r.vk.requestsPerSecond).toFixed(3)} of ${r.vk.requestsPerSecond}/s; error 6: ${v1.tooMany}`,
    ],
    [
      'VK recipients',
      `${v1.recipientsPerSecond.toFixed(0)}/s (${v1.delivered} delivered) — ${(v1.recipientsPerSecond / (r.vk.requestsPerSecond * 100)).toFixed(3)} of ${r.vk.requestsPerSecond} × 100`,
    ],
    ['VK finished', `${(v1.finishedMs / 1000).toFixed(1)} s after start (VK's share is over in seconds)`],
    ['broadcast done (API)', `${((r.run1.doneAt - r.run1.startedAt) / 1000).toFixed(1)} s after start, status ${r.run1.status}`],
    [
      `acks without a broadcast (${r.baselineSeconds} s)`,
      `p50 ${ms(base.p50)}, p95 ${ms(base.p95)}, max ${ms(base.max)} (${r.baseline.latencies.length} of ${r.baseline.sent}; unanswered ${r.baseline.unanswered}, refused ${r.baseline.refused})`,
    ],
    [
      'acks during the broadcast',
      `p50 ${ms(during.p50)}, p95 ${ms(during.p95)}, max ${ms(during.max)} (${r.during.latencies.length} of ${r.during.sent}; unanswered ${r.during.unanswered}, refused ${r.during.refused})`,
    ],
    ['acks p95 during / without', `${(during.p95 / base.p95).toFixed(2)}`],
  ]);

  const resumeRows: [string, string][] = r.resumes.map((x, i) => [
    `kill ${i + 1} (${x.point.channel} at ${x.point.at})`,
    `delivered then: Telegram ${x.killedAt.telegram}, VK ${x.killedAt.vk}; in flight: Telegram ${x.inFlight.telegram}, VK ${x.inFlight.vk}; lease left ${(x.leaseLeftMs / 1000).toFixed(1)} s, restart ${(x.restartMs / 1000).toFixed(1)} s; resumed ${(x.resumeMs / 1000).toFixed(1)} s after the kill`,
  ]);
  printTable(`bench/broadcast — run 2: ${kills} × SIGKILL and restart`, [
    ...resumeRows,
    [
      'Telegram',
      `${t2.delivered} deliveries, ${t2.tooMany} 429s, finished ${(t2.finishedMs / 1000).toFixed(1)} s after start; ${t2.steady.toFixed(2)} msgs/s between the 5th and 95th percentile (the restarts' pauses included)`,
    ],
    ['Telegram time lost', lostLine(t2)],
    [
      'VK',
      `${v2.delivered} deliveries, ${v2.calls} calls (${v2.callsPerSecond.toFixed(2)}/s, the restart's pause included if one fell in VK's sending), error 6: ${v2.tooMany}, finished ${(v2.finishedMs / 1000).toFixed(1)} s after start`,
    ],
    ['broadcast done (API)', `${((r.run2.doneAt - r.run2.startedAt) / 1000).toFixed(1)} s after start, status ${r.run2.status}`],
    [
      'lost: sent, never delivered',
      `Telegram ${r.losses.byChannel.telegram.sentNotDelivered}, VK ${r.losses.byChannel.vk.sentNotDelivered}`,
    ],
    [
      'lost: not sent at all',
      `Telegram ${r.losses.byChannel.telegram.notSent}, VK ${r.losses.byChannel.vk.notSent} ${JSON.stringify(r.losses.notSentStatuses)}`,
    ],
    [
      'delivered twice',
      `Telegram ${r.losses.byChannel.telegram.twice}, VK ${r.losses.byChannel.vk.twice} (fakes' duplicates() over the whole bench: Telegram ${r.tg.duplicates()}, VK ${r.vk.duplicates()})`,
    ],
    [
      'in-flight bound',
      `Telegram ${r.inFlight.telegram} per crash (BroadcastPort concurrency × batch), ${twiceBound} for ${kills} kills; VK 0 (random_id; ${r.inFlight.vkRows} rows in flight are sent again and deduplicated)`,
    ],
  ]);

  if (r.verbose) {
    console.log(`\nTelegram's pauses over 100 ms, run 1: ${t1.pauses.list.join(', ') || 'none'}`);
    console.log(`Telegram's pauses over 100 ms, run 2: ${t2.pauses.list.join(', ') || 'none'}`);
    console.log(
      `VK's first delivery / pauses between calls over 150 ms, run 1: ${ms(v1.firstMs)} / ${v1.gaps.join(', ') || 'none'}`,
    );
    console.log(
      `VK's first delivery / pauses between calls over 150 ms, run 2: ${ms(v2.firstMs)} / ${v2.gaps.join(', ') || 'none'}`,
    );
  }
  printTable('bench/broadcast — goals (issue 14)', [
    [
      `Telegram ≥ 0.9 of ${r.tg.limits.perSecond}/s, 429s < 1 %`,
      verdict(t1.botSteady >= 0.9 * r.tg.limits.perSecond && t1.tooManyShare < 0.01),
    ],
    [
      `VK ≥ 0.8 of ${r.vk.requestsPerSecond} calls/s × 100`,
      verdict(v1.recipientsPerSecond >= 0.8 * r.vk.requestsPerSecond * 100),
    ],
    ['acks p95 < 2 s during the broadcast', verdict(during.p95 < 2000 && r.during.unanswered === 0)],
    ['0 lost', verdict(lost === 0)],
    [`sent twice ≤ the in-flight bound (${twiceBound})`, verdict(twice <= twiceBound && r.losses.byChannel.vk.twice === 0)],
    [
      'load average (1 min) before / after',
      `${r.loadBefore.toFixed(2)} / ${(loadavg()[0] ?? 0).toFixed(2)} on ${availableParallelism()} cores`,
    ],
  ]);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
