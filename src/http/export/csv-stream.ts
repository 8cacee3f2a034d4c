import type { Cell, ExportColumn, ExportOptions, RowPages } from './column.js';
import { localTime } from './local-time.js';

/**
 * CSV as Russian Excel opens it by a double click: UTF-8 with a BOM (else Excel reads it as
 * Windows-1251), `;` between fields (Excel's separator where the decimal mark is a comma), CRLF
 * between records, a field quoted when it holds `;`, `"`, CR or LF (quotes doubled, line breaks
 * kept). One string per page of rows, so the socket gets few large writes.
 */

export const CSV_BOM = '\uFEFF';
export const CSV_SEPARATOR = ';';
const NEEDS_QUOTES = /[;"\r\n]/;
/**
 * Text starting like a formula is run by Excel when the file is opened (CSV injection): a citizen's
 * «=HYPERLINK(…)» must stay text, so such a field gets a leading apostrophe, as OWASP advises.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/** The export as CSV text chunks: the BOM and the header row first, then one chunk per page. */
export async function* csvChunks<Row>(
  pages: RowPages<Row>,
  columns: readonly ExportColumn<Row>[],
  options: ExportOptions,
): AsyncGenerator<string, void, undefined> {
  const time = localTime(options.timeZone);
  const field = (value: Cell): string => {
    if (value === null) return '';
    if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
    return csvField(typeof value === 'string' ? value : time.format(value));
  };
  // Columns of codes (a status, a district) repeat a few values a million times: each column keeps
  // its fields already escaped, until it proves to hold many distinct values (a number, a text).
  const memo = columns.map(() => new Map<Cell, string>() as Map<Cell, string> | null);
  const cellText = (i: number, value: Cell): string => {
    const cache = memo[i];
    if (!cache || value instanceof Date) return field(value);
    let text = cache.get(value);
    if (text === undefined) {
      text = field(value);
      if (cache.size < MEMO_LIMIT) cache.set(value, text);
      else memo[i] = null;
    }
    return text;
  };
  yield `${CSV_BOM}${columns.map((c) => csvField(c.header)).join(CSV_SEPARATOR)}\r\n`;
  for await (const page of pages) {
    if (page.length === 0) continue;
    let chunk = '';
    for (const row of page) {
      let line = '';
      for (let i = 0; i < columns.length; i++) {
        if (i > 0) line += CSV_SEPARATOR;
        line += cellText(i, (columns[i] as ExportColumn<Row>).cell(row));
      }
      chunk += `${line}\r\n`;
    }
    yield chunk;
  }
}

/** Distinct values a column may cache before it is taken for free text and stops caching. */
const MEMO_LIMIT = 1_000;

/** One field: quoted when it must be, formula-like text defused. */
export function csvField(text: string): string {
  const safe = FORMULA_START.test(text) ? `'${text}` : text;
  return NEEDS_QUOTES.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}
