/** `mcu classifier train`: learn a model from a labelled export and save it as JSON. */
import { basename } from 'node:path';
import { evaluate, readExamples, stratifiedSplit, trainClassifier, writeClassifierFile } from '../../lib/classifier/index.js';
import { type Command, EXIT_OK, UsageError, writeLine } from '../cli/command.js';
import { existingFile, number, type OptionSpecs, outputFile, parseOptions, text, usage } from '../cli/options.js';
import {
  describeRead,
  fixed,
  formatEvaluation,
  INPUT_FORMAT_OPTIONS,
  int,
  mb,
  noExamplesMessage,
  readOptions,
} from './classifier-shared.js';

const SUMMARY = 'Train a classifier on labelled texts (.jsonl, .jsonl.gz, .csv) and write the model as JSON.';

const OPTIONS: OptionSpecs = {
  input: { type: 'string', value: '<file>', description: 'labelled records: .jsonl, .jsonl.gz, .csv, .csv.gz', required: true },
  text: { type: 'string', value: '<field>', description: 'field with the message text', required: true },
  label: { type: 'string', value: '<field>', description: 'field with the label (category)', required: true },
  out: { type: 'string', value: '<model.json>', description: 'where to write the model', required: true },
  holdout: { type: 'string', value: '<share>', description: 'hold out this share (e.g. 0.2), stratified, and report on it' },
  seed: { type: 'string', value: '<n>', description: 'seed of the holdout split (default 42)' },
  'min-df': { type: 'string', value: '<n>', description: 'ignore features seen in fewer texts (default 2)' },
  'max-iterations': {
    type: 'string',
    value: '<n>',
    description: 'solver iteration limit (default 300); with 100+ labels, 100 trains ~2.5× faster for ~0.005 macro-F1',
  },
  ...INPUT_FORMAT_OPTIONS,
};

export const trainCommand: Command = {
  name: 'train',
  summary: 'train a model on labelled texts',
  async run(args, io) {
    const values = parseOptions(args, OPTIONS);
    if (!values) {
      await writeLine(io.stdout, usage('mcu classifier train', SUMMARY, OPTIONS));
      return EXIT_OK;
    }
    const input = existingFile(values, 'input');
    const out = outputFile(values, 'out');
    const textField = text(values, 'text');
    const labelField = text(values, 'label');
    const holdout = values.holdout === undefined ? 0 : number(values, 'holdout', 0, { min: 0, max: 1, exclusive: true });
    const seed = number(values, 'seed', 42, { min: 0, max: 2 ** 32 - 1, integer: true });
    const minDf = number(values, 'min-df', 2, { min: 1, max: 1_000_000, integer: true });
    const maxIterations = number(values, 'max-iterations', 300, { min: 1, max: 10_000, integer: true });
    const say = (line: string) => writeLine(io.stdout, line);

    const readStarted = performance.now();
    const read = await readExamples(input, { text: textField, label: labelField }, readOptions(values));
    if (read.examples.length === 0) throw new UsageError(noExamplesMessage(input, read, textField, labelField));
    await say(`${describeRead(basename(input), read, textField, labelField)} (${seconds(readStarted)})`);

    const split = holdout > 0 ? stratifiedSplit(read.examples, holdout, seed) : { train: read.examples, test: [] };
    const counts = new Map<string, number>();
    for (const e of split.train) counts.set(e.label, (counts.get(e.label) ?? 0) + 1);
    if (counts.size < 2) throw new UsageError(`need at least two different labels in "${labelField}", found ${counts.size}`);
    const ranked = [...counts].sort((a, b) => b[1] - a[1]);
    const shown = ranked.slice(0, 15).map(([l, n]) => `${l} ${int(n)}`);
    if (ranked.length > shown.length) shown.push(`… ${ranked.length - shown.length} more`);
    await say(`Labels (${counts.size}): ${shown.join(' · ')}`);
    if (holdout > 0) {
      await say(
        `Holdout: ${fixed(holdout * 100, 0)}% per label (seed ${seed}): training on ${int(split.train.length)}, testing on ${int(split.test.length)}.`,
      );
    }

    const started = performance.now();
    const classifier = trainClassifier(split.train, { minDf, maxIterations });
    const memory = process.memoryUsage();
    const peakRss = process.resourceUsage().maxRSS * 1024;
    const t = classifier.training;
    await say(
      `Trained in ${seconds(started)}: ${int(classifier.vocabularySize)} features, ${t.iterations} iterations` +
        `${t.converged ? ' (converged)' : ' (iteration limit reached)'}. Memory: peak RSS ${mb(peakRss)}, heap used ${mb(memory.heapUsed)}.`,
    );

    if (split.test.length > 0) {
      await say(`\nHeld-out evaluation (${int(split.test.length)} examples):`);
      await say(formatEvaluation(evaluate(classifier, split.test)));
      await say('');
    }
    const bytes = await writeClassifierFile(out, classifier);
    await say(
      `Model written to ${out} (${(bytes / 1e6).toFixed(1)} MB).` +
        (holdout > 0 ? ' It was trained without the held-out part; run without --holdout to train on everything.' : ''),
    );
    return EXIT_OK;
  },
};

function seconds(since: number): string {
  return `${((performance.now() - since) / 1000).toFixed(1)} s`;
}
