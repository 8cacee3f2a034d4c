import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

interface LogLine {
  msg?: string;
  order?: string[];
  level?: number;
}

/** Runs `src/main.ts` as a real process (JSON logs, since stdout is not a terminal). */
function startMain(env: Record<string, string>): { child: ChildProcess; lines: LogLine[]; stderr: string[] } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: LogLine[] = [];
  const stderr: string[] = [];
  let buffer = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    const parts = buffer.split('\n');
    buffer = parts.pop() ?? '';
    for (const part of parts) {
      try {
        lines.push(JSON.parse(part) as LogLine);
      } catch {
        lines.push({ msg: part });
      }
    }
  });
  child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString('utf8')));
  return { child, lines, stderr };
}

function exited(child: ChildProcess): Promise<{ code: number | null; ms: number }> {
  const started = Date.now();
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, ms: Date.now() - started })));
}

async function until(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('process lifecycle (src/main.ts)', () => {
  let testDb: TestDatabase;
  beforeAll(async () => {
    testDb = await createTestDatabase('shutdown');
  });
  afterAll(async () => testDb.drop());

  it('when SIGTERM arrives, then intake stops first, then workers, then the database, and the exit code is 0 within 10 s', async () => {
    const { child, lines, stderr } = startMain({
      DATABASE_URL: testDb.url,
      DATA_DIR: mkdtempSync(join(tmpdir(), 'mcu-main-')),
      HTTP_PORT: '0',
      SANDBOX: 'true',
      LOG_LEVEL: 'info',
    });
    const done = exited(child);
    await until(() => lines.some((l) => l.msg?.startsWith('МЦУ platform is up')) || child.exitCode !== null, 30_000).catch(
      () => {},
    );
    expect(stderr.join(''), 'stderr').not.toMatch(/Error/);
    expect(lines.some((l) => l.msg?.startsWith('МЦУ platform is up'))).toBe(true);

    child.kill('SIGTERM');
    const { code, ms } = await done;
    expect(code).toBe(0);
    expect(ms).toBeLessThan(10_000);
    const stopped = lines.find((l) => l.msg === 'stopped');
    expect(stopped?.order).toEqual([
      'sandbox-citizens',
      'telegram',
      'vk',
      'max',
      'http',
      'inbox',
      'sandbox-emulator',
      'queue',
      'database',
      'embedded-postgres',
    ]);
  });

  it('when the configuration is invalid, then exit code 1 with every problem listed and no stack trace', async () => {
    const { child, stderr } = startMain({ HTTP_PORT: 'abc', LOG_LEVEL: 'chatty', DATA_DIR: tmpdir() });
    const { code } = await exited(child);
    expect(code).toBe(1);
    const text = stderr.join('');
    expect(text).toContain('HTTP_PORT');
    expect(text).toContain('LOG_LEVEL');
    expect(text).not.toMatch(/\n\s+at /);
  });

  it('when the domain file has an error, then exit code 1 naming the file and line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcu-domain-'));
    const file = join(dir, 'city.yaml');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(file, 'city:\n  name: Барнаул\n  colour: blue\n');
    const { child, stderr } = startMain({ MCU_CONFIG: file, DATA_DIR: dir });
    const { code } = await exited(child);
    expect(code).toBe(1);
    expect(stderr.join('')).toMatch(/city\.yaml:\d+:\d+/);
  });
});
