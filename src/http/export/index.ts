/**
 * Export files (CSV for Russian Excel, streaming XLSX) written from an async iterable of row pages and
 * a column list: the case export, and the ratings and problems exports (analytics-columns.ts).
 */
export { problemColumns, ratingColumns } from './analytics-columns.js';
export { caseColumns, caseCsvNames, type DomainNames, domainNames } from './case-columns.js';
export type { Cell, ExportColumn, ExportOptions, RowPages } from './column.js';
export { crlfRecordEnds, csvFromCopy } from './csv-copy.js';
export { CSV_BOM, CSV_SEPARATOR, csvChunks, csvField } from './csv-stream.js';
export { type LocalTime, localTime } from './local-time.js';
export { pageColumns } from './page-columns.js';
export { recipientColumns } from './recipient-columns.js';
export { EXPORT_FORMATS, type ExportFile, type ExportFormat, primed, sendCsvFile, sendExport } from './send.js';
export {
  CHANNEL_NAMES,
  FILE_NAMES,
  PAGE_READABLE_NAMES,
  PAGE_STATUS_NAMES,
  PRIORITY_NAMES,
  PROBLEM_STATUS_NAMES,
  RECIPIENT_STATUS_NAMES,
  SHEET_NAMES,
  SOURCE_KIND_NAMES,
  STATUS_NAMES,
} from './texts-ru.js';
export { type XlsxOptions, xlsxStream } from './xlsx-stream.js';
