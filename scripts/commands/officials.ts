/** `mcu officials …`: invite officials and МЦУ staff, list them, choose the messenger their notices go to first. */
import type { AppConfig } from '../../config/index.js';
import { INVITE_CHANNELS, type InviteChannel, inviteAgain, inviteLink, inviteOfficial } from '../../handlers/people/index.js';
import { systemClock } from '../../lib/clock.js';
import { type Command, commandGroup, EXIT_FAILURE, EXIT_OK, UsageError, writeLine } from '../cli/command.js';
import { type OptionSpecs, type OptionValues, parseOptions, text, usage } from '../cli/options.js';
import { listCommand, messenger, preferCommand } from './officials-accounts.js';
import { withAppDatabase } from './officials-database.js';
import { loginCommand } from './officials-login.js';

const SUMMARY =
  'Create an official (or МЦУ staff member) and print a single-use invite link, valid 72 hours; with --id, a new\n' +
  'invite for someone already invited (to bind a second messenger). Opening the link in Telegram or MAX binds\n' +
  'that account, and that messenger becomes where the person gets cards first. Uses DATABASE_URL, or the\n' +
  'embedded PostgreSQL under DATA_DIR (as npm start does).';

const OPTIONS: OptionSpecs = {
  name: { type: 'string', value: '"<full name>"', description: 'how the person is addressed (a new person)' },
  department: { type: 'string', value: '<id>', description: 'department id from the domain file (config/barnaul.yaml)' },
  role: {
    type: 'string',
    value: '<role>',
    description: 'curator, head, coordinator, block_owner, operator, department_head or official',
  },
  id: { type: 'string', value: '<official id>', description: 'instead of name, department and role: invite this person again' },
  channel: { type: 'string', value: INVITE_CHANNELS.join('|'), description: 'the messenger the link opens (default: telegram)' },
  bot: {
    type: 'string',
    value: '<username>',
    description: "the bot's username on that messenger (default: asked from its Bot API)",
  },
};

const ID = /^[1-9]\d{0,14}$/;

/** Who to invite: a new person, or (with --id) one already invited; refused before the database is opened. */
function target(values: OptionValues): { officialId: number } | { name: string; department: string; role: string } {
  const id = text(values, 'id');
  const given = ['name', 'department', 'role'].filter((o) => text(values, o) !== '');
  if (id !== '') {
    if (!ID.test(id)) throw new UsageError(`--id must be an official's id (a positive whole number), got "${id}"`);
    if (given.length > 0) throw new UsageError(`--id invites someone already invited: leave out --${given.join(', --')}`);
    return { officialId: Number(id) };
  }
  const missing = ['name', 'department', 'role'].filter((o) => !given.includes(o));
  if (missing.length > 0)
    throw new UsageError(`missing required option${missing.length > 1 ? 's' : ''} --${missing.join(', --')}`);
  return { name: text(values, 'name'), department: text(values, 'department'), role: text(values, 'role') };
}

const inviteCommand: Command = {
  name: 'invite',
  summary: 'invite an official: prints a https://t.me/<bot>?start=<token> (or https://max.ru/…) link',
  async run(args, io) {
    const values = parseOptions(args, OPTIONS);
    if (!values) {
      await writeLine(io.stdout, usage('mcu officials invite', SUMMARY, OPTIONS));
      return EXIT_OK;
    }
    const who = target(values);
    const channel = messenger(text(values, 'channel') || 'telegram');
    try {
      return await withAppDatabase(async ({ config, domain, db }) => {
        const deps = { db, clock: systemClock, domain };
        const outcome =
          'officialId' in who
            ? await inviteAgain(deps, { officialId: who.officialId, actor: { type: 'cli' } })
            : await inviteOfficial(deps, { ...who, actor: { type: 'cli' } });
        if (outcome.status === 'not_found') throw new UsageError(`no active official #${text(values, 'id')}`);
        if (outcome.status === 'unknown_department') throw new UsageError(`unknown department "${text(values, 'department')}"`);
        if (outcome.status === 'unknown_role')
          throw new UsageError(`unknown role "${text(values, 'role')}"; known: ${outcome.known.join(', ')}`);
        // The command line invites as an administrator (any role); the branch is for the type.
        if (outcome.status === 'role_not_grantable') throw new UsageError(`role "${text(values, 'role')}" may not be granted`);
        const bot = text(values, 'bot') || (await botUsername(channel, config));
        await writeLine(io.stdout, inviteLink(channel, bot ?? '<bot>', outcome.token));
        await writeLine(
          io.stderr,
          `official #${outcome.officialId}; the link works once, until ${outcome.expiresAt.toISOString()}`,
        );
        return EXIT_OK;
      });
    } catch (error) {
      if (error instanceof UsageError) throw error;
      await writeLine(io.stderr, `mcu: ${(error as Error).message}`);
      return EXIT_FAILURE;
    }
  },
};

/** The bot's username from its messenger's API (Telegram getMe, MAX GET /me); null without a token or an answer. */
async function botUsername(channel: InviteChannel, config: Readonly<AppConfig>): Promise<string | null> {
  try {
    if (channel === 'max') {
      if (!config.max) return null;
      const response = await fetch(`${config.max.apiBaseUrl}/me`, { headers: { Authorization: config.max.token } });
      const body = (await response.json()) as { username?: string | null };
      return response.ok ? (body.username ?? null) : null;
    }
    if (!config.telegram) return null;
    const response = await fetch(`${config.telegram.apiRoot}/bot${config.telegram.token}/getMe`);
    const body = (await response.json()) as { ok: boolean; result?: { username?: string } };
    return body.ok ? (body.result?.username ?? null) : null;
  } catch {
    return null;
  }
}

export const officialsCommand: Command = commandGroup('mcu officials', 'invite officials and МЦУ staff', [
  inviteCommand,
  listCommand,
  preferCommand,
  loginCommand,
]);
