/** `mcu officials login`: a one-time link to the web console for a person, printed on the server's shell. */
import { issueLoginLinkFor } from '../../handlers/people/index.js';
import { systemClock } from '../../lib/clock.js';
import { listOfficials } from '../../models/people-repository.js';
import { type Command, EXIT_OK, UsageError, writeLine } from '../cli/command.js';
import { type OptionSpecs, parseOptions, text, usage } from '../cli/options.js';
import { withAppDatabase } from './officials-database.js';

const SUMMARY =
  'Print a one-time link to the web console (CONSOLE_URL/login/<token>, valid 5 minutes) for an active person —\n' +
  'what /login in the staff bot sends, for whoever has the server: the first operator before a bot is bound, or\n' +
  'the sandbox (--role operator picks its operator). The link is printed, never logged.';

const OPTIONS: OptionSpecs = {
  id: { type: 'string', value: '<official id>', description: 'the person (see "mcu officials list")' },
  role: { type: 'string', value: '<role>', description: 'instead of --id: the first active person with this role' },
};

export const loginCommand: Command = {
  name: 'login',
  summary: 'print a one-time web console link for a person (5 minutes)',
  async run(args, io) {
    const values = parseOptions(args, OPTIONS);
    if (!values) {
      await writeLine(io.stdout, usage('mcu officials login', SUMMARY, OPTIONS));
      return EXIT_OK;
    }
    const id = text(values, 'id');
    const role = text(values, 'role');
    if ((id === '') === (role === '')) throw new UsageError('give either --id or --role');
    if (id !== '' && !/^[1-9]\d{0,14}$/.test(id)) throw new UsageError(`--id must be an official's id, got "${id}"`);
    return withAppDatabase(async ({ config, db }) => {
      const officialId = id !== '' ? Number(id) : (await listOfficials(db)).find((p) => p.active && p.role === role)?.id;
      if (officialId === undefined) throw new UsageError(`no active person with the role "${role}"`);
      const issued = await issueLoginLinkFor({ db, clock: systemClock }, { officialId, actor: { type: 'cli' } });
      if (issued.status !== 'issued') throw new UsageError(`no active official #${officialId}`);
      await writeLine(io.stdout, `${config.consoleUrl}/login/${issued.token}`);
      await writeLine(io.stderr, `official #${officialId}; the link works once, until ${issued.expiresAt.toISOString()}`);
      return EXIT_OK;
    });
  },
};
