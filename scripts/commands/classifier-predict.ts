/** `mcu classifier predict`: one JSON line per input record, in input order. */
import { fieldText, readClassifierFile, readRecords } from '../../lib/classifier/index.js';
import { type Command, EXIT_OK, writeLine } from '../cli/command.js';
import { existingFile, type OptionSpecs, parseOptions, text, usage } from '../cli/options.js';
import { INPUT_FORMAT_OPTIONS, readOptions } from './classifier-shared.js';

const SUMMARY =
  'Label every record of a file with a trained model. Prints one JSON line per record, in input order:\n' +
  '{"label":"…","confidence":0.87}; a record without text gives {"label":null,"confidence":0,"error":"no text"}.';

const OPTIONS: OptionSpecs = {
  model: { type: 'string', value: '<model.json>', description: 'a model written by "mcu classifier train"', required: true },
  input: { type: 'string', value: '<file>', description: 'records: .jsonl, .jsonl.gz, .csv, .csv.gz', required: true },
  text: { type: 'string', value: '<field>', description: 'field with the message text', required: true },
  top: { type: 'boolean', description: 'add the three best labels with their confidence' },
  ...INPUT_FORMAT_OPTIONS,
};

const round4 = (n: number): number => Math.round(n * 10_000) / 10_000;

export const predictCommand: Command = {
  name: 'predict',
  summary: 'label every record of a file (JSON lines out)',
  async run(args, io) {
    const values = parseOptions(args, OPTIONS);
    if (!values) {
      await writeLine(io.stdout, usage('mcu classifier predict', SUMMARY, OPTIONS));
      return EXIT_OK;
    }
    const modelPath = existingFile(values, 'model');
    const input = existingFile(values, 'input');
    const textField = text(values, 'text');
    const classifier = await readClassifierFile(modelPath);

    let checkedFields = false;
    for await (const record of readRecords(input, readOptions(values))) {
      if (!checkedFields && record.fields !== null) {
        checkedFields = true;
        // Probably a mistyped --text: still one line per record (the contract), but say so once.
        if (!(textField in record.fields)) {
          io.stderr.write(
            `mcu: warning: the first record has no field "${textField}" (fields: ${Object.keys(record.fields).join(', ')})\n`,
          );
        }
      }
      const body = record.fields === null ? null : fieldText(record, textField);
      if (body === null) {
        const error = record.fields === null ? `${record.error} on line ${record.line}` : 'no text';
        await writeLine(io.stdout, JSON.stringify({ label: null, confidence: 0, error }));
        continue;
      }
      const p = classifier.predict(body);
      const line = values.top
        ? {
            label: p.label,
            confidence: round4(p.confidence),
            top: p.top.map((s) => ({ label: s.label, confidence: round4(s.confidence) })),
          }
        : { label: p.label, confidence: round4(p.confidence) };
      await writeLine(io.stdout, JSON.stringify(line));
    }
    return EXIT_OK;
  },
};
