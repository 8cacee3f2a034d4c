import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { csvChunks, csvField, type ExportColumn, localTime, primed, xlsxStream } from '../../src/http/export/index.js';
import { parseCsv } from './csv-parse.js';

interface Row {
  text: string;
  n: number | null;
  at: Date | null;
}
const columns: ExportColumn<Row>[] = [
  { header: 'Текст; «с кавычками»', cell: (r) => r.text },
  { header: 'Число', cell: (r) => r.n },
  { header: 'Когда', cell: (r) => r.at },
];
const tz = { timeZone: 'Asia/Barnaul' };

async function* pagesOf<T>(...pages: T[][]) {
  for (const page of pages) yield page;
}

async function text(chunks: AsyncIterable<string>): Promise<string> {
  let all = '';
  for await (const c of chunks) all += c;
  return all;
}

describe('export writers', () => {
  it('when a field holds ; quotes or line breaks, then it is quoted and reads back the same', async () => {
    const rows: Row[] = [
      { text: 'a;b', n: 1, at: new Date('2026-03-01T02:05:00Z') },
      { text: 'он сказал "нет"', n: 2.5, at: null },
      { text: 'строка 1\nстрока 2\r\nстрока 3', n: null, at: null },
      { text: '', n: 0, at: null },
    ];
    const csv = await text(csvChunks(pagesOf(rows.slice(0, 2), [], rows.slice(2)), columns, tz));
    expect(csv.startsWith('\uFEFFТекст; «с кавычками»'.replace('Текст;', '"Текст;'))).toBe(true);
    expect(parseCsv(csv)).toEqual([
      ['Текст; «с кавычками»', 'Число', 'Когда'],
      ['a;b', '1', '2026-03-01 09:05'],
      ['он сказал "нет"', '2.5', ''],
      ['строка 1\nстрока 2\r\nстрока 3', '', ''],
      ['', '0', ''],
    ]);
  });

  it('when a text starts like a formula, then Excel gets it as text (a leading apostrophe)', () => {
    expect(csvField('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(['+7 999', '-1', '@SUM(A1)', '\tx'].map(csvField)).toEqual(["'+7 999", "'-1", "'@SUM(A1)", "'\tx"]);
    expect(csvField('Нет воды')).toBe('Нет воды');
  });

  it('when instants are shown, then in the city time zone, across a change of offset', () => {
    expect(localTime('Asia/Barnaul').format(new Date('2026-12-31T17:30:00Z'))).toBe('2027-01-01 00:30');
    const berlin = localTime('Europe/Berlin');
    expect(berlin.format(new Date('2026-03-29T00:59:00Z'))).toBe('2026-03-29 01:59');
    expect(berlin.format(new Date('2026-03-29T01:00:00Z'))).toBe('2026-03-29 03:00');
    expect(localTime('Asia/Kolkata').format(new Date('2026-01-01T00:00:00Z'))).toBe('2026-01-01 05:30');
  });

  it('when rows are written as XLSX, then exceljs reads the same cells back, control characters dropped', async () => {
    const rows: Row[] = [
      { text: 'a;b "c"\nd', n: 5, at: new Date('2026-03-01T02:05:00Z') },
      { text: 'звонок\u0007 =1+1', n: null, at: null },
    ];
    const stream = xlsxStream(pagesOf(rows), columns, { ...tz, sheetName: 'Лист' });
    const chunks: Buffer[] = [];
    for await (const c of stream) chunks.push(c as Buffer);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.concat(chunks) as unknown as ArrayBuffer);
    const sheet = book.getWorksheet('Лист');
    if (!sheet) throw new Error('no sheet «Лист»');
    const values = (i: number) => (sheet.getRow(i).values as unknown[]).slice(1);
    expect(values(1)).toEqual(['Текст; «с кавычками»', 'Число', 'Когда']);
    expect(values(2)).toEqual(['a;b "c"\nd', 5, '2026-03-01 09:05']);
    expect(values(3)).toEqual(['звонок =1+1']);
    expect(sheet.rowCount).toBe(3);
  });

  it('when the reader of an XLSX goes away, then no further page is asked for', async () => {
    let asked = 0;
    async function* endless() {
      for (;;) {
        asked++;
        yield Array.from({ length: 2000 }, (_, i) => ({ text: `строка ${i} ${'x'.repeat(200)}`, n: i, at: null }));
      }
    }
    const stream = xlsxStream(endless(), columns, { ...tz, sheetName: 'Лист' });
    stream.once('data', () => stream.destroy());
    await new Promise((r) => stream.once('close', r));
    await new Promise((r) => setTimeout(r, 100));
    const after = asked;
    await new Promise((r) => setTimeout(r, 200));
    expect(asked).toBe(after);
    expect(asked).toBeLessThan(50);
  });

  it('when the first page fails, then primed() throws before anything is sent; later, abandoning stops the pages', async () => {
    async function* failing(): AsyncGenerator<Row[]> {
      yield* [];
      throw new Error('database down');
    }
    await expect(primed(failing())).rejects.toThrow('database down');
    let finished = false;
    async function* three() {
      try {
        yield [1];
        yield [2];
        yield [3];
      } finally {
        finished = true;
      }
    }
    const readable = Readable.from(await primed(three()));
    for await (const page of readable) if ((page as number[])[0] === 1) break;
    expect(finished).toBe(true);
  });
});
