/** `mcu demo seed|clear`: a realistic history of cases for the sandbox, the analytics benchmark and the console. */
import { loadProductionCalendar, productionCalendarFiles } from '../../config/calendar.js';
import { systemClock } from '../../lib/clock.js';
import { WorkingCalendar } from '../../lib/deadlines/index.js';
import { claimSetting } from '../../models/app-setting-repository.js';
import type { Db } from '../../models/database.js';
import { type Command, type CommandIo, commandGroup, EXIT_OK, EXIT_USAGE, UsageError, writeLine } from '../cli/command.js';
import { number, type OptionSpecs, parseOptions, usage } from '../cli/options.js';
import type { SeedSummary } from '../demo/seed.js';
import { type OfficialsContext, withAppDatabase } from './officials-database.js';

const SEED_SUMMARY =
  'Fill a sandbox database with a realistic history: seasonal categories, districts by population, departments\n' +
  'with their own habits, answers, «отписки» held for review, extensions, polls and reopenings, problems, ПОС/ИМ\n' +
  'appeals. Synthetic texts, citizens «Житель N». Refuses a live database (exit 2). Progress on stderr, the summary\n' +
  'on stdout. Uses DATABASE_URL, or the embedded PostgreSQL under DATA_DIR.';

const SEED_OPTIONS: OptionSpecs = {
  cases: { type: 'string', value: '<n>', description: 'how many cases (default 100000; up to 5000000)' },
  months: { type: 'string', value: '<n>', description: 'how many months back from --until (default 12)' },
  until: { type: 'string', value: '<date>', description: 'the end of the history, ISO 8601 (default now)' },
  seed: {
    type: 'string',
    value: '<n>',
    description: 'the random seed: the same seed and options give the same history (default 1)',
  },
  batch: { type: 'string', value: '<n>', description: 'cases per transaction (default 5000)' },
};

const CLEAR_SUMMARY =
  'Delete what `mcu demo seed` wrote: its cases with their messages, answers, polls and extensions, its citizens,\n' +
  'problems and sources. The audit trail keeps its entries (it is append-only). Refuses a live database (exit 2).';

/** A database the live app uses (or would): the demo never writes to it. */
class LiveDatabaseError extends Error {}

async function ensureSandbox(ctx: OfficialsContext, at: Date): Promise<void> {
  if (!ctx.config.sandbox) {
    throw new LiveDatabaseError(
      'the configuration is live (messenger tokens are set): the demo history goes only into a sandbox database',
    );
  }
  // An unmarked database becomes the sandbox's, as `npm start` without tokens would mark it; the live app then refuses it.
  const mode = await claimSetting(ctx.db, 'mode', 'sandbox', at);
  if (mode !== 'sandbox') {
    throw new LiveDatabaseError(
      `this database belongs to the live app (mode "${mode}"): the demo history goes only into a sandbox database (use another DATABASE_URL or DATA_DIR)`,
    );
  }
}

async function refusingLive(io: CommandIo, work: () => Promise<number>): Promise<number> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof LiveDatabaseError)) throw error;
    await writeLine(io.stderr, `mcu: ${error.message}`);
    return EXIT_USAGE;
  }
}

const seedCommand: Command = {
  name: 'seed',
  summary: 'fill a sandbox database with a realistic year of cases',
  async run(args, io) {
    const values = parseOptions(args, SEED_OPTIONS);
    if (!values) {
      await writeLine(io.stdout, usage('mcu demo seed', SEED_SUMMARY, SEED_OPTIONS));
      return EXIT_OK;
    }
    const count = number(values, 'cases', 100_000, { min: 1, max: 5_000_000, integer: true });
    const months = number(values, 'months', 12, { min: 1, max: 60, integer: true });
    const seed = number(values, 'seed', 1, { min: 0, max: 2 ** 32 - 1, integer: true });
    const batch = number(values, 'batch', 5_000, { min: 100, max: 20_000, integer: true });
    const until = typeof values.until === 'string' ? new Date(values.until) : systemClock.now();
    if (Number.isNaN(until.getTime())) throw new UsageError(`--until must be an ISO 8601 date, got "${values.until}"`);
    return refusingLive(io, () =>
      withAppDatabase(async (ctx) => {
        await ensureSandbox(ctx, systemClock.now());
        const { seedDemoHistory } = await import('../demo/seed.js');
        const calendar = cityCalendar(ctx);
        const started = performance.now();
        let lastReport = 0;
        const summary = await seedDemoHistory(ctx.db as Db, ctx.domain, calendar, {
          count,
          months,
          until,
          seed,
          batch,
          onProgress: (done, total) => {
            const now = performance.now();
            if (done === total || now - lastReport > 1_000) {
              lastReport = now;
              const rate = Math.round(done / ((now - started) / 1000));
              io.stderr.write(`${done}/${total} cases (${rate}/s)\n`);
            }
          },
        });
        await writeLine(io.stdout, formatSeedSummary(summary, (performance.now() - started) / 1000));
        return EXIT_OK;
      }),
    );
  },
};

const clearCommand: Command = {
  name: 'clear',
  summary: 'delete what `demo seed` wrote',
  async run(args, io) {
    const values = parseOptions(args, {});
    if (!values) {
      await writeLine(io.stdout, usage('mcu demo clear', CLEAR_SUMMARY, {}));
      return EXIT_OK;
    }
    return refusingLive(io, () =>
      withAppDatabase(async (ctx) => {
        await ensureSandbox(ctx, systemClock.now());
        const { clearDemo } = await import('../../models/demo-seed-repository.js');
        const cleared = await clearDemo(ctx.db);
        await writeLine(
          io.stdout,
          `cases: ${cleared.cases}\nmessages: ${cleared.messages}\ncitizens: ${cleared.citizens}\nproblems: ${cleared.problems}`,
        );
        return EXIT_OK;
      }),
    );
  },
};

export const demoCommand = commandGroup('mcu demo', 'a realistic demo history for the sandbox (seed, clear)', [
  seedCommand,
  clearCommand,
]);

function cityCalendar(ctx: OfficialsContext): WorkingCalendar {
  return WorkingCalendar.forCity(ctx.domain.city, loadProductionCalendar(productionCalendarFiles(ctx.config, ctx.domain)));
}

/** What a person reads: totals, statuses, then cases per month (the seasonality at a glance). */
export function formatSeedSummary(s: SeedSummary, seconds: number): string {
  const lines = [
    `cases: ${s.cases} (${s.firstNumber} … ${s.lastNumber})`,
    `answers: ${s.answers}`,
    `held answers: ${s.held}`,
    `extensions: ${s.extensions}`,
    `polls: ${s.polls} (answered ${s.pollsAnswered})`,
    `reopenings: ${s.reopenings}`,
    `problems: ${s.problems}`,
    `statuses: ${Object.entries(s.byStatus)
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
    `time: ${seconds.toFixed(1)} s (${Math.round(s.cases / seconds)} cases/s)`,
    'per month:',
    ...s.perMonth.map(([month, n]) => `  ${month}  ${n}`),
  ];
  return lines.join('\n');
}
