import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { trainClassifier, writeClassifierFile } from '../../lib/classifier/index.js';
import { createLogger } from '../../src/logger.js';
import { INTENT_MODEL_PATH, loadIntentScorer } from '../../src/structuring/load-model.js';

const log = createLogger({ level: 'silent' });
const dir = mkdtempSync(join(tmpdir(), 'intent-model-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the intent model as structuring loads it', () => {
  it('when the committed file is read, then thanks score high and a complaint low', async () => {
    const scorer = await loadIntentScorer(log, INTENT_MODEL_PATH);
    expect(scorer?.version).toMatch(/^intent-\d{4}-\d{2}-\d{2}$/);
    expect(scorer?.notProblem('Огромное спасибо, двор убрали, всё чисто!')).toBeGreaterThan(0.5);
    expect(scorer?.notProblem('Третий день нет горячей воды, дети не могут помыться')).toBeLessThan(0.5);
  });

  it('when the file is missing, then there is none and nothing throws', async () => {
    expect(await loadIntentScorer(log, join(dir, 'missing.json'))).toBeNull();
  });

  it('when the file is damaged or has no not_a_problem label, then there is none and nothing throws', async () => {
    const damaged = join(dir, 'damaged.json');
    writeFileSync(damaged, '{"format": ');
    expect(await loadIntentScorer(log, damaged)).toBeNull();
    const other = join(dir, 'other.json');
    const model = trainClassifier([
      { text: 'яма на дороге', label: 'roads' },
      { text: 'нет горячей воды', label: 'hot-water' },
    ]);
    await writeClassifierFile(other, model);
    expect(await loadIntentScorer(log, other)).toBeNull();
  });
});
