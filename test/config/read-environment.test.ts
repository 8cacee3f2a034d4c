import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readEnvironment } from '../../config/index.js';

describe('reading the environment with a .env file', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  function withEnvFile(text: string): string {
    const dir = mkdtempSync(join(tmpdir(), 'env-'));
    dirs.push(dir);
    writeFileSync(join(dir, '.env'), text);
    return dir;
  }

  it('when .env has plain, quoted and commented lines, then they are read as values', () => {
    const env = readEnvironment(
      withEnvFile('# a comment\nMCU_TEST_PLAIN=plain\nMCU_TEST_QUOTED="two words"\nMCU_TEST_SINGLE=\'x=y\'\n'),
    );
    expect(env).toMatchObject({ MCU_TEST_PLAIN: 'plain', MCU_TEST_QUOTED: 'two words', MCU_TEST_SINGLE: 'x=y' });
  });

  it('when a variable is set in the process too, then the process wins', () => {
    process.env.MCU_TEST_BOTH = 'from process';
    try {
      expect(readEnvironment(withEnvFile('MCU_TEST_BOTH=from file\n')).MCU_TEST_BOTH).toBe('from process');
    } finally {
      delete process.env.MCU_TEST_BOTH;
    }
  });

  it('when there is no .env, then the process environment alone', () => {
    const dir = mkdtempSync(join(tmpdir(), 'env-'));
    dirs.push(dir);
    expect(readEnvironment(dir).PATH).toBe(process.env.PATH);
  });
});
