import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CsvError,
  detectFormat,
  InputError,
  type InputRecord,
  parseCsv,
  readExamples,
  readRecords,
} from '../../lib/classifier/index.js';
import { fixture } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'mcu-read-records-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function collect<T>(source: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of source) out.push(item);
  return out;
}

async function* chunksOf(text: string, size: number): AsyncGenerator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

const csvRows = async (text: string, size = text.length || 1) =>
  (await collect(parseCsv(chunksOf(text, size)))).map((r) => r.fields);

describe('parseCsv', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks', async () => {
    expect(await csvRows('a,b\n"x, y","say ""hi""\nthere"\n')).toEqual([
      ['a', 'b'],
      ['x, y', 'say "hi"\nthere'],
    ]);
  });

  it('when the text arrives one character at a time, then the rows are the same', async () => {
    const text = readFileSync(fixture('hostile.csv'), 'utf8');
    expect(await csvRows(text, 1)).toEqual(await csvRows(text));
  });

  it('handles CRLF, lone CR, a BOM, blank lines and a last row without a line break', async () => {
    expect(await csvRows('\uFEFFa,b\r\n1,2\r\n\r\n3,4\r5,6')).toEqual([
      ['a', 'b'],
      ['1', '2'],
      ['3', '4'],
      ['5', '6'],
    ]);
  });

  it('when the header uses semicolons (Russian Excel), then they are the delimiter', async () => {
    expect(await csvRows('текст;категория\n"Нет воды, опять";cold-water\n')).toEqual([
      ['текст', 'категория'],
      ['Нет воды, опять', 'cold-water'],
    ]);
  });

  it('reports the line a row starts on', async () => {
    const rows = await collect(parseCsv(chunksOf('h\n"a\nb"\nc\n', 3)));
    expect(rows.map((r) => r.line)).toEqual([1, 2, 4]);
  });

  it('when a quoted field never closes, then it fails with the line', async () => {
    await expect(csvRows('a,b\n1,"open\n2,3\n')).rejects.toThrow(CsvError);
    await expect(csvRows('a,b\n1,"open\n2,3\n')).rejects.toThrow(/line 2/);
  });
});

describe('readRecords and readExamples', () => {
  it('when a CSV has hostile fields, then each record keeps its text and the broken ones are counted', async () => {
    const read = await readExamples(fixture('hostile.csv'), { text: 'text', label: 'category' });
    expect(read.records).toBe(6);
    expect(read.examples).toEqual([
      { text: 'Нет воды, "опять" с утра', label: 'cold-water' },
      { text: 'Яма на дороге,\r\nочень глубокая', label: 'roads' },
      { text: '<b>Спасибо</b>&nbsp;&quot;большое&quot;', label: 'not_a_problem' },
      { text: '[скрыто] прорыв трубы ', label: 'cold-water' },
    ]);
    expect(read.skipped).toEqual({ noText: 1, noLabel: 1, unreadable: 0 });
    expect(read.fieldNames).toEqual(['id', 'text', 'category']);
  });

  it('when JSONL has a broken line, a record without text and an empty text, then all are reported in order', async () => {
    const records = await collect(readRecords(fixture('predict.jsonl')));
    expect(records.map((r: InputRecord) => r.error ?? 'ok')).toEqual(['ok', 'ok', 'invalid JSON', 'ok', 'ok', 'ok']);
    expect(records.map((r) => r.line)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('reads gzipped JSONL the same as plain JSONL', async () => {
    const gz = join(dir, 'labelled.jsonl.gz');
    writeFileSync(gz, gzipSync(readFileSync(fixture('labelled.jsonl'))));
    const plain = await readExamples(fixture('labelled.jsonl'), { text: 'text', label: 'category' });
    const zipped = await readExamples(gz, { text: 'text', label: 'category' });
    expect(zipped).toEqual(plain);
    expect(plain.examples).toHaveLength(24);
  });

  it('when a text is only HTML or a mask, then it counts as no text; numbers count as text', async () => {
    const path = join(dir, 'odd.jsonl');
    writeFileSync(path, '{"t":"<br/>&nbsp;[скрыто]","l":"x"}\n{"t":105,"l":7}\n{"t":null,"l":"x"}\n{"t":"ok","l":"  "}\n[1,2]\n');
    const read = await readExamples(path, { text: 't', label: 'l' });
    expect(read.examples).toEqual([{ text: '105', label: '7' }]);
    expect(read.skipped).toEqual({ noText: 2, noLabel: 1, unreadable: 1 });
  });

  it('reads a windows-1251 file when told the encoding', async () => {
    const path = join(dir, 'cp1251.csv');
    // «текст,метка\nвода,w\n» in windows-1251.
    writeFileSync(
      path,
      Buffer.from([
        0xf2, 0xe5, 0xea, 0xf1, 0xf2, 0x2c, 0xec, 0xe5, 0xf2, 0xea, 0xe0, 0x0a, 0xe2, 0xee, 0xe4, 0xe0, 0x2c, 0x77, 0x0a,
      ]),
    );
    const read = await readExamples(path, { text: 'текст', label: 'метка' }, { encoding: 'windows-1251' });
    expect(read.examples).toEqual([{ text: 'вода', label: 'w' }]);
  });

  it('when the file kind is unknown or the file is missing, then it fails with InputError', async () => {
    expect(() => detectFormat('export.xlsx')).toThrow(InputError);
    await expect(collect(readRecords(join(dir, 'missing.jsonl')))).rejects.toThrow(InputError);
    const bad = join(dir, 'bad.jsonl.gz');
    writeFileSync(bad, 'not gzip at all');
    await expect(collect(readRecords(bad))).rejects.toThrow(/not valid gzip/);
  });
});
