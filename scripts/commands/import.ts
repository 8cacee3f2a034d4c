/** `mcu import`: appeals from another system's export file (ПОС, ИМ) become cases, like pushed ones. */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { sourceColumnsOverride } from '../../config/domain.js';
import { type ImportSummary, type IngestDeps, importAppeals, type SourceColumns } from '../../handlers/ingest/index.js';
import { type Command, EXIT_FAILURE, EXIT_OK, UsageError, writeLine } from '../cli/command.js';
import { existingFile, type OptionSpecs, parseOptions, text, usage } from '../cli/options.js';
import type { ExportFile } from './import-file.js';

const SUMMARY =
  'Import the appeals of an export file of ПОС or «Инцидент-менеджмент» (CSV in UTF-8 or windows-1251, or XLSX).\n' +
  "Each row becomes a case (structured, on its source's deadlines) or updates the case it became; the same file\n" +
  "twice changes nothing. The columns are the domain file's `sources.<source>.columns` unless --mapping names\n" +
  'others. Progress on stderr, the summary on stdout. Uses DATABASE_URL, or the embedded PostgreSQL under DATA_DIR.';

const OPTIONS: OptionSpecs = {
  source: { type: 'string', value: '<source>', description: 'pos, im or another source of the domain file', required: true },
  input: { type: 'string', value: '<file.csv|file.xlsx>', description: 'the export file', required: true },
  mapping: { type: 'string', value: '<file.yaml>', description: 'columns: {<field>: <header>, …} instead of the defaults' },
};

/** Progress every this many rows (and at the end). */
const PROGRESS_EVERY = 100;

export const importCommand: Command = {
  name: 'import',
  summary: 'import appeals from an export of ПОС or «Инцидент-менеджмент» (CSV, XLSX)',
  async run(args, io) {
    const values = parseOptions(args, OPTIONS);
    if (!values) {
      await writeLine(io.stdout, usage('mcu import', SUMMARY, OPTIONS));
      return EXIT_OK;
    }
    const input = existingFile(values, 'input');
    // Loaded here, not at the top: exceljs, pg-boss and the classifier would slow every other mcu command.
    const { ExportFileError, readExportFile } = await import('./import-file.js');
    const { withIngestDeps } = await import('./import-context.js');
    const columns = values.mapping === undefined ? undefined : readMapping(existingFile(values, 'mapping'));
    let file: ExportFile;
    try {
      file = await readExportFile(input);
    } catch (error) {
      if (error instanceof ExportFileError) throw new UsageError(error.message);
      throw error;
    }
    if (file.encoding === 'windows-1251') await writeLine(io.stderr, `${input}: not UTF-8, read as windows-1251`);
    const source = text(values, 'source');
    return withIngestDeps(async (deps: IngestDeps) => {
      const outcome = await importAppeals(deps, {
        source,
        ...(columns ? { columns } : {}),
        header: file.header,
        rows: file.rows,
        onProgress: (done) => {
          if (done % PROGRESS_EVERY === 0 || done === file.rows.length) io.stderr.write(`${done}/${file.rows.length} rows\n`);
        },
      });
      if (outcome.status === 'unknown_source')
        throw new UsageError(`unknown source "${source}"; known: ${outcome.known.join(', ') || 'none'}`);
      for (const column of outcome.missingOptional) await writeLine(io.stderr, `no column ${column}: that field is left empty`);
      if (outcome.status === 'wrong_format') {
        await writeLine(
          io.stderr,
          `mcu: ${input} is not a ${source} export (or needs --mapping): missing column${outcome.missing.length > 1 ? 's' : ''} ${outcome.missing.join(', ')}; found: ${file.header.join(', ')}`,
        );
        return EXIT_FAILURE;
      }
      await writeLine(io.stdout, formatSummary(outcome.summary));
      return EXIT_OK;
    });
  },
};

/** The summary a person reads: counts, then each rejected row with its line and reasons. */
export function formatSummary(s: ImportSummary): string {
  const lines = [`created: ${s.created}`, `updated: ${s.updated}`, `unchanged: ${s.unchanged}`, `rejected: ${s.rejected.length}`];
  for (const r of s.rejected) lines.push(`  line ${r.line}: ${r.reasons.join('; ')}`);
  return lines.join('\n');
}

/** A mapping file: `columns:` with some or all of the fields' headers. */
function readMapping(path: string): Partial<SourceColumns> {
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new UsageError(`--mapping: ${path} is not YAML (${(error as Error).message.split('\n')[0]})`);
  }
  const parsed = sourceColumnsOverride.safeParse((raw as { columns?: unknown } | null)?.columns);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || 'columns'}: ${i.message}`);
    throw new UsageError(`--mapping: ${path}: ${issues.join('; ')}`);
  }
  return parsed.data;
}
