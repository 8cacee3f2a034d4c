/** `mcu pages …`: the registry of official pages — import the city's spreadsheet, list what is registered. */
import { importPages, type PageImportSummary } from '../../handlers/pages/index.js';
import { systemClock } from '../../lib/clock.js';
import { type Command, commandGroup, EXIT_FAILURE, EXIT_OK, UsageError, writeLine } from '../cli/command.js';
import { existingFile, type OptionSpecs, parseOptions, usage } from '../cli/options.js';
import type { ExportFile } from './import-file.js';
import { withAppDatabase } from './officials-database.js';
import { listPagesCommand } from './pages-list.js';

const IMPORT_SUMMARY =
  'Import the list of official pages (CSV in UTF-8 or windows-1251, or XLSX; «;» or «,»). The columns, by header:\n' +
  '  ссылка (required)      the page: https://vk.com/<name>, vk.com/club123, https://t.me/<name>, @name, https://max.ru/<name>\n' +
  '  владелец (required)    the owner department: its id in the domain file, or its name or short name\n' +
  '  организация            a subordinate organisation, when the page is not the department’s own\n' +
  '  ответственный          a number: the id of a person of the platform (mcu officials list); text: a name and contact\n' +
  '  статус                 активна, планируется or закрыта (empty: активна)\n' +
  '  название, платформа    the page’s name in lists; vk, telegram or max for a bare chat id\n' +
  'A page already registered (same platform and id) is updated from its line: the same file twice creates nothing.\n' +
  'A line that is not a page is reported with its number and reasons; the others are imported. A column left out\n' +
  'of the file leaves that field as it is; an empty cell clears it. Uses DATABASE_URL, or the embedded PostgreSQL.';

const IMPORT_OPTIONS: OptionSpecs = {
  input: { type: 'string', value: '<file.csv|file.xlsx>', description: 'the list of pages', required: true },
};

const importCommand: Command = {
  name: 'import',
  summary: 'import the list of official pages (CSV, XLSX)',
  async run(args, io) {
    const values = parseOptions(args, IMPORT_OPTIONS);
    if (!values) {
      await writeLine(io.stdout, usage('mcu pages import', IMPORT_SUMMARY, IMPORT_OPTIONS));
      return EXIT_OK;
    }
    const input = existingFile(values, 'input');
    // Loaded here, not at the top: exceljs would slow every other mcu command.
    const { ExportFileError, readExportFile } = await import('./import-file.js');
    let file: ExportFile;
    try {
      file = await readExportFile(input);
    } catch (error) {
      if (error instanceof ExportFileError) throw new UsageError(error.message);
      throw error;
    }
    if (file.encoding === 'windows-1251') await writeLine(io.stderr, `${input}: not UTF-8, read as windows-1251`);
    return withAppDatabase(async ({ db, domain }) => {
      const outcome = await importPages(
        { db, domain, clock: systemClock },
        { header: file.header, rows: file.rows, actor: { type: 'cli' } },
      );
      if (outcome.status === 'wrong_format') {
        await writeLine(
          io.stderr,
          `mcu: ${input} is not a list of pages: missing column${outcome.missing.length > 1 ? 's' : ''} ${outcome.missing.join(', ')}; found: ${file.header.join(', ')}; known: ${outcome.known.join(', ')}`,
        );
        return EXIT_FAILURE;
      }
      await writeLine(io.stdout, formatPagesSummary(outcome.summary));
      return EXIT_OK;
    });
  },
};

/** The summary a person reads: counts, then each rejected line with its number and reasons. */
export function formatPagesSummary(s: PageImportSummary): string {
  const lines = [`created: ${s.created}`, `updated: ${s.updated}`, `unchanged: ${s.unchanged}`, `rejected: ${s.rejected.length}`];
  for (const r of s.rejected) lines.push(`  line ${r.line}: ${r.reasons.join('; ')}`);
  return lines.join('\n');
}

export const pagesCommand: Command = commandGroup('mcu pages', 'the registry of official pages (VK, Telegram, MAX)', [
  importCommand,
  listPagesCommand,
]);
