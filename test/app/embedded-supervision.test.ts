import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { loadDomainConfig } from '../../config/domain.js';
import { loadConfig } from '../../config/index.js';
import { startEmbeddedPostgres } from '../../models/embedded-postgres.js';
import { App } from '../../src/app.js';
import { createLogger } from '../../src/logger.js';
import { apiCall, TEST_API_TOKEN, waitFor } from '../helpers/app.js';

function postmasterPid(dataDir: string): number {
  return Number(readFileSync(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
}

async function healthStatus(app: App): Promise<number> {
  const res = await fetch(`${app.info.httpUrl}/health`).catch(() => null);
  await res?.body?.cancel();
  return res?.status ?? 0;
}

describe('the embedded PostgreSQL is supervised', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('when its postmaster is killed, then /health goes 503, the server is restarted and /health is 200 again without restarting the app', async () => {
    // No DATABASE_URL: the app starts its own server under DATA_DIR. Its log lines are kept.
    const config = loadConfig({
      DATA_DIR: mkdtempSync(join(tmpdir(), 'mcu-supervised-')),
      HTTP_PORT: '0',
      API_TOKEN: TEST_API_TOKEN,
      APP_ROLES: 'http,worker',
      SANDBOX: 'false',
    });
    dirs.push(config.dataDir);
    const lines: string[] = [];
    const log = createLogger({ level: 'info', destination: { write: (line: string) => void lines.push(line) } });
    const app = new App(config, loadDomainConfig('config/barnaul.yaml'), log);
    expect(config.databaseUrl).toBeNull();
    try {
      await app.start();
      await waitFor(async () => ((await healthStatus(app)) === 200 ? true : undefined), 30_000);
      const before = postmasterPid(config.dataDir);

      process.kill(before, 'SIGKILL');
      const killedAt = Date.now();
      await waitFor(async () => ((await healthStatus(app)) === 503 ? true : undefined), 10_000, 20);
      await waitFor(async () => ((await healthStatus(app)) === 200 ? true : undefined), 30_000, 100);
      const backAfterMs = Date.now() - killedAt;
      console.info(`embedded PostgreSQL killed → /health 200 again after ${backAfterMs} ms`);
      expect(backAfterMs).toBeLessThan(30_000);

      const after = postmasterPid(config.dataDir);
      expect(after).not.toBe(before);
      // A write through the API, and a read of it through the app's own pool.
      const invite = await apiCall(app, 'POST', '/api/v1/officials/invites', {
        name: 'После перезапуска',
        department: 'roads-transport',
        role: 'official',
      });
      expect(invite.status).toBe(201);
      const row = await app.database?.db
        .selectFrom('official')
        .select('name')
        .where('id', '=', invite.body.officialId as number)
        .executeTakeFirst();
      expect(row?.name).toBe('После перезапуска');
    } finally {
      await app.stop();
    }
    // Supervision ended with the app: the server is stopped and not started again.
    await new Promise((r) => setTimeout(r, 1_500));
    expect(existsSync(join(config.dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
    // One line for the death and one for the restart, and no secret in any line.
    const restartLines = lines.filter((l) => l.includes('embedded PostgreSQL') && /stopped unexpectedly|restarted/.test(l));
    expect(restartLines.length).toBeGreaterThanOrEqual(2);
    const password = readFileSync(join(config.dataDir, 'postgres.secret'), 'utf8').trim();
    expect(lines.join('\n')).not.toContain(password);
    expect(lines.join('\n')).not.toContain('postgres://');
  }, 60_000);

  it('when an adopted orphan (started by an app that died) is killed, then it is noticed by polling and restarted; the lines hold no secret', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'mcu-orphan-'));
    dirs.push(dataDir);
    // A process that starts the server and is then killed, leaving the server orphaned.
    const script = `import { startEmbeddedPostgres } from './models/embedded-postgres.ts';
      await startEmbeddedPostgres({ dataDir: ${JSON.stringify(dataDir)} });
      console.log('up');
      setInterval(() => {}, 1000);`;
    const parent = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      parent.stdout?.on('data', (chunk: Buffer) => chunk.toString().includes('up') && resolve());
      parent.once('exit', (code) => reject(new Error(`the starter exited with ${code}`)));
    });
    parent.kill('SIGKILL');
    await new Promise((r) => parent.once('exit', r));

    const lines: string[] = [];
    const server = await startEmbeddedPostgres({ dataDir, supervise: (message) => lines.push(message) });
    try {
      expect(server.owned).toBe(true); // adopted
      const orphan = postmasterPid(dataDir);
      process.kill(orphan, 'SIGKILL');
      const client = async () => {
        const c = new pg.Client({ connectionString: server.connectionString });
        c.on('error', () => {});
        await c.connect();
        try {
          return (await c.query<{ one: number }>('select 1 as one')).rows[0]?.one;
        } finally {
          await c.end();
        }
      };
      await waitFor(() => (lines.some((l) => l.includes('restarted')) ? true : undefined), 20_000);
      expect(await waitFor(client, 10_000)).toBe(1);
      expect(postmasterPid(dataDir)).not.toBe(orphan);
      const password = readFileSync(join(dataDir, 'postgres.secret'), 'utf8').trim();
      expect(lines.join('\n')).not.toContain(password);
      expect(lines.join('\n')).not.toContain('postgres://');
    } finally {
      await server.stop();
    }
    expect(existsSync(join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
  }, 60_000);
});
