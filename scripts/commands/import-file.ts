/** Reads a source system's export (CSV or XLSX) into a header and rows with their line numbers. */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import ExcelJS from 'exceljs';
import type { Cell, ExportRow } from '../../handlers/ingest/index.js';
import { parseCsv } from '../../lib/classifier/index.js';

export interface ExportFile {
  header: string[];
  rows: ExportRow[];
  /** The text encoding a CSV was read in (null for XLSX). */
  encoding: 'utf-8' | 'windows-1251' | null;
}

/** Refused files: not CSV or XLSX, or with no header row. */
export class ExportFileError extends Error {
  override readonly name = 'ExportFileError';
}

export async function readExportFile(path: string): Promise<ExportFile> {
  const ext = extname(path).toLowerCase();
  if (ext === '.csv') return readCsv(await readFile(path));
  if (ext === '.xlsx') return readXlsx(path);
  throw new ExportFileError(`${path}: expected a .csv or .xlsx export`);
}

/**
 * Exports from Russian Excel are often windows-1251: text that is not valid UTF-8 is read as
 * windows-1251 (the only other encoding these systems write; Node's TextDecoder knows it).
 */
export function decodeExport(bytes: Uint8Array): { text: string; encoding: 'utf-8' | 'windows-1251' } {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes), encoding: 'utf-8' };
  } catch {
    return { text: new TextDecoder('windows-1251').decode(bytes), encoding: 'windows-1251' };
  }
}

export async function readCsv(bytes: Uint8Array): Promise<ExportFile> {
  const { text, encoding } = decodeExport(bytes);
  async function* one(): AsyncGenerator<string> {
    yield text;
  }
  let header: string[] | null = null;
  const rows: ExportRow[] = [];
  // parseCsv: quotes, doubled quotes, line breaks in fields, a BOM, «;» or «,» detected from the header.
  for await (const row of parseCsv(one())) {
    if (header === null) {
      header = row.fields.map((h) => h.trim());
      continue;
    }
    const cells: Record<string, Cell> = {};
    header.forEach((name, i) => {
      cells[name] = row.fields[i] ?? null;
    });
    rows.push({ line: row.line, cells });
  }
  if (header === null) throw new ExportFileError('the file is empty: expected a header row');
  return { header, rows, encoding };
}

async function readXlsx(path: string): Promise<ExportFile> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.readFile(path);
  } catch (error) {
    throw new ExportFileError(`${path}: not a readable XLSX file (${(error as Error).message})`);
  }
  const sheet = workbook.worksheets[0];
  if (!sheet || sheet.rowCount === 0) throw new ExportFileError(`${path}: the first sheet is empty: expected a header row`);
  const header: string[] = [];
  sheet.getRow(1).eachCell({ includeEmpty: true }, (cell, col) => {
    header[col - 1] = String(cellValue(cell.value) ?? '').trim();
  });
  const rows: ExportRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, line) => {
    if (line === 1) return;
    const cells: Record<string, Cell> = {};
    header.forEach((name, i) => {
      cells[name] = cellValue(row.getCell(i + 1).value);
    });
    if (Object.values(cells).some((v) => v !== null && v !== '')) rows.push({ line, cells });
  });
  return { header: header.filter((h) => h !== ''), rows, encoding: null };
}

/** An exceljs value as a plain cell: rich text joined, a formula's result, a hyperlink's text. */
function cellValue(value: ExcelJS.CellValue): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || value instanceof Date) return value;
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('result' in value) return cellValue((value.result ?? null) as ExcelJS.CellValue);
    if ('text' in value) return String(value.text);
    if ('error' in value) return null;
  }
  return String(value);
}
