/**
 * bench/intake: 20,000 Telegram updates through the real webhook path (HTTP → secret → edge check →
 * inbox commit → 200), against a plain multi-row INSERT of the same payloads into the same database.
 * Prints accepted msgs/s, p50/p99 time to acknowledgement and the ratio. Deciding on the stored
 * events (the inbox workers) is not part of the acknowledgement and not measured here.
 *
 *   npx tsx bench/intake.ts [--updates 20000] [--concurrency 32]
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { loadDomainConfig } from '../config/domain.js';
import { loadConfig } from '../config/index.js';
import { App } from '../src/app.js';
import { createLogger } from '../src/logger.js';
import { startTelegramEmulator } from '../src/sandbox/telegram-emulator.js';
import { benchDatabase, percentile, printTable } from './lib.js';

const SECRET = 'bench-webhook-secret-000';
const CHAT = { id: -1001000000001, type: 'supergroup', title: 'Барнаул — бенчмарк', username: 'barnaul_bench' };
const PHRASES = [
  'Нет горячей воды',
  'Яма на дороге',
  'Не вывозят мусор',
  'Не горит фонарь',
  'Холодные батареи',
  'Сломана лавочка',
];

function makeUpdate(i: number) {
  return {
    update_id: 1_000_000 + i,
    message: {
      message_id: 10_000 + i,
      date: 1_764_400_000 + i,
      chat: CHAT,
      from: { id: 500_000 + (i % 700), is_bot: false, first_name: `Житель ${i % 700}` },
      text: `${PHRASES[i % PHRASES.length]} по адресу ул. Попова, ${1 + (i % 250)} (#${i})`,
    },
  };
}

export async function main(argv = process.argv.slice(2)): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { updates: { type: 'string', default: '20000' }, concurrency: { type: 'string', default: '32' } },
  });
  const total = Number(values.updates);
  const concurrency = Number(values.concurrency);
  const database = await benchDatabase('intake');
  const emulator = await startTelegramEmulator();
  const config = loadConfig({
    DATABASE_URL: database.url,
    DATA_DIR: `${process.env.TMPDIR ?? '/tmp'}/mcu-bench-intake-data`,
    HTTP_PORT: '0',
    API_TOKEN: 'bench-api-token-0123456789',
    LOG_LEVEL: 'silent',
    TELEGRAM_BOT_TOKEN: emulator.token,
    TELEGRAM_API_ROOT: emulator.apiRoot,
    TELEGRAM_MODE: 'webhook',
    TELEGRAM_WEBHOOK_SECRET: SECRET,
    // The acknowledgement path is what we measure; inbox workers would compete for the 2 cores.
    APP_ROLES: 'http,telegram',
  });
  if (!hasWrk()) {
    console.log(
      'note: wrk is not installed (apt-get install wrk); using an in-process fetch client, which itself caps the rate near 1,750 req/s here',
    );
  }
  const results: Record<
    string,
    { accepted: number; p50: number; p99: number; failed: number; stored: number; client: string; cpu: string }
  > = {};
  // The machine may be shared: the load around the run says how far to trust the rates.
  const loadBefore = loadavg()[0] ?? 0;
  for (const batching of [false, true]) {
    results[batching ? 'micro-batched' : 'per request'] = await runWebhook(config, total, concurrency, batching);
  }
  const plain = await plainInsertRate(database.url, total);
  const rows: [string, string][] = [];
  for (const [mode, r] of Object.entries(results)) {
    rows.push(
      [
        `${mode}: accepted`,
        `${r.accepted.toFixed(0)} msgs/s (${r.stored} of ${total} stored, ${r.failed} non-200; client: ${r.client})`,
      ],
      [`${mode}: ack p50 / p99`, `${r.p50.toFixed(1)} / ${r.p99.toFixed(1)} ms`],
      [`${mode}: ratio to plain INSERT`, (r.accepted / plain).toFixed(3)],
      [`${mode}: cpu per message`, r.cpu],
    );
  }
  rows.push(
    ['plain multi-row INSERT', `${plain.toFixed(0)} rows/s`],
    [
      'load average (1 min) before / after',
      `${loadBefore.toFixed(2)} / ${(loadavg()[0] ?? 0).toFixed(2)} on ${availableParallelism()} cores`,
    ],
    ['goals', 'per request ≥ 0.10, micro-batched ≥ 0.30, p99 < 500 ms'],
  );
  printTable(`bench/intake — ${total} updates, ${concurrency} concurrent webhook clients, one PostgreSQL`, rows);
  await emulator.stop();
  await database.stop();
}

async function runWebhook(config: ReturnType<typeof loadConfig>, total: number, concurrency: number, batching: boolean) {
  const app = new App(config, loadDomainConfig('config/barnaul.yaml'), createLogger({ level: 'silent' }), {
    intakeBatching: batching,
  });
  await app.start();
  const admin = new pg.Client({ connectionString: config.databaseUrl ?? '' });
  await admin.connect();
  try {
    // A fresh chat per run, approved: messages are captured silently (no replies to wait for).
    const chat = { ...CHAT, id: CHAT.id - (batching ? 1 : 0) };
    await app.intakeApi().registerSource({
      channel: 'telegram',
      source: { externalId: String(chat.id), kind: 'city_chat', title: chat.title, official: false },
    });
    await admin.query(`update source set status = 'active' where external_id = $1`, [String(chat.id)]);
    const offset = batching ? total : 0;
    const bodies = Array.from({ length: total }, (_, i) => {
      const u = makeUpdate(i + offset);
      return JSON.stringify({ ...u, message: { ...u.message, chat } });
    });
    const url = `${app.info.httpUrl}/telegram/webhook`;
    if (hasWrk()) {
      const count = async () =>
        Number(
          (
            await admin.query(`select count(*)::int as n from inbox_event where channel = 'telegram' and lane = $1`, [
              `chat:${chat.id}`,
            ])
          ).rows[0].n,
        );
      const cpu = await cpuMeter(admin);
      const r = await runWrk(url, chat.id, offset, total, concurrency, count);
      const cpuUsed = await cpu.stop();
      // wrk keeps its connections open until its deadline, so the rate comes from the database:
      // events committed to the inbox between the first and the last commit.
      const row = (
        await admin.query(
          `select count(*)::int as n, extract(epoch from max(received_at) - min(received_at)) as seconds
             from inbox_event where channel = 'telegram' and lane = $1`,
          [`chat:${chat.id}`],
        )
      ).rows[0] as { n: number; seconds: number };
      return { ...r, accepted: row.n / Number(row.seconds), stored: row.n, client: 'wrk', cpu: cpuUsed(row.n) };
    }
    const latencies: number[] = [];
    let failed = 0;
    let next = 0;
    const cpu = await cpuMeter(admin);
    const started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < total) {
          const body = bodies[next++] as string;
          const t0 = performance.now();
          const res = await fetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
            body,
          });
          await res.arrayBuffer();
          latencies.push(performance.now() - t0);
          if (res.status !== 200) failed++;
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const cpuUsed = await cpu.stop();
    const stored = Number(
      (await admin.query(`select count(*) from inbox_event where channel = 'telegram' and lane = $1`, [`chat:${chat.id}`]))
        .rows[0].count,
    );
    latencies.sort((a, b) => a - b);
    return {
      accepted: total / seconds,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      failed,
      stored,
      client: 'in-process fetch',
      cpu: cpuUsed(stored),
    };
  } finally {
    await admin.end();
    await app.stop();
  }
}

/**
 * CPU time spent while the load ran, per stored message: this process (HTTP, grammY, intake; plus
 * the in-process client when wrk is missing) and the PostgreSQL server processes (backends and
 * background workers, read from /proc; Linux only). Unlike msgs/s, it hardly depends on what else
 * the machine is running.
 */
