/**
 * Streaming readers for training and prediction input: JSON Lines (`.jsonl`, `.ndjson`), CSV with a
 * header row (`.csv`), each optionally gzipped (`.gz`). Records come out one at a time in file order,
 * so a 100 MB export never sits in memory as a whole; a broken record is reported, not fatal.
 */
import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { TextDecoder } from 'node:util';
import { createGunzip } from 'node:zlib';
import { parseCsv } from './csv.js';
import { normalizeText } from './tokenize.js';
import type { Example } from './types.js';

/** An input file that cannot be read at all (unknown kind, missing, unreadable). */
export class InputError extends Error {
  override readonly name = 'InputError';
}

export type InputFormat = 'jsonl' | 'csv';

/** One record of an input file: its fields, or why it could not be read. */
export type InputRecord =
  | { readonly line: number; readonly fields: Readonly<Record<string, unknown>>; readonly error?: undefined }
  | { readonly line: number; readonly fields: null; readonly error: string };

export interface ReadOptions {
  /** Text encoding of the file, e.g. "windows-1251" for old Excel exports (default UTF-8). */
  readonly encoding?: string;
  /** CSV field delimiter (default: detected from the header row). */
  readonly delimiter?: string;
}

/** The format and compression a file name implies. */
export function detectFormat(path: string): { format: InputFormat; gzip: boolean } {
  const lower = path.toLowerCase();
  const gzip = lower.endsWith('.gz');
  const base = gzip ? lower.slice(0, -3) : lower;
  if (base.endsWith('.jsonl') || base.endsWith('.ndjson')) return { format: 'jsonl', gzip };
  if (base.endsWith('.csv')) return { format: 'csv', gzip };
  throw new InputError(`cannot tell the format of ${path}: use a .jsonl, .jsonl.gz, .csv or .csv.gz file`);
}

async function* textChunks(path: string, gzip: boolean, encoding: string): AsyncGenerator<string> {
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(encoding);
  } catch {
    throw new InputError(`unknown text encoding "${encoding}"`);
  }
  try {
    await access(path);
  } catch {
    throw new InputError(`cannot read ${path}: no such file or no permission`);
  }
  const file = createReadStream(path);
  const stream = gzip ? file.pipe(createGunzip()) : file;
  // pipe() does not forward errors: a read error on the file must still end the gunzip stream.
  if (gzip) file.on('error', (error) => stream.destroy(error));
  try {
    for await (const buffer of stream as AsyncIterable<Buffer>) yield decoder.decode(buffer, { stream: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (gzip && (code === 'Z_DATA_ERROR' || code === 'Z_BUF_ERROR')) throw new InputError(`${path} is not valid gzip data`);
    throw error;
  }
  const rest = decoder.decode();
  if (rest) yield rest;
}

async function* jsonlRecords(chunks: AsyncIterable<string>): AsyncGenerator<InputRecord> {
  let carry = '';
  let line = 0;
  const parse = (raw: string): InputRecord | null => {
    line++;
    const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (text.trim() === '') return null;
    try {
      const value: unknown = JSON.parse(text);
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
        return { line, fields: value as Record<string, unknown> };
      }
      return { line, fields: null, error: 'not a JSON object' };
    } catch {
      return { line, fields: null, error: 'invalid JSON' };
    }
  };
  for await (const chunk of chunks) {
    const parts = (carry + chunk).split('\n');
    carry = parts.pop() ?? '';
    for (const part of parts) {
      const record = parse(part);
      if (record) yield record;
    }
  }
  const record = parse(carry);
  if (record) yield record;
}

async function* csvRecords(chunks: AsyncIterable<string>, delimiter: string | undefined): AsyncGenerator<InputRecord> {
  let header: string[] | null = null;
  for await (const row of parseCsv(chunks, delimiter)) {
    if (header === null) {
      header = row.fields.map((name) => name.trim());
      continue;
    }
    const fields: Record<string, unknown> = {};
    // A short row leaves the missing fields out (so they count as missing); extra fields are ignored.
    header.forEach((name, i) => {
      if (i < row.fields.length) fields[name] = row.fields[i];
    });
    yield { line: row.line, fields };
  }
}

/** Every record of a file, in order. Throws InputError if the file cannot be read at all. */
export async function* readRecords(path: string, options: ReadOptions = {}): AsyncGenerator<InputRecord> {
  const { format, gzip } = detectFormat(path);
  const chunks = textChunks(path, gzip, options.encoding ?? 'utf-8');
  yield* format === 'csv' ? csvRecords(chunks, options.delimiter) : jsonlRecords(chunks);
}

/**
 * A field's value as text: strings as they are, numbers as digits; null when the field is absent,
 * not a string or number, or says nothing once HTML and masks are stripped.
 */
export function fieldText(record: InputRecord, name: string): string | null {
  const value = record.fields?.[name];
  const text = typeof value === 'string' ? value : typeof value === 'number' && Number.isFinite(value) ? String(value) : null;
  return text !== null && normalizeText(text) !== '' ? text : null;
}

export interface ExampleReadResult {
  readonly examples: Example[];
  /** Records read, skipped ones included. */
  readonly records: number;
  readonly skipped: { readonly noText: number; readonly noLabel: number; readonly unreadable: number };
  /** Field names seen in the first readable record: for a helpful message when a field name is wrong. */
  readonly fieldNames: readonly string[];
}

/** Reads labelled examples; records without text or label are skipped and counted. */
export async function readExamples(
  path: string,
  fields: { readonly text: string; readonly label: string },
  options: ReadOptions = {},
): Promise<ExampleReadResult> {
  const examples: Example[] = [];
  const skipped = { noText: 0, noLabel: 0, unreadable: 0 };
  let records = 0;
  let fieldNames: readonly string[] | null = null;
  for await (const record of readRecords(path, options)) {
    records++;
    if (record.fields === null) {
      skipped.unreadable++;
      continue;
    }
    fieldNames ??= Object.keys(record.fields);
    const text = fieldText(record, fields.text);
    const label = fieldText(record, fields.label)?.trim();
    if (text === null) skipped.noText++;
    else if (!label) skipped.noLabel++;
    else examples.push({ text, label });
  }
  return { examples, records, skipped, fieldNames: fieldNames ?? [] };
}
