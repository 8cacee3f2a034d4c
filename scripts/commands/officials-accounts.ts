/** `mcu officials list` and `mcu officials prefer`: who is bound on which messenger, and where their notices go first. */
import { INVITE_CHANNELS, type InviteChannel, officials, preferChannel } from '../../handlers/people/index.js';
import { type Command, EXIT_FAILURE, EXIT_OK, UsageError, writeLine } from '../cli/command.js';
import { parseOptions, usage } from '../cli/options.js';
import { withAppDatabase } from './officials-database.js';

/** A messenger staff can bind and prefer, from the command line. */
export function messenger(value: string): InviteChannel {
  if (!(INVITE_CHANNELS as readonly string[]).includes(value))
    throw new UsageError(`unknown messenger "${value}"; known: ${INVITE_CHANNELS.join(', ')}`);
  return value as InviteChannel;
}

export const listCommand: Command = {
  name: 'list',
  summary: 'everyone invited, with their messengers (* preferred, ! blocked)',
  async run(args, io) {
    if (!parseOptions(args, {})) {
      await writeLine(
        io.stdout,
        usage(
          'mcu officials list',
          'One line per person, tab-separated: id, active or inactive, role, department, messengers, name.\n' +
            'Messengers: "telegram*" is where notices go first, "max!" blocked the bot (not written to until bound again),\n' +
            '"-" none bound yet.',
          {},
        ),
      );
      return EXIT_OK;
    }
    return withAppDatabase(async ({ db }) => {
      for (const p of await officials({ db })) {
        const accounts = p.accounts.map(
          (a) => `${a.channel}${a.channel === p.preferredChannel ? '*' : ''}${a.blocked ? '!' : ''}`,
        );
        const state = p.active ? 'active' : 'inactive';
        await writeLine(io.stdout, [p.id, state, p.role, p.department, accounts.join(',') || '-', p.name].join('\t'));
      }
      return EXIT_OK;
    });
  },
};

const PREFER_USAGE =
  `Usage: mcu officials prefer <official id> <${INVITE_CHANNELS.join('|')}>\n\n` +
  'Cards, reminders, escalations and the morning digest go to this messenger first (the other bound one when\n' +
  'the bot is blocked there). The person must have bound it; opening an invite sets it too.';

export const preferCommand: Command = {
  name: 'prefer',
  summary: 'choose the messenger a person gets their notices on first',
  async run(args, io) {
    if (args.includes('--help') || args.includes('-h')) {
      await writeLine(io.stdout, PREFER_USAGE);
      return EXIT_OK;
    }
    const [id, channel, ...rest] = args;
    if (id === undefined || channel === undefined || rest.length > 0)
      throw new UsageError(`expected an official's id and a messenger: mcu officials prefer <id> <${INVITE_CHANNELS.join('|')}>`);
    if (!/^[1-9]\d{0,14}$/.test(id)) throw new UsageError(`an official's id is a positive whole number, got "${id}"`);
    const to = messenger(channel);
    return withAppDatabase(async ({ db }) => {
      const outcome = await preferChannel({ db }, { officialId: Number(id), channel: to, actor: { type: 'cli' } });
      // Like an unknown department for an invite: a wrong command line (exit 2).
      if (outcome.status === 'not_found') throw new UsageError(`no active official #${id}`);
      if (outcome.status === 'not_bound') {
        await writeLine(
          io.stderr,
          `mcu: official #${id} has no ${to} account bound; an invite opened in ${to} binds one (mcu officials invite --id ${id} --channel ${to})`,
        );
        return EXIT_FAILURE;
      }
      await writeLine(io.stdout, `official #${id}: notices go to ${to} first`);
      return EXIT_OK;
    });
  },
};
