import { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ExportColumn, RowPages } from './column.js';
import { csvChunks } from './csv-stream.js';
import { localTime } from './local-time.js';
import { xlsxStream } from './xlsx-stream.js';

/**
 * Sending an export as a download: the headers, then the file streamed from the rows as they are read.
 * The first page is read before anything is sent, so a failure at the start (the database is down)
 * is still an ordinary JSON error; a failure later cuts the response off (no final chunk), which
 * clients report as an incomplete download rather than a short file taken for a whole one.
 */

export const EXPORT_FORMATS = ['csv', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

export interface ExportFile<Row> {
  format: ExportFormat;
  /** The file name without the date and extension, ASCII: `cases` gives `cases-2026-03-01.csv`. */
  name: string;
  sheetName: string;
  columns: readonly ExportColumn<Row>[];
  pages: RowPages<Row>;
  timeZone: string;
  now: Date;
}

/** Streams `file` as the reply; returns the reply for the route to return. */
export async function sendExport<Row>(
  request: FastifyRequest,
  reply: FastifyReply,
  file: ExportFile<Row>,
): Promise<FastifyReply> {
  const pages = await primed(file.pages);
  const body =
    file.format === 'csv'
      ? Readable.from(csvChunks(pages, file.columns, file), { objectMode: false })
      : xlsxStream(pages, file.columns, { timeZone: file.timeZone, sheetName: file.sheetName });
  return sendDownload(request, reply, file, body);
}

/**
 * Streams a CSV file made elsewhere (the case export PostgreSQL formats: csv-copy.ts `csvFromCopy`,
 * whose first chunk of records is already read, so a failure at the start was an ordinary error).
 */
export function sendCsvFile(
  request: FastifyRequest,
  reply: FastifyReply,
  file: { name: string; chunks: AsyncIterable<Buffer>; timeZone: string; now: Date },
): FastifyReply {
  return sendDownload(request, reply, { ...file, format: 'csv' }, Readable.from(file.chunks, { objectMode: false }));
}

function sendDownload(
  request: FastifyRequest,
  reply: FastifyReply,
  file: { format: ExportFormat; name: string; timeZone: string; now: Date },
  body: Readable,
): FastifyReply {
  // A million rows take minutes to a slow client: no idle timeout on this socket, whatever the server's.
  // (An injected request in tests has no real socket.)
  const socket = request.raw.socket as { setTimeout?: (ms: number) => unknown } | undefined;
  socket?.setTimeout?.(0);
  const day = localTime(file.timeZone).format(file.now).slice(0, 10);
  return reply
    .header('content-type', CONTENT_TYPES[file.format])
    .header('content-disposition', `attachment; filename="${file.name}-${day}.${file.format}"`)
    .header('cache-control', 'no-store')
    .header('x-content-type-options', 'nosniff')
    .send(body);
}

/**
 * The pages with the first one already read (so its failure is thrown here); abandoning the result
 * abandons the pages (their `return()` runs, even when no page was taken yet), which is how a
 * client's disconnect stops the query.
 */
export async function primed<T>(pages: AsyncIterable<T>): Promise<AsyncIterable<T>> {
  const it = pages[Symbol.asyncIterator]();
  let first: IteratorResult<T> | null = await it.next();
  return {
    [Symbol.asyncIterator]: () => ({
      next: async () => {
        const taken = first;
        first = null;
        return taken ?? it.next();
      },
      return: async () => {
        first = null;
        await it.return?.();
        return { done: true, value: undefined };
      },
    }),
  };
}
