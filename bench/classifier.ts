/**
 * Classifier benchmark (issue 4): train on the SPb appeals (`category`), hold out a stratified 20%
 * (fixed seed), and report macro-F1, accuracy, training time and memory, and prediction throughput,
 * next to a scikit-learn TF-IDF + logistic regression baseline on the very same split.
 *
 *   npx tsx bench/classifier.ts [path/to/train.jsonl.gz]
 *
 * Without the data (../shared/data/appeals-spb/) it says so and exits 0. Without scikit-learn it
 * tries `apt-get install -y python3-sklearn` (as root) and otherwise skips the baseline with a reason.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type Example, evaluate, readExamples, stratifiedSplit, trainClassifier } from '../lib/classifier/index.js';

const DEFAULT_DATA = fileURLToPath(new URL('../../shared/data/appeals-spb/train.jsonl.gz', import.meta.url));
const BASELINE_SCRIPT = fileURLToPath(new URL('./baseline_sklearn.py', import.meta.url));
const SEED = 42;
const TEST_SHARE = 0.2;

export interface BaselineResult {
  readonly macroF1: number;
  readonly accuracy: number;
  readonly trainSeconds: number;
  readonly features: number;
  readonly sklearn: string;
  readonly python: string;
}

export interface ClassifierBenchResult {
  readonly examples: { readonly train: number; readonly test: number; readonly labels: number };
  readonly macroF1: number;
  readonly accuracy: number;
  readonly trainSeconds: number;
  readonly features: number;
  readonly peakRssMb: number;
  readonly peakHeapMb: number;
  readonly predictionsPerSecond: number;
  /** Null when the baseline could not run; `baselineSkipped` says why. */
  readonly baseline: BaselineResult | null;
  readonly baselineSkipped?: string;
  /** Our macro-F1 divided by the baseline's; the issue asks for ≥ 0.95. */
  readonly ratio: number | null;
}

const mb = (bytes: number): number => Math.round(bytes / 1024 / 1024);

// ---------------------------------------------------------------------------------------------
// Baseline (Python)
// ---------------------------------------------------------------------------------------------

function pythonWithSklearn(): string | null {
  // `python3` may be a pyenv interpreter that cannot see Debian's dist-packages; /usr/bin/python3 can.
  for (const python of ['python3', '/usr/bin/python3']) {
    const probe = spawnSync(python, ['-c', 'import sklearn'], { stdio: 'ignore' });
    if (probe.status === 0) return python;
  }
  return null;
}

function installSklearn(): string | null {
  if (process.getuid?.() !== 0) return 'scikit-learn is not installed and installing python3-sklearn needs root';
  if (spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status !== 0)
    return 'scikit-learn is not installed and apt-get is not available';
  console.log('  scikit-learn not found: installing python3-sklearn with apt-get (once)…');
  const install = () => spawnSync('apt-get', ['install', '-y', '-qq', 'python3-sklearn'], { encoding: 'utf8', timeout: 600_000 });
  let result = install();
  if (result.status !== 0) {
    spawnSync('apt-get', ['update', '-qq'], { stdio: 'ignore', timeout: 300_000 });
    result = install();
  }
  if (result.status !== 0) {
    const tail = `${result.stderr ?? ''}`.trim().split('\n').at(-1) ?? '';
    return `apt-get install python3-sklearn failed${tail ? `: ${tail}` : ''}`;
  }
  return null;
}

