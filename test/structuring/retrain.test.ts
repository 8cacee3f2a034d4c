import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadClassifierExamples } from '../../config/classifier-examples.js';
import { loadDomainConfig } from '../../config/domain.js';
import { correctCategory } from '../../handlers/structuring/correct-category.js';
import { PredictorHolder } from '../../handlers/structuring/predictor-holder.js';
import { retrainClassifier } from '../../handlers/structuring/retrain.js';
import { type Classifier, readClassifierFile } from '../../lib/classifier/index.js';
import { ManualClock } from '../../lib/clock.js';
import { createLogger } from '../../src/logger.js';
import { DEFAULT_MODEL_PATH, loadActivePredictor } from '../../src/structuring/load-model.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { seedCase } from '../helpers/rows.js';

const TEXT = 'Огромная выбоина у остановки Докучаево';

describe('operators teach the classifier', () => {
  let testDb: TestDatabase;
  let base: Classifier;
  const clock = new ManualClock('2026-11-29T03:00:00Z');
  const domain = loadDomainConfig('config/barnaul.yaml');
  const log = createLogger({ level: 'silent' });

  beforeAll(async () => {
    testDb = await createTestDatabase('retrain', { migrate: true });
    base = await readClassifierFile(DEFAULT_MODEL_PATH);
  });
  afterAll(async () => testDb.drop());

  it('when an operator corrects a category and retraining runs, then the next prediction follows the correction', async () => {
    const before = base.predict(TEXT).label;
    const target = before === 'pavements' ? 'roads' : 'pavements';
    const created = await seedCase(testDb.handle.db, {
      text: TEXT,
      category: before,
      category_auto: before,
      district: 'central',
      at: clock.now(),
    });

    const corrected = await correctCategory(
      { db: testDb.handle.db, clock, domain },
      { caseId: created.id, category: target, actor: { type: 'operator', officialId: 1 } },
    );
    expect(corrected).toMatchObject({ status: 'corrected', category: target, previous: before });
    const row = await testDb.handle.db
      .selectFrom('case')
      .select(['category', 'category_auto', 'category_rule'])
      .where('id', '=', created.id)
      .executeTakeFirstOrThrow();
    // The case keeps both labels.
    expect(row).toEqual({ category: target, category_auto: before, category_rule: 'operator' });

    const holder = new PredictorHolder();
    holder.set(base, 'default');
    const outcome = await retrainClassifier({
      db: testDb.handle.db,
      clock,
      log,
      holder,
      base,
      referenceExamples: loadClassifierExamples('config/classifier-examples'),
    });
    expect(outcome.status).toBe('switched');
    expect(holder.predict(TEXT).label).toBe(target);
    if (outcome.status === 'switched') expect(outcome.candidateMacroF1).toBeGreaterThanOrEqual(outcome.baseMacroF1);

    // The new version is recorded and active: a restart loads it from the database.
    const restarted = new PredictorHolder();
    await loadActivePredictor({ db: testDb.handle.db, holder: restarted, log });
    expect(restarted.version).toMatch(/^adapted-/);
    expect(restarted.predict(TEXT).label).toBe(target);
  }, 60_000);

  it('when the category does not exist, then nothing changes', async () => {
    const outcome = await correctCategory(
      { db: testDb.handle.db, clock, domain },
      { caseId: 1, category: 'teleportation', actor: { type: 'api', author: 'test' } },
    );
    expect(outcome.status).toBe('unknown_category');
  });

  it('when there are no corrections, then retraining is skipped', async () => {
    const empty = await createTestDatabase('retrain_empty', { migrate: true });
    try {
      const outcome = await retrainClassifier({
        db: empty.handle.db,
        clock,
        log,
        holder: new PredictorHolder(),
        base,
        referenceExamples: [],
      });
      expect(outcome).toEqual({ status: 'skipped', reason: 'no_corrections' });
    } finally {
      await empty.drop();
    }
  });
});
