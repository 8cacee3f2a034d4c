import type { IngestDeps } from './deps.js';
import type { ExportRow, SourceColumns } from './export-row.js';
import { type ImportOutcome, importAppeals } from './import-appeals.js';
import { type IngestOutcome, ingestAppeal } from './ingest-appeal.js';

export { type Appeal, checkAppeal, MAX_APPEAL_TEXT } from './appeal.js';
export type { IngestDeps } from './deps.js';
export { type Cell, type ExportRow, missingColumns, normalHeader, type SourceColumns } from './export-row.js';
export { type ImportOutcome, type ImportSummary, importAppeals } from './import-appeals.js';
export { type IngestOutcome, ingestAppeal } from './ingest-appeal.js';
export { type AppealChange, lifecyclePath } from './sync-appeal.js';

/** Appeals from other systems (ПОС, ИМ) as the API route and the `mcu import` command see them. */
export interface IngestApi {
  /** One appeal pushed by a source system: its case opened, or what changed applied. */
  ingest(raw: unknown): Promise<IngestOutcome>;
  /** The rows of an export file of `source`, each in its own transaction. */
  importRows(input: {
    source: string;
    columns?: Partial<SourceColumns>;
    header: readonly string[];
    rows: AsyncIterable<ExportRow> | Iterable<ExportRow>;
    onProgress?: Parameters<typeof importAppeals>[1]['onProgress'];
  }): Promise<ImportOutcome>;
}

/** Binds ingest to its deps, resolved on every call (503 until the database and the queue are up). */
export function bindIngest(deps: () => IngestDeps): IngestApi {
  return {
    ingest: (raw) => ingestAppeal(deps(), raw),
    importRows: (input) => importAppeals(deps(), input),
  };
}
