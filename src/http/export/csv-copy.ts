import { CSV_BOM, CSV_SEPARATOR, csvField } from './csv-stream.js';
import { primed } from './send.js';

/**
 * A CSV file from records PostgreSQL formatted (`COPY … TO STDOUT WITH (FORMAT csv)`, models/copy-out.ts):
 * the same bytes csv-stream.ts writes, given cells already as that writer makes them. COPY quotes by
 * the same rule (a field with the separator, `"`, CR or LF; quotes doubled) but ends each record with
 * LF, where Excel's CSV has CRLF; so a record's LF becomes CRLF, and a line break inside a quoted field
 * is kept as it is. Which LF ends a record is told by the quotes: outside a field's quotes an LF can
 * only be a record's end (COPY quotes every field that holds one), and every `"` toggles "inside" (a
 * doubled quote toggles twice). The state carries over from one chunk to the next.
 */

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

/**
 * The file: the BOM and the header row, then the records with CRLF ends. The first chunk of
 * `records` is read before this returns, so a statement that fails is thrown here, before the headers
 * are sent (as sendExport does with its first page); giving up the result gives up `records` (its
 * async iterator's return(), which destroys a stream).
 */
export async function csvFromCopy(records: AsyncIterable<Buffer>, headers: readonly string[]): Promise<AsyncIterable<Buffer>> {
  const body = (await primed(records))[Symbol.asyncIterator]();
  let head: Buffer | null = Buffer.from(`${CSV_BOM}${headers.map(csvField).join(CSV_SEPARATOR)}\r\n`);
  const crlf = crlfRecordEnds();
  // An iterator of its own rather than a generator: a generator given up before its first step
  // never runs its `finally`, and the COPY behind it would hold its connection.
  return {
    [Symbol.asyncIterator]: () => ({
      next: async (): Promise<IteratorResult<Buffer>> => {
        if (head) {
          const value = head;
          head = null;
          return { done: false, value };
        }
        const next = await body.next();
        return next.done ? next : { done: false, value: crlf(next.value) };
      },
      return: async (): Promise<IteratorResult<Buffer>> => {
        head = null;
        await body.return?.();
        return { done: true, value: undefined };
      },
    }),
  };
}

/** A converter of COPY's CSV chunks, in order, from LF record ends to CRLF (see the top of the file). */
export function crlfRecordEnds(): (chunk: Buffer) => Buffer {
  let quoted = false;
  const ends: number[] = [];
  return (chunk) => {
    ends.length = 0;
    let quote = chunk.indexOf(QUOTE);
    for (let lf = chunk.indexOf(LF); lf !== -1; lf = chunk.indexOf(LF, lf + 1)) {
      for (; quote !== -1 && quote < lf; quote = chunk.indexOf(QUOTE, quote + 1)) quoted = !quoted;
      if (!quoted) ends.push(lf);
    }
    for (; quote !== -1; quote = chunk.indexOf(QUOTE, quote + 1)) quoted = !quoted;
    if (ends.length === 0) return chunk;
    const out = Buffer.allocUnsafe(chunk.length + ends.length);
    let from = 0;
    let at = 0;
    for (const end of ends) {
      at += chunk.copy(out, at, from, end);
      out[at++] = CR;
      out[at++] = LF;
      from = end + 1;
    }
    chunk.copy(out, at, from);
    return out;
  };
}
