import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture } from './helpers.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'mcu-cli-'));
const model = join(dir, 'model.json');

/** Runs `node bin/mcu.js …` the way `npx mcu …` does. */
function mcu(...args: string[]) {
  const run = spawnSync(process.execPath, ['bin/mcu.js', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('mcu classifier (end to end)', () => {
  let train: ReturnType<typeof mcu>;
  beforeAll(() => {
    train = mcu(
      'classifier',
      'train',
      '--input',
      fixture('labelled.jsonl'),
      '--text',
      'text',
      '--label',
      'category',
      '--out',
      model,
      '--holdout',
      '0.25',
    );
  });

  it('train: writes a model and reports counts, time, memory and the held-out evaluation', () => {
    expect(train.stderr).toBe('');
    expect(train.code).toBe(0);
    expect(existsSync(model)).toBe(true);
    expect(train.stdout).toContain('Read 24 records');
    expect(train.stdout).toMatch(/Trained in [\d.]+ s: \d+ features/);
    expect(train.stdout).toMatch(/peak RSS \d+ MB/);
    expect(train.stdout).toContain('Held-out evaluation (6 examples)');
    expect(train.stdout).toContain('macro-F1');
  });

  it('predict: one JSON line per input record, in input order, errors included', () => {
    const run = mcu('classifier', 'predict', '--model', model, '--input', fixture('predict.jsonl'), '--text', 'text');
    expect(run.code).toBe(0);
    const lines = run.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(6);
    expect(lines[0]).toMatchObject({ label: 'cold-water' });
    expect(lines[1]).toEqual({ label: null, confidence: 0, error: 'no text' });
    expect(lines[2]).toEqual({ label: null, confidence: 0, error: 'invalid JSON on line 3' });
    expect(lines[3]).toMatchObject({ label: 'roads' });
    expect(lines[4]).toEqual({ label: null, confidence: 0, error: 'no text' });
    expect(lines[5]).toMatchObject({ label: 'not_a_problem' });
    for (const line of [lines[0], lines[3], lines[5]]) {
      expect(Object.keys(line)).toEqual(['label', 'confidence']);
      expect(line.confidence).toBeGreaterThan(0);
      expect(line.confidence).toBeLessThanOrEqual(1);
    }
  });

  it('predict on CSV: one line per record, the text field read through quotes and HTML', () => {
    const run = mcu('classifier', 'predict', '--model', model, '--input', fixture('hostile.csv'), '--text', 'text', '--top');
    expect(run.code).toBe(0);
    const lines = run.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(6);
    expect(lines.slice(0, 5).map((l) => l.label)).toEqual(['cold-water', 'roads', 'not_a_problem', null, 'cold-water']);
    // Row 6 is «[скрыто] прорыв трубы»: words the 18-text model may not know, but it is a record with text.
    expect(lines[5].label).toEqual(expect.any(String));
    expect(lines[0].top).toHaveLength(3);
  });

  it('when --text names no field of the records, then every record still gets its line and stderr says why', () => {
    const run = mcu('classifier', 'predict', '--model', model, '--input', fixture('hostile.csv'), '--text', 'body');
    expect(run.code).toBe(0);
    expect(run.stdout.trim().split('\n')).toHaveLength(6);
    expect(run.stderr).toContain('the first record has no field "body" (fields: id, text, category)');
  });

  it('eval: accuracy, macro-F1, per-class table and confused pairs; --json for machines', () => {
    const text = mcu(
      'classifier',
      'eval',
      '--model',
      model,
      '--input',
      fixture('hostile.csv'),
      '--text',
      'text',
      '--label',
      'category',
    );
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/accuracy: [\d.]+ {3}macro-F1: [\d.]+/);
    expect(text.stdout).toMatch(/label\s+precision\s+recall\s+F1\s+support/);
    expect(text.stdout).toContain('skipped 1 without text ("text"), 1 without label ("category")');

    const json = mcu(
      'classifier',
      'eval',
      '--model',
      model,
      '--input',
      fixture('labelled.jsonl'),
      '--text',
      'text',
      '--label',
      'category',
      '--json',
    );
    expect(json.code).toBe(0);
    const result = JSON.parse(json.stdout);
    expect(result.examples).toBe(24);
    expect(result.accuracy).toBeGreaterThan(0.9);
    expect(result.perClass).toHaveLength(3);
    expect(Array.isArray(result.confusedPairs)).toBe(true);
  });

  it.each([
    [['classifier', 'train', '--input', 'x.jsonl'], /missing required options --text, --label, --out/],
    [['classifier', 'predict', '--model', 'nope.json', '--input', 'x.jsonl', '--text', 't'], /--model: no such file: nope\.json/],
    [['classifier', 'train', '--bogus'], /Unknown option '--bogus'/],
    [['classifier', 'teach'], /unknown command "mcu classifier teach"/],
    [
      [
        'classifier',
        'train',
        '--input',
        fixture('labelled.jsonl'),
        '--text',
        'body',
        '--label',
        'category',
        '--out',
        join(dir, 'm.json'),
      ],
      /no usable examples.*Fields in the first record: id, text, category/,
    ],
    [
      [
        'classifier',
        'train',
        '--input',
        fixture('labelled.jsonl'),
        '--text',
        'text',
        '--label',
        'category',
        '--out',
        join(dir, 'm.json'),
        '--holdout',
        '1.5',
      ],
      /--holdout must be a number between 0 and 1/,
    ],
    [
      [
        'classifier',
        'train',
        '--input',
        fixture('labelled.jsonl'),
        '--text',
        'text',
        '--label',
        'category',
        '--out',
        '/no/such/dir/m.json',
      ],
      /--out: folder does not exist/,
    ],
  ])('bad arguments %j: exit code 2 and one line on stderr, no stack trace', (args, message) => {
    const run = mcu(...(args as string[]));
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('when the model file is not a model, then it fails with exit code 1 and says why', () => {
    const run = mcu(
      'classifier',
      'predict',
      '--model',
      fixture('labelled.jsonl'),
      '--input',
      fixture('predict.jsonl'),
      '--text',
      'text',
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^mcu: model file .* is not valid JSON/);
  });

  it('--help prints usage and exits 0', () => {
    const run = mcu('classifier', 'predict', '--help');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Usage: mcu classifier predict [options]');
    expect(readFileSync(join(ROOT, 'bin/mcu.js'), 'utf8')).toMatch(/^#!\/usr\/bin\/env node/);
  });
});
