/** `mcu officials …`: invite officials and МЦУ staff (a single-use, expiring t.me link). */
import { loadDomainConfig } from '../../config/domain.js';
import { loadConfig, readEnvironment } from '../../config/index.js';
import { inviteLink, inviteOfficial } from '../../handlers/people/index.js';
import { systemClock } from '../../lib/clock.js';
import { openDatabase } from '../../models/database.js';
import { startEmbeddedPostgres } from '../../models/embedded-postgres.js';
import { migrateToLatest } from '../../models/migrate.js';
import { type Command, commandGroup, EXIT_FAILURE, EXIT_OK, UsageError, writeLine } from '../cli/command.js';
import { type OptionSpecs, parseOptions, text, usage } from '../cli/options.js';

const SUMMARY =
  'Create an official (or МЦУ staff member) and print a single-use invite link, valid 72 hours. Opening it in\n' +
  'Telegram binds that account. Uses DATABASE_URL, or the embedded PostgreSQL under DATA_DIR (as npm start does).';

const OPTIONS: OptionSpecs = {
  name: { type: 'string', value: '"<full name>"', description: 'how the person is addressed', required: true },
  department: {
    type: 'string',
    value: '<id>',
    description: 'department id from the domain file (config/barnaul.yaml)',
    required: true,
  },
  role: {
    type: 'string',
    value: '<role>',
    description: 'curator, head, coordinator, block_owner, operator, department_head or official',
    required: true,
  },
  bot: {
    type: 'string',
    value: '<username>',
    description: "the bot's Telegram username for the link (default: asked from the Bot API)",
  },
};

const inviteCommand: Command = {
  name: 'invite',
  summary: 'invite an official: prints a https://t.me/<bot>?start=<token> link',
  async run(args, io) {
    const values = parseOptions(args, OPTIONS);
    if (!values) {
      await writeLine(io.stdout, usage('mcu officials invite', SUMMARY, OPTIONS));
      return EXIT_OK;
    }
    const config = loadConfig(readEnvironment());
    const domain = loadDomainConfig(config.domainConfigPath);
    const embedded = config.databaseUrl ? null : await startEmbeddedPostgres({ dataDir: config.dataDir });
    const handle = openDatabase({ connectionString: config.databaseUrl ?? embedded?.connectionString ?? '' });
    try {
      await migrateToLatest(handle.db);
      const outcome = await inviteOfficial(
        { db: handle.db, clock: systemClock, domain },
        {
          name: text(values, 'name'),
          department: text(values, 'department'),
          role: text(values, 'role'),
          actor: { type: 'cli' },
        },
      );
      if (outcome.status === 'unknown_department') throw new UsageError(`unknown department "${text(values, 'department')}"`);
      if (outcome.status === 'unknown_role')
        throw new UsageError(`unknown role "${text(values, 'role')}"; known: ${outcome.known.join(', ')}`);
      const bot = text(values, 'bot') || (await botUsername(config.telegram));
      await writeLine(io.stdout, bot ? inviteLink(bot, outcome.token) : `https://t.me/<bot>?start=${outcome.token}`);
      await writeLine(
        io.stderr,
        `official #${outcome.officialId}; the link works once, until ${outcome.expiresAt.toISOString()}`,
      );
      return EXIT_OK;
    } catch (error) {
      if (error instanceof UsageError) throw error;
      await writeLine(io.stderr, `mcu: ${(error as Error).message}`);
      return EXIT_FAILURE;
    } finally {
      await handle.close();
      await embedded?.stop();
    }
  },
};

async function botUsername(telegram: ReturnType<typeof loadConfig>['telegram']): Promise<string | null> {
  if (!telegram) return null;
  try {
    const response = await fetch(`${telegram.apiRoot}/bot${telegram.token}/getMe`);
    const body = (await response.json()) as { ok: boolean; result?: { username?: string } };
    return body.ok ? (body.result?.username ?? null) : null;
  } catch {
    return null;
  }
}

export const officialsCommand: Command = commandGroup('mcu officials', 'invite officials and МЦУ staff', [inviteCommand]);
