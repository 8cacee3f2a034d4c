/**
 * `mcu calendar …`: the Russian production calendar the deadlines run on — add next year from the
 * open-data XML or a small YAML file, list the years the app knows and where each comes from
 * (docs/operations/production-calendar.md).
 */
import { loadDomainConfig } from '../../config/domain.js';
import { loadConfig, readEnvironment } from '../../config/index.js';
import { provisionalOpenCases } from '../../handlers/calendar/index.js';
import { type ImportOutcome, importCalendarYear } from '../calendar/import-year.js';
import { type Command, type CommandIo, commandGroup, EXIT_FAILURE, EXIT_OK, writeLine } from '../cli/command.js';
import { existingFile, type OptionSpecs, parseOptions, text, usage } from '../cli/options.js';
import { listCalendarCommand } from './calendar-list.js';
import { withAppDatabase } from './officials-database.js';

const IMPORT_SUMMARY =
  'Add (or replace) one year of the production calendar. The input is either the open-data XML\n' +
  '(xmlcalendar.ru, data.gov.ru: <calendar year="2027"><days><day d="01.01" t="1"/>…) or the YAML form:\n' +
  '  year: 2027\n' +
  '  source: Постановление Правительства РФ от … № …   (optional)\n' +
  '  day_off: [2027-01-01, …]            holidays and days off moved to a weekday\n' +
  '  short_working_day: [2027-02-20, …]  pre-holiday days, one hour shorter\n' +
  '  working_weekend: []                 Saturdays or Sundays that are worked\n' +
  'The year is checked with the app’s own loader and for plausibility (the art. 112 holidays rest, 247 ± 10\n' +
  'working days, a short day before a day off), then written to DATA_DIR/production-calendar.json, which the\n' +
  'app reads after the files of city.productionCalendars. Nothing is written when a check fails. Restart every\n' +
  'instance afterwards: the calendar is read at start. Prints how many open cases have provisional deadlines\n' +
  '(counted on the Labour Code fallback); they keep them — see the docs.';

const IMPORT_OPTIONS: OptionSpecs = {
  input: { type: 'string', value: '<file.xml|file.yaml>', description: 'the year to add', required: true },
  output: {
    type: 'string',
    value: '<file.json>',
    description: 'write here instead of DATA_DIR/production-calendar.json (e.g. a file listed in city.productionCalendars)',
  },
  'dry-run': { type: 'boolean', description: 'check and show what would be written, write nothing' },
  force: { type: 'boolean', description: 'write despite plausibility doubts (never despite errors)' },
  offline: { type: 'boolean', description: 'do not open the database (skips the count of provisional deadlines)' },
};

const importCommand: Command = {
  name: 'import',
  summary: 'add a year from the open-data XML or the YAML form',
  async run(args, io) {
    const values = parseOptions(args, IMPORT_OPTIONS);
    if (!values) {
      await writeLine(io.stdout, usage('mcu calendar import', IMPORT_SUMMARY, IMPORT_OPTIONS));
      return EXIT_OK;
    }
    const input = existingFile(values, 'input');
    const config = loadConfig(readEnvironment());
    const domain = loadDomainConfig(config.domainConfigPath);
    const output = text(values, 'output');
    const outcome = importCalendarYear({
      input,
      ...(output ? { output } : {}),
      dryRun: values['dry-run'] === true,
      force: values.force === true,
      config,
      domain,
    });
    await report(io, outcome);
    if (outcome.status === 'invalid' || outcome.status === 'doubtful') return EXIT_FAILURE;
    if (values.offline !== true) await reportProvisional(io);
    return EXIT_OK;
  },
};

async function report(io: CommandIo, o: ImportOutcome): Promise<void> {
  if (o.status === 'invalid') {
    await writeLine(io.stderr, ['mcu: the calendar year was not written:', ...o.problems.map((p) => `  - ${p}`)].join('\n'));
    return;
  }
  if (o.status === 'doubtful') {
    await writeLine(
      io.stderr,
      [
        `mcu: ${o.year} was not written; it does not look like a production calendar year:`,
        ...o.doubts.map((d) => `  - ${d}`),
        'Check the file against the decree; if it is right, run again with --force.',
      ].join('\n'),
    );
    return;
  }
  const f = o.figures;
  const dry = o.status === 'dry_run';
  const verb = o.replaced ? (dry ? 'would replace' : 'replaced') : dry ? 'would add' : 'added';
  const lines = [
    `${dry ? 'dry run, nothing written: ' : ''}${verb} ${o.year} ${o.replaced ? 'in' : 'to'} ${o.target}`,
    `  from: ${o.format === 'xml' ? 'XML' : 'YAML'}${o.note ? ` (${o.note})` : ''}`,
    `  days off: ${f.dayOff}, short days: ${f.short}, worked weekend days: ${f.workingWeekend}; working days (five-day week): ${f.workingDays}`,
    ...(o.replaced ? [`  replaces the year from ${o.replaced}: ${o.changedDays} date(s) differ`] : []),
    ...o.doubts.map((d) => `  forced despite: ${d}`),
  ];
  await writeLine(io.stdout, lines.join('\n'));
  if (!o.readByApp)
    await writeLine(
      io.stderr,
      `mcu: the app does not read ${o.target}: list it in city.productionCalendars of the domain file, or import without --output`,
    );
  if (o.status === 'written')
    await writeLine(io.stdout, 'Restart every instance of the app to use it (the calendar is read at start).');
}

/** How many open cases keep a deadline counted on the fallback; best effort (the file is written already). */
async function reportProvisional(io: CommandIo): Promise<void> {
  try {
    const count = await withAppDatabase(({ db }) => provisionalOpenCases({ db }));
    await writeLine(
      io.stdout,
      `open cases with a provisional deadline (counted on the Labour Code fallback): ${count}${count > 0 ? ' — their deadlines stay as set; see docs/operations/production-calendar.md' : ''}`,
    );
  } catch (error) {
    await writeLine(io.stderr, `mcu: could not count the cases with provisional deadlines: ${(error as Error).message}`);
  }
}

export const calendarCommand: Command = commandGroup('mcu calendar', 'the production calendar: add next year, list the years', [
  importCommand,
  listCalendarCommand,
]);
