import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * Ctrl-C at a terminal signals the whole foreground process group (npm and node); npm forwards its
 * copy to the script as well. `npm start` must still stop gracefully and exit 0 on the first press.
 */
describe('Ctrl-C under npm start', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'mcu-ctrl-c-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('when the process group gets SIGINT once the platform is up, then it stops gracefully with exit code 0 within 10 s', async () => {
    const child = spawn('npm', ['start'], {
      detached: true, // its own process group, like a terminal's foreground job
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}`,
        HOME: process.env.HOME ?? '',
        DATA_DIR: dataDir,
        SANDBOX: 'true',
        HTTP_PORT: '0',
        LOG_LEVEL: 'info',
      },
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => {
      output += c.toString('utf8');
    });
    child.stderr.on('data', (c: Buffer) => {
      output += c.toString('utf8');
    });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    try {
      const until = Date.now() + 25_000;
      while (!output.includes('МЦУ platform is up') && child.exitCode === null && Date.now() < until) {
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(output, 'the platform came up').toContain('МЦУ platform is up');

      const sentAt = Date.now();
      process.kill(-(child.pid as number), 'SIGINT');
      const result = await Promise.race([exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 10_000))]);
      expect(result).toEqual({ code: 0, signal: null });
      expect(Date.now() - sentAt).toBeLessThan(10_000);
      expect(output).not.toContain('second signal');
      expect(output).toMatch(/"msg":"stopped"/);
    } finally {
      if (child.exitCode === null && child.signalCode === null) process.kill(-(child.pid as number), 'SIGKILL');
    }
  }, 40_000);
});
