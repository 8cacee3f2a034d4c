import { once } from 'node:events';
import { PassThrough, type Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Cell, ExportColumn, ExportOptions, RowPages } from './column.js';
import { localTime } from './local-time.js';

/**
 * XLSX written as it is read: exceljs's streaming WorkbookWriter, each row committed (turned into
 * XML and handed to the zip) as soon as it is added, no shared-strings table (it would keep every
 * text in memory to the end), and the next page read only once the client has taken the previous
 * one (back-pressure), so memory stays flat however many rows there are.
 */

/** Excel's limit for one cell; a longer text is cut there rather than making a file Excel refuses. */
const MAX_CELL_CHARS = 32_767;
/** Characters XML 1.0 cannot carry (a control character in a citizen's text would corrupt the file). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;
const CRLF = /\r\n?/g;
/** How much compressed output may wait for the client before the next page is read. */
const OUTPUT_HIGH_WATER = 1024 * 1024;

export interface XlsxOptions extends ExportOptions {
  /** The sheet's name (at most 31 characters; Excel forbids `\ / ? * [ ] :`). */
  sheetName: string;
}

/**
 * The export as an XLSX byte stream. Rows are pulled from `pages` while the stream is read; if the
 * stream is destroyed (the client went away), the pages are abandoned (their query stops) and the
 * error, if reading failed, destroys the stream so a partial file is never mistaken for a whole one.
 */
export function xlsxStream<Row>(pages: RowPages<Row>, columns: readonly ExportColumn<Row>[], options: XlsxOptions): Readable {
  const out = new PassThrough({ highWaterMark: OUTPUT_HIGH_WATER });
  void writeWorkbook(out, pages, columns, options).catch((error: unknown) => {
    out.destroy(error instanceof Error ? error : new Error(String(error)));
  });
  return out;
}

async function writeWorkbook<Row>(
  out: PassThrough,
  pages: RowPages<Row>,
  columns: readonly ExportColumn<Row>[],
  options: XlsxOptions,
): Promise<void> {
  const time = localTime(options.timeZone);
  const cell = (value: Cell): string | number | null => {
    if (value === null || typeof value === 'number') return value;
    if (typeof value !== 'string') return time.format(value);
    // XML reads a CR as a line break anyway (CRLF becomes LF), so say so rather than leave it to chance.
    const clean = value.replace(NOT_XML, '').replace(CRLF, '\n');
    return clean.length > MAX_CELL_CHARS ? clean.slice(0, MAX_CELL_CHARS) : clean;
  };
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: false });
  const sheet = workbook.addWorksheet(options.sheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((c, i) => ({ header: c.header, key: String(i), width: c.width ?? 14 }));
  sheet.getRow(1).commit();
  for await (const page of pages) {
    if (out.destroyed) return; // leaving the loop ends the pages: no query after this one
    for (const row of page) sheet.addRow(columns.map((c) => cell(c.cell(row)))).commit();
    await drained(out);
  }
  if (out.destroyed) return;
  sheet.commit();
  await workbook.commit();
}

/** Waits while the zip's output is refused by the client's pace (or until the stream is gone). */
async function drained(out: PassThrough): Promise<void> {
  while (!out.destroyed && out.writableNeedDrain) {
    const ac = new AbortController();
    await Promise.race([once(out, 'drain', { signal: ac.signal }), once(out, 'close', { signal: ac.signal })]).catch(() => {});
    ac.abort();
  }
}