async function cpuMeter(admin: pg.Client) {
  const pids = async () => ((await admin.query('select pid from pg_stat_activity')).rows as { pid: number }[]).map((r) => r.pid);
  const ticks = (pid: number) => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return Number(fields[11]) + Number(fields[12]);
    } catch {
      return undefined;
    }
  };
  const before = new Map((await pids()).map((pid) => [pid, ticks(pid)]));
  const node = process.cpuUsage();
  return {
    async stop() {
      const nodeMs = (({ user, system }) => (user + system) / 1000)(process.cpuUsage(node));
      let pgTicks = 0;
      let measured = false;
      for (const pid of await pids()) {
        const now = ticks(pid);
        if (now === undefined) continue;
        measured = true;
        pgTicks += now - (before.get(pid) ?? 0);
      }
      // /proc counts in clock ticks, 100 a second on Linux.
      const pgMs = pgTicks * 10;
      return (messages: number) =>
        messages === 0
          ? 'n/a'
          : `node ${((nodeMs * 1000) / messages).toFixed(0)} µs, postgres ${measured ? `${((pgMs * 1000) / messages).toFixed(0)} µs` : 'n/a'}`;
    },
  };
}

function hasWrk(): boolean {
  return spawnSync('wrk', ['--version']).error === undefined;
}