function runBaseline(train: readonly Example[], test: readonly Example[]): BaselineResult | string {
  let python = pythonWithSklearn();
  if (!python) {
    const failure = installSklearn();
    if (failure) return failure;
    python = pythonWithSklearn();
    if (!python) return 'python3-sklearn was installed but no python3 on this machine imports sklearn';
  }
  const dir = mkdtempSync(join(tmpdir(), 'mcu-bench-classifier-'));
  try {
    const write = (name: string, rows: readonly Example[]) => {
      const path = join(dir, name);
      writeFileSync(path, rows.map((e) => JSON.stringify({ text: e.text, label: e.label })).join('\n'));
      return path;
    };
    const run = spawnSync(python, [BASELINE_SCRIPT, write('train.jsonl', train), write('test.jsonl', test)], {
      encoding: 'utf8',
      timeout: 900_000,
      maxBuffer: 1024 * 1024,
    });
    if (run.status !== 0) {
      const tail = `${run.stderr ?? ''}`.trim().split('\n').at(-1) ?? `exit code ${run.status}`;
      return `the scikit-learn script failed: ${tail}`;
    }
    return { ...(JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}') as Omit<BaselineResult, 'python'>), python };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// The benchmark
// ---------------------------------------------------------------------------------------------

/** Runs the benchmark and prints a report; resolves to null (after saying why) when the data is missing. */
export async function main(args: readonly string[] = []): Promise<ClassifierBenchResult | null> {
  const dataPath = args[0] ?? DEFAULT_DATA;
  console.log('Classifier benchmark: SPb appeals, label = category, stratified 20% holdout (seed 42)');
  if (!existsSync(dataPath)) {
    console.log(`  skipped: ${dataPath} not found (the appeals-spb data set lives in ../shared/data/).`);
    return null;
  }
  const read = await readExamples(dataPath, { text: 'text', label: 'category' });
  const { train, test } = stratifiedSplit(read.examples, TEST_SHARE, SEED);
  const labels = new Set(read.examples.map((e) => e.label)).size;
  console.log(`  ${read.examples.length} examples, ${labels} labels: training on ${train.length}, testing on ${test.length}`);

  let peakHeap = process.memoryUsage().heapUsed;
  const started = performance.now();
  const classifier = trainClassifier(train, {
    onProgress: () => {
      peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
    },
  });
  const trainSeconds = (performance.now() - started) / 1000;
  const peakRss = process.resourceUsage().maxRSS * 1024;
  const scores = evaluate(classifier, test);

  // Throughput: predict the test texts until at least a second has passed.
  let predicted = 0;
  const predictStart = performance.now();
  do {
    for (const e of test) classifier.predict(e.text);
    predicted += test.length;
  } while (performance.now() - predictStart < 1000);
  const predictionsPerSecond = Math.round(predicted / ((performance.now() - predictStart) / 1000));

  console.log(
    '  ours: TF-IDF (stems + stem bigrams + char 4-grams of stems, sublinear tf, l2) + softmax regression (L-BFGS, C=5, class weights ^0.4)',
  );
  console.log(`    macro-F1 ${scores.macroF1.toFixed(4)}   accuracy ${scores.accuracy.toFixed(4)}`);
  console.log(
    `    training ${trainSeconds.toFixed(1)} s (${classifier.training.iterations} iterations, ${classifier.vocabularySize} features), ` +
      `peak RSS ${mb(peakRss)} MB, peak heap ${mb(peakHeap)} MB`,
  );
  console.log(`    prediction ${predictionsPerSecond.toLocaleString('en-US')} texts/s (one at a time, tokenising included)`);

  const baseline = runBaseline(train, test);
  let ratio: number | null = null;
  if (typeof baseline === 'string') {
    console.log(`  baseline skipped: ${baseline}`);
  } else {
    ratio = scores.macroF1 / baseline.macroF1;
    console.log(
      `  baseline: scikit-learn ${baseline.sklearn} TfidfVectorizer(sublinear_tf) + LogisticRegression(C=10) [${baseline.python}]`,
    );
    console.log(
      `    macro-F1 ${baseline.macroF1.toFixed(4)}   accuracy ${baseline.accuracy.toFixed(4)}   training ${baseline.trainSeconds.toFixed(1)} s`,
    );
    console.log(`  ratio ours/baseline (macro-F1): ${ratio.toFixed(3)}  (goal ≥ 0.95)`);
  }

  return {
    examples: { train: train.length, test: test.length, labels },
    macroF1: scores.macroF1,
    accuracy: scores.accuracy,
    trainSeconds,
    features: classifier.vocabularySize,
    peakRssMb: mb(peakRss),
    peakHeapMb: mb(peakHeap),
    predictionsPerSecond,
    baseline: typeof baseline === 'string' ? null : baseline,
    ...(typeof baseline === 'string' ? { baselineSkipped: baseline } : {}),
    ratio,
  };
}

function isEntryPoint(): boolean {
  try {
    return import.meta.url === pathToFileURL(realpathSync(process.argv[1] ?? '')).href;
  } catch {
    return false;
  }
}

if (isEntryPoint()) await main(process.argv.slice(2));
