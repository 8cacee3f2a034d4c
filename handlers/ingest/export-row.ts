import type { ExternalSource, SourceField } from '../../config/domain.js';
import { TimeZone } from '../../lib/deadlines/index.js';

/** A row of a source system's export file, turned into the appeal the API would take. */

/** A cell as the file reader gives it: text (CSV), or a number or date (XLSX). */
export type Cell = string | number | Date | null;
export interface ExportRow {
  /** The row's line in the file (1 is the header), for the report. */
  line: number;
  cells: Readonly<Record<string, Cell>>;
}
export type SourceColumns = ExternalSource['columns'];

const REQUIRED: readonly SourceField[] = ['externalId', 'receivedAt', 'text'];
const DATES: readonly SourceField[] = ['receivedAt', 'answeredAt', 'closedAt'];

/** The mapped columns a file's header lacks: the required ones make the file unreadable. */
export function missingColumns(columns: SourceColumns, header: readonly string[]): { required: string[]; optional: string[] } {
  const have = new Set(header.map(normalHeader));
  const missing = (fields: SourceField[]) =>
    fields.flatMap((f) => {
      const name = columns[f];
      return name !== undefined && !have.has(normalHeader(name)) ? [`${name} (${f})`] : [];
    });
  const all = Object.keys(columns) as SourceField[];
  return {
    required: missing(all.filter((f) => REQUIRED.includes(f))),
    optional: missing(all.filter((f) => !REQUIRED.includes(f))),
  };
}

/** Headers are compared without case, «ё» and extra spaces (exports are edited by hand). */
export function normalHeader(s: string): string {
  return s.trim().toLowerCase().replaceAll('ё', 'е').replace(/\s+/g, ' ');
}

/**
 * The appeal of one row, for ingestAppeal to check like any other: dates without an offset are the
 * city's local time (Russian exports write «05.03.2026 14:20»), XLSX dates are wall-clock readings.
 * A cell that cannot be read is reported by its column.
 */
export function appealOfRow(
  source: string,
  columns: SourceColumns,
  row: ExportRow,
  timeZone: string,
): { ok: true; appeal: Record<string, unknown> } | { ok: false; issues: string[] } {
  const byHeader = new Map(Object.entries(row.cells).map(([k, v]) => [normalHeader(k), v]));
  const zone = new TimeZone(timeZone);
  const issues: string[] = [];
  const appeal: Record<string, unknown> = { source };
  const author: Record<string, string> = {};
  for (const field of Object.keys(columns) as SourceField[]) {
    const column = columns[field] as string;
    const cell = byHeader.get(normalHeader(column)) ?? null;
    const text = cellText(cell);
    if (text === null) continue;
    if (DATES.includes(field)) {
      const date = cell instanceof Date ? new Date(zone.instantAt(cell.getTime())) : parseLocalDate(text, zone);
      if (date) appeal[field] = date;
      else issues.push(`${column}: not a date (expected 05.03.2026 14:20 or ISO 8601)`);
    } else if (field === 'rating' || field === 'lat' || field === 'lon') {
      const n = typeof cell === 'number' ? cell : Number(text.replace(',', '.'));
      if (Number.isFinite(n)) appeal[field] = n;
      else issues.push(`${column}: not a number`);
    } else if (field === 'authorName') author.name = text;
    else if (field === 'authorPhone') author.phone = text;
    else if (field === 'authorEmail') author.email = text;
    else appeal[field] = text;
  }
  if (Object.keys(author).length > 0) appeal.author = author;
  return issues.length > 0 ? { ok: false, issues } : { ok: true, appeal };
}

function cellText(cell: Cell): string | null {
  if (cell === null) return null;
  if (cell instanceof Date) return Number.isNaN(cell.getTime()) ? null : cell.toISOString();
  // Excel writes CRLF inside quoted fields; the case text keeps plain line breaks.
  const s = String(cell).replace(/\r\n?/g, '\n').trim();
  return s === '' ? null : s;
}

const RU_DATE = /^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;
const ISO_LOCAL = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?$/;
const ISO_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/;

/** «05.03.2026 14:20», «2026-03-05 14:20» (the city's time) or an ISO date-time with its offset. */
export function parseLocalDate(text: string, zone: TimeZone): Date | null {
  if (ISO_OFFSET.test(text)) {
    const d = new Date(text);
    return Number.isNaN(d.getTime()) ? null : d;
  }
  const ru = RU_DATE.exec(text);
  const iso = ru ? null : ISO_LOCAL.exec(text);
  const parts = ru ? [ru[3], ru[2], ru[1], ru[4], ru[5], ru[6]] : iso ? iso.slice(1, 7) : null;
  if (!parts) return null;
  const [y, mo, d, h, mi, s] = parts.map((p) => (p === undefined ? 0 : Number(p))) as number[];
  const wall = Date.UTC(y as number, (mo as number) - 1, d, h, mi, s);
  const check = new Date(wall);
  // 31.02.2026 rolls over to March in Date.UTC: refuse it instead.
  if (check.getUTCMonth() !== (mo as number) - 1 || check.getUTCDate() !== d || (h as number) > 23 || (mi as number) > 59)
    return null;
  return new Date(zone.instantAt(wall));
}