/**
 * wrk (C, from Debian's packages) as the load generator, in its own process: an in-process fetch
 * client costs more CPU than the server it measures (a trivial Fastify route: ~1,750 req/s with
 * fetch, ~11,000 with wrk on this machine). Each request carries a distinct update; wrk stops after
 * `total` responses.
 */
async function runWrk(
  url: string,
  chatId: number,
  offset: number,
  total: number,
  concurrency: number,
  stored: () => Promise<number>,
) {
  const dir = mkdtempSync(join(tmpdir(), 'mcu-wrk-'));
  const script = join(dir, 'updates.lua');
  const phrases = PHRASES.map((p) => `"${p}"`).join(', ');
  writeFileSync(
    script,
    `wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-Telegram-Bot-Api-Secret-Token"] = "${SECRET}"
local phrases = { ${phrases} }
local i = ${offset}
local done = 0
request = function()
  i = i + 1
  local body = string.format('{"update_id":%d,"message":{"message_id":%d,"date":%d,"chat":{"id":${chatId},"type":"supergroup","title":"bench","username":"barnaul_bench"},"from":{"id":%d,"is_bot":false,"first_name":"Житель"},"text":"%s по адресу ул. Попова, %d (#%d)"}}',
    1000000 + i, 10000 + i, 1764400000 + i, 500000 + (i % 700), phrases[(i % #phrases) + 1], 1 + (i % 250), i)
  return wrk.format(nil, nil, nil, body)
end
response = function(status, headers, body)
  done = done + 1
  if done >= ${total} then wrk.thread:stop() end
end
`,
  );
  const child = spawn('wrk', ['-t1', `-c${concurrency}`, '-d600s', '--latency', '-s', script, url]);
  let output = '';
  child.stdout.on('data', (d: Buffer) => {
    output += d.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // wrk always runs to its deadline; once every update is stored, SIGINT makes it print and exit.
  // (Or once nothing new was stored for 3 s: wrk's thread stops after `total` responses.)
  let last = -1;
  let idleSince = Date.now();
  for (;;) {
    const now = await stored();
    if (now !== last) idleSince = Date.now();
    last = now;
    if (child.exitCode !== null || now >= total || Date.now() - idleSince > 3_000) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill('SIGINT');
  await exited;
  const ms = (label: string) => {
    const m = new RegExp(`\\s${label}%\\s+([\\d.]+)(us|ms|s)`).exec(output);
    if (!m) return Number.NaN;
    const v = Number(m[1]);
    return m[2] === 'us' ? v / 1000 : m[2] === 's' ? v * 1000 : v;
  };
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(output)?.[1] ?? 0);
  return { p50: ms('50'), p99: ms('99'), failed: non2xx };
}

/** The same payloads, plain multi-row INSERT (500 rows a statement) into the same database. */
async function plainInsertRate(url: string, total: number): Promise<number> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(
      'create table if not exists bench_plain (id bigserial primary key, update_id bigint not null, text text not null, raw jsonb not null)',
    );
    const updates = Array.from({ length: total }, (_, i) => makeUpdate(i));
    const started = performance.now();
    for (let i = 0; i < total; i += 500) {
      const params: unknown[] = [];
      const rows = updates.slice(i, i + 500).map((u, j) => {
        params.push(u.update_id, u.message.text, JSON.stringify(u));
        return `($${j * 3 + 1}, $${j * 3 + 2}, $${j * 3 + 3})`;
      });
      await admin.query(`insert into bench_plain (update_id, text, raw) values ${rows.join(',')}`, params);
    }
    return total / ((performance.now() - started) / 1000);
  } finally {
    await admin.end();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
