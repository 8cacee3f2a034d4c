/** `mcu classifier eval`: accuracy, macro-F1, per-class scores and the most confused pairs on a labelled file. */
import { basename } from 'node:path';
import { evaluate, readClassifierFile, readExamples } from '../../lib/classifier/index.js';
import { type Command, EXIT_OK, UsageError, writeLine } from '../cli/command.js';
import { existingFile, type OptionSpecs, parseOptions, text, usage } from '../cli/options.js';
import {
  describeRead,
  formatEvaluation,
  INPUT_FORMAT_OPTIONS,
  int,
  noExamplesMessage,
  readOptions,
} from './classifier-shared.js';

const SUMMARY = 'Check a trained model on labelled records: accuracy, macro-F1, per-class precision/recall/F1, confused pairs.';

const OPTIONS: OptionSpecs = {
  model: { type: 'string', value: '<model.json>', description: 'a model written by "mcu classifier train"', required: true },
  input: { type: 'string', value: '<file>', description: 'labelled records: .jsonl, .jsonl.gz, .csv, .csv.gz', required: true },
  text: { type: 'string', value: '<field>', description: 'field with the message text', required: true },
  label: { type: 'string', value: '<field>', description: 'field with the true label', required: true },
  json: { type: 'boolean', description: 'print the evaluation as one JSON object' },
  ...INPUT_FORMAT_OPTIONS,
};

export const evalCommand: Command = {
  name: 'eval',
  summary: 'score a model on labelled texts',
  async run(args, io) {
    const values = parseOptions(args, OPTIONS);
    if (!values) {
      await writeLine(io.stdout, usage('mcu classifier eval', SUMMARY, OPTIONS));
      return EXIT_OK;
    }
    const modelPath = existingFile(values, 'model');
    const input = existingFile(values, 'input');
    const textField = text(values, 'text');
    const labelField = text(values, 'label');
    const classifier = await readClassifierFile(modelPath);
    const read = await readExamples(input, { text: textField, label: labelField }, readOptions(values));
    if (read.examples.length === 0) throw new UsageError(noExamplesMessage(input, read, textField, labelField));

    const evaluation = evaluate(classifier, read.examples);
    const known = new Set(classifier.labels);
    const unknown = [...new Set(read.examples.map((e) => e.label).filter((l) => !known.has(l)))];
    if (values.json) {
      await writeLine(io.stdout, JSON.stringify({ ...evaluation, skipped: read.skipped, labelsUnknownToModel: unknown }));
      return EXIT_OK;
    }
    await writeLine(io.stdout, describeRead(basename(input), read, textField, labelField));
    if (unknown.length > 0) {
      const n = read.examples.filter((e) => !known.has(e.label)).length;
      await writeLine(
        io.stdout,
        `Note: ${int(n)} examples carry labels the model was not trained on, so they count as errors: ${unknown.join(', ')}.`,
      );
    }
    await writeLine(io.stdout, formatEvaluation(evaluation));
    return EXIT_OK;
  },
};
