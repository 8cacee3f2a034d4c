import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVitest, type Vitest } from 'vitest/node';
import { tiers } from '../vitest.tiers.config.js';

/** Every test file on disk, as a path from the repository root. */
function testFilesOnDisk(): string[] {
  return readdirSync('test', { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => join('test', f))
    .sort();
}

describe('test tiers (vitest.tiers.config.ts)', () => {
  // Vitest itself resolves the projects and their files, so this checks the globs exactly as a run reads them.
  let vitest: Vitest;
  const tierOf = new Map<string, string[]>();

  beforeAll(async () => {
    vitest = await createVitest('test', { watch: false, config: resolve('vitest.tiers.config.ts') });
    for (const project of vitest.projects) {
      for (const file of (await project.globTestFiles()).testFiles) {
        const key = file.slice(resolve('.').length + 1);
        tierOf.set(key, [...(tierOf.get(key) ?? []), project.name]);
      }
    }
  });
  afterAll(async () => vitest?.close());

  it('when the projects are read, then they are the five tiers and only the unit tier starts no PostgreSQL', () => {
    expect(vitest.projects.map((p) => p.name).sort()).toEqual(Object.keys(tiers).sort());
    const globalSetups = Object.fromEntries(vitest.projects.map((p) => [p.name, p.config.globalSetup.length > 0]));
    expect(globalSetups).toEqual({ unit: false, db: true, channels: true, faults: true, e2e: true });
  });

  it('when every test file under test/ is listed, then each belongs to exactly one tier', () => {
    const files = testFilesOnDisk();
    expect(files.length).toBeGreaterThan(0);
    const misplaced = files
      .filter((f) => tierOf.get(f)?.length !== 1)
      .map((f) => `${f}: ${tierOf.get(f)?.join(', ') ?? 'no tier'}`);
    expect(misplaced).toEqual([]);
    expect([...tierOf.keys()].sort()).toEqual(files);
  });
});
