/**
 * A streaming RFC 4180 CSV parser: quoted fields with commas, line breaks and doubled quotes inside,
 * CRLF, LF or CR line ends (also when split between chunks), a UTF-8 byte-order mark. Exports from
 * Russian Excel put «;» between fields, so the delimiter is detected from the header row unless given.
 * It is lenient where files in the wild are not strict: a stray quote inside an unquoted field is kept.
 */

export interface CsvRow {
  /** 1-based line on which the row starts. */
  readonly line: number;
  readonly fields: string[];
}

/** Malformed CSV that cannot be read past. */
export class CsvError extends Error {
  override readonly name = 'CsvError';
}

/** The delimiter (comma, semicolon or tab) that occurs most often outside quotes in the first line; comma on a tie. */
export function detectDelimiter(firstLine: string): string {
  const counts: Record<string, number> = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (const ch of firstLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch in counts) counts[ch] = (counts[ch] ?? 0) + 1;
  }
  let best = ',';
  for (const ch of [';', '\t']) if ((counts[ch] ?? 0) > (counts[best] ?? 0)) best = ch;
  return best;
}

/**
 * Where the parser is inside a field; 'quote-in-quoted' is a quote inside a quoted field, which is
 * either the first of a doubled "" or the closing quote.
 */
type State = 'field-start' | 'unquoted' | 'quoted' | 'quote-in-quoted';

/** Parses CSV text arriving in chunks; yields each row once complete. Blank lines yield nothing. */
export async function* parseCsv(chunks: AsyncIterable<string>, delimiter?: string): AsyncGenerator<CsvRow> {
  let sep = delimiter;
  let head = ''; // the start of the input, held until its first line is complete (BOM, delimiter)
  let started = false;
  let state = 'field-start' as State;
  let field = '';
  let fields: string[] = [];
  let line = 1;
  let rowLine = 1;
  let skipLf = false; // the previous character was a \r ending a row: a \n right after it belongs to it

  function* feed(text: string): Generator<CsvRow> {
    for (let i = 0; i < text.length; i++) {
      const ch = text[i] as string;
      if (skipLf) {
        skipLf = false;
        if (ch === '\n') continue;
      }
      if (state === 'quoted') {
        if (ch === '"') state = 'quote-in-quoted';
        else {
          if (ch === '\n') line++;
          field += ch;
        }
        continue;
      }
      if (state === 'quote-in-quoted') {
        if (ch === '"') {
          field += '"';
          state = 'quoted';
          continue;
        }
        state = 'unquoted'; // the field's closing quote; ch is handled as after any field
      }
      if (ch === sep) {
        fields.push(field);
        field = '';
        state = 'field-start';
      } else if (ch === '\n' || ch === '\r') {
        fields.push(field);
        // A lone empty field is a blank line, not a record.
        if (fields.length > 1 || fields[0] !== '' || state !== 'field-start') yield { line: rowLine, fields };
        fields = [];
        field = '';
        state = 'field-start';
        skipLf = ch === '\r';
        line++;
        rowLine = line;
      } else if (ch === '"' && state === 'field-start') {
        state = 'quoted';
      } else {
        field += ch;
        state = 'unquoted';
      }
    }
  }

  for await (const chunk of chunks) {
    if (started) {
      yield* feed(chunk);
      continue;
    }
    head += chunk;
    if (!/[\r\n]/.test(head)) continue;
    started = true;
    const text = head.charCodeAt(0) === 0xfeff ? head.slice(1) : head;
    sep ??= detectDelimiter(text.split(/[\r\n]/, 1)[0] ?? '');
    yield* feed(text);
  }
  if (!started) {
    const text = head.charCodeAt(0) === 0xfeff ? head.slice(1) : head;
    sep ??= detectDelimiter(text);
    yield* feed(text);
  }
  if (state === 'quoted') throw new CsvError(`unterminated quoted field in the row starting on line ${rowLine}`);
  if (fields.length > 0 || field !== '' || state !== 'field-start') {
    fields.push(field);
    yield { line: rowLine, fields };
  }
}
