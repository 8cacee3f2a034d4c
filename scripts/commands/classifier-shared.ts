/** Pieces the classifier subcommands share: input options and human-readable reports. */
import type { Evaluation, ExampleReadResult, ReadOptions } from '../../lib/classifier/index.js';
import type { OptionSpecs, OptionValues } from '../cli/options.js';

export const INPUT_FORMAT_OPTIONS: OptionSpecs = {
  encoding: { type: 'string', value: '<name>', description: 'text encoding of the input, e.g. windows-1251 (default utf-8)' },
  delimiter: { type: 'string', value: '<char>', description: 'CSV field delimiter (default: detected from the header)' },
};

/** Reader options from --encoding / --delimiter. */
export function readOptions(values: OptionValues): ReadOptions {
  const out: { encoding?: string; delimiter?: string } = {};
  if (typeof values.encoding === 'string') out.encoding = values.encoding;
  if (typeof values.delimiter === 'string') out.delimiter = values.delimiter === '\\t' ? '\t' : values.delimiter;
  return out;
}

export const int = (n: number): string => n.toLocaleString('en-US');
export const fixed = (n: number, digits = 3): string => n.toFixed(digits);
export const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

/** "read 1,000 records: 990 examples; skipped 7 without text, 3 without label, 0 unreadable". */
export function describeRead(path: string, read: ExampleReadResult, textField: string, labelField: string): string {
  const s = read.skipped;
  return (
    `Read ${int(read.records)} records from ${path}: ${int(read.examples.length)} examples; skipped ` +
    `${int(s.noText)} without text ("${textField}"), ${int(s.noLabel)} without label ("${labelField}"), ${int(s.unreadable)} unreadable.`
  );
}

/** Why a file gave no examples, with the field names it does have. */
export function noExamplesMessage(path: string, read: ExampleReadResult, textField: string, labelField: string): string {
  const seen = read.fieldNames.length > 0 ? ` Fields in the first record: ${read.fieldNames.join(', ')}.` : '';
  return `no usable examples in ${path} (${int(read.records)} records; need text in "${textField}" and a label in "${labelField}").${seen}`;
}

function table(rows: readonly (readonly string[])[], rightAligned: ReadonlySet<number>): string[] {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => [...(r[i] ?? '')].length))) ?? [];
  return rows.map((r) =>
    r
      .map((cell, i) => {
        const pad = (widths[i] ?? 0) - [...cell].length;
        return rightAligned.has(i) ? ' '.repeat(pad) + cell : cell + ' '.repeat(pad);
      })
      .join('  ')
      .trimEnd(),
  );
}

/** The evaluation as text: summary line, per-class table, most confused pairs. */
export function formatEvaluation(evaluation: Evaluation): string {
  const lines = [
    `Examples: ${int(evaluation.examples)}   accuracy: ${fixed(evaluation.accuracy)}   macro-F1: ${fixed(evaluation.macroF1)}`,
    '',
    ...table(
      [
        ['label', 'precision', 'recall', 'F1', 'support'],
        ...evaluation.perClass.map((c) => [c.label, fixed(c.precision), fixed(c.recall), fixed(c.f1), int(c.support)]),
      ],
      new Set([1, 2, 3, 4]),
    ),
  ];
  if (evaluation.confusedPairs.length > 0) {
    lines.push(
      '',
      'Most confused (actual → predicted):',
      ...table(
        evaluation.confusedPairs.map((p) => [`  ${p.actual}`, '→', p.predicted, int(p.count)]),
        new Set([3]),
      ),
    );
  }
  return lines.join('\n');
}
