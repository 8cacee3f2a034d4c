/** `mcu calendar list`: the years the app's production calendar knows, where each comes from, and what is missing. */
import { relative } from 'node:path';
import { isIsoDate, productionCalendarFiles, productionCalendarSources } from '../../config/calendar.js';
import { loadDomainConfig } from '../../config/domain.js';
import { loadConfig, readEnvironment } from '../../config/index.js';
import { systemClock } from '../../lib/clock.js';
import { calendarReadiness, type ProductionCalendar, WorkingCalendar } from '../../lib/deadlines/index.js';
import { type Command, EXIT_OK, UsageError, writeLine } from '../cli/command.js';
import { type OptionSpecs, parseOptions, text, usage } from '../cli/options.js';

const LIST_SUMMARY =
  'The calendar files the app reads, in order (a later file replaces a year of an earlier one), then the years\n' +
  'known, runs of years from one file on one line ("2013–2026<TAB>file"), then a warning for each year that\n' +
  'should be listed and is not (this year; next year from 1 October, city time).';

const LIST_OPTIONS: OptionSpecs = {
  at: { type: 'string', value: '<YYYY-MM-DD>', description: 'check what is missing as of this day (default: now)' },
};

export const listCalendarCommand: Command = {
  name: 'list',
  summary: 'the years known, their files, and what is missing',
  async run(args, io) {
    const values = parseOptions(args, LIST_OPTIONS);
    if (!values) {
      await writeLine(io.stdout, usage('mcu calendar list', LIST_SUMMARY, LIST_OPTIONS));
      return EXIT_OK;
    }
    const at = text(values, 'at');
    if (at && !isIsoDate(at)) throw new UsageError(`--at must be a date YYYY-MM-DD, got "${at}"`);
    const config = loadConfig(readEnvironment());
    const domain = loadDomainConfig(config.domainConfigPath);
    const files = productionCalendarFiles(config, domain);
    const sources = productionCalendarSources(files);
    const shown = (f: string) => (relative(process.cwd(), f).startsWith('..') ? f : relative(process.cwd(), f));
    const lines = ['files:', ...files.map((f, i) => `  ${i + 1}. ${shown(f)}`), 'years:'];
    let run: { from: number; to: number; file: string } | null = null;
    const flush = () => {
      if (run) lines.push(`  ${run.from === run.to ? run.from : `${run.from}–${run.to}`}\t${shown(run.file)}`);
    };
    for (const [year, file] of sources) {
      if (run && run.file === file && run.to === year - 1) run.to = year;
      else {
        flush();
        run = { from: year, to: year, file };
      }
    }
    flush();
    // Only which years exist matters for the check; the days themselves are not needed here.
    const known: ProductionCalendar = { years: new Map([...sources.keys()].map((y) => [y, new Map()])) };
    const calendar = WorkingCalendar.forCity(domain.city, known);
    // Noon of that day in the city, so the day is the same whatever the machine's zone.
    const now = at ? new Date(calendar.zone.instantOf(at, 12 * 60)) : systemClock.now();
    const readiness = calendarReadiness(calendar, now);
    lines.push(...readiness.warnings.map((w) => `warning: ${w}`));
    await writeLine(io.stdout, lines.join('\n'));
    return EXIT_OK;
  },
};
