import type { IngestDeps } from './deps.js';
import { appealOfRow, type ExportRow, missingColumns, type SourceColumns } from './export-row.js';
import { ingestAppeal } from './ingest-appeal.js';

/** What an import did, row by row; `rejected` names each broken row's line and why. */
export interface ImportSummary {
  created: number;
  updated: number;
  unchanged: number;
  rejected: { line: number; reasons: string[] }[];
}

export type ImportOutcome =
  | { status: 'done'; summary: ImportSummary; missingOptional: string[] }
  /** The file is not this source's export (or the mapping is wrong): nothing was imported. */
  | { status: 'wrong_format'; missing: string[]; missingOptional: string[] }
  | { status: 'unknown_source'; known: string[] };

/**
 * Imports an export file's rows, each in its own transaction (ingestAppeal): a broken row is
 * reported with its line and the rest go in; a crash leaves whole rows only, and a re-run adds the
 * rest, since a row already in is recognised by its key and changes nothing. `onProgress` is called
 * after every row.
 */
export async function importAppeals(
  deps: IngestDeps,
  input: {
    source: string;
    /** The columns of this file, when they differ from the domain file's defaults (`--mapping`). */
    columns?: Partial<SourceColumns>;
    header: readonly string[];
    rows: AsyncIterable<ExportRow> | Iterable<ExportRow>;
    onProgress?: (done: number, summary: ImportSummary) => void;
  },
): Promise<ImportOutcome> {
  const config = deps.domain.sources?.[input.source];
  if (!config) return { status: 'unknown_source', known: Object.keys(deps.domain.sources ?? {}) };
  const columns = { ...config.columns, ...input.columns } as SourceColumns;
  const missing = missingColumns(columns, input.header);
  if (missing.required.length > 0)
    return { status: 'wrong_format', missing: missing.required, missingOptional: missing.optional };

  const summary: ImportSummary = { created: 0, updated: 0, unchanged: 0, rejected: [] };
  let done = 0;
  for await (const row of input.rows) {
    const read = appealOfRow(input.source, columns, row, deps.domain.city.timezone);
    if (!read.ok) summary.rejected.push({ line: row.line, reasons: read.issues });
    else {
      const outcome = await ingestAppeal(deps, read.appeal);
      if (outcome.status === 'invalid')
        summary.rejected.push({ line: row.line, reasons: outcome.issues.map(inColumns(columns)) });
      else summary[outcome.status]++;
    }
    done++;
    input.onProgress?.(done, summary);
  }
  return { status: 'done', summary, missingOptional: missing.optional };
}

/** «receivedAt: must not be in the future» reads «Дата создания: …» for the person who has the file. */
function inColumns(columns: SourceColumns): (issue: string) => string {
  return (issue) => {
    const field = issue.slice(0, issue.indexOf(':'));
    const column = (columns as Record<string, string | undefined>)[field];
    return column ? `${column}${issue.slice(field.length)}` : issue;
  };
}
