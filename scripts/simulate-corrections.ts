/**
 * How fast the operators' work falls as they correct cases (issue 10, item 5): the Barnaul evaluation
 * set is cut into 5 folds; for each fold, the problems of the other four are the operators'
 * corrections, in a seeded random order, and the default model is adapted to the first n of them
 * exactly as the retraining job does (Classifier.adapt); the held-out fold is then scored.
 *
 *   npm run simulate:corrections [-- path/to/eval.jsonl]
 */
import { readFileSync } from 'node:fs';
import {
  createStructurer,
  EVAL_AT,
  type EvalCase,
  evaluateStructuring,
  PredictorHolder,
  parseEvalSet,
} from '../handlers/structuring/index.js';
import { seededRandom, shuffled } from '../lib/classifier/index.js';
import { createLogger } from '../src/logger.js';
import { loadEvalStructurer } from '../src/structuring/eval-structurer.js';
import { loadIntentScorer } from '../src/structuring/load-model.js';

const FOLDS = 5;
/** The retraining job's own setting (Classifier.adapt's default). */
const ADAPT = { lambda: 0.05, maxIterations: 60 };
const STEPS = [0, 25, 50, 100, 150, 240];

async function main(): Promise<void> {
  const path = process.argv[2] ?? 'test/fixtures/structuring/eval-barnaul.jsonl';
  const { domain } = await loadEvalStructurer('config/barnaul.yaml');
  const intent = await loadIntentScorer(createLogger({ level: 'silent' }));
  const base = await loadBaseModel();
  const cases = shuffled(
    parseEvalSet(
      readFileSync(path, 'utf8'),
      domain.categories.map((c) => c.id),
      path,
    ),
    seededRandom(7),
  );
  const folds = Array.from({ length: FOLDS }, (_, f) => cases.filter((_, i) => i % FOLDS === f));
  const rows: { n: number; triage: number; strict: number; f1: number }[] = [];
  for (const n of STEPS) {
    let triage = 0;
    let strict = 0;
    let f1 = 0;
    for (let f = 0; f < FOLDS; f++) {
      const test = folds[f] as EvalCase[];
      const corrections = folds
        .filter((_, g) => g !== f)
        .flat()
        .filter((c) => c.kind === 'problem')
        .slice(0, n)
        .map((c) => ({ text: c.text, label: c.category }));
      const model = n === 0 ? base : base.adapt(corrections, ADAPT).classifier;
      const holder = new PredictorHolder();
      holder.set(model, n === 0 ? 'default' : `adapted-${n}`);
      const e = evaluateStructuring(createStructurer(domain, holder, [], intent), test, EVAL_AT);
      triage += e.triageShare / FOLDS;
      strict += e.strictAccuracy / FOLDS;
      f1 += e.strictMacroF1 / FOLDS;
    }
    rows.push({ n, triage, strict, f1 });
  }
  console.log(`Operators' corrections and the work left (${FOLDS}-fold on ${path}; mean over folds):`);
  console.log('corrections   triage share   strict accuracy   strict macro-F1');
  for (const r of rows) {
    console.log(
      `${String(r.n).padStart(11)}   ${`${(r.triage * 100).toFixed(1)}%`.padStart(12)}   ${`${(r.strict * 100).toFixed(1)}%`.padStart(15)}   ${r.f1.toFixed(3).padStart(15)}`,
    );
  }
}

async function loadBaseModel() {
  const { readClassifierFile } = await import('../lib/classifier/index.js');
  const { DEFAULT_MODEL_PATH } = await import('../src/structuring/load-model.js');
  return readClassifierFile(DEFAULT_MODEL_PATH);
}

await main();
