/**
 * What an export file is made of, whatever its format: a list of columns, each a header and a way to
 * read one cell from a row. The writers (csv-stream.ts, xlsx-stream.ts) take the rows as an async
 * iterable of pages, so a caller can feed them straight from a keyset-paged query.
 */

/** One cell: text, a number, an instant (shown in the city's time as `YYYY-MM-DD HH:mm`) or empty. */
export type Cell = string | number | Date | null;

export interface ExportColumn<Row> {
  /** The header, in Russian (src/http/export/texts-ru.ts). */
  header: string;
  cell: (row: Row) => Cell;
  /** The column's width in an XLSX file, in characters. */
  width?: number;
}

/** The rows of an export, a page (an array) at a time; an empty page is skipped. */
export type RowPages<Row> = AsyncIterable<readonly Row[]>;

/** What both writers need besides the rows. */
export interface ExportOptions {
  /** The IANA time zone instants are shown in (the domain file's `city.timezone`). */
  timeZone: string;
}
