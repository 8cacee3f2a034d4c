/** `mcu pages list`: the registered pages, one per line, with what the last monitoring round found. */
import { bindPages, PAGE_PLATFORMS, PAGE_STATUSES, type PageListFilters } from '../../handlers/pages/index.js';
import { systemClock } from '../../lib/clock.js';
import { type Command, EXIT_OK, UsageError, writeLine } from '../cli/command.js';
import { type OptionSpecs, type OptionValues, parseOptions, text, usage } from '../cli/options.js';
import { withAppDatabase } from './officials-database.js';

const LIST_OPTIONS: OptionSpecs = {
  owner: { type: 'string', value: '<department id>', description: 'only this department’s pages' },
  platform: { type: 'string', value: 'vk|telegram|max', description: 'only this platform' },
  status: { type: 'string', value: 'active|planned|closed', description: 'only this status' },
};

const LIST_SUMMARY =
  'One line per page, tab-separated: id, platform, status, owner department, latest score (- before the first\n' +
  'round), readable (yes, no: <reason>, - not checked yet), link, title.';

/** The list's filters from the command line, refused before the database is opened. */
export function listFilters(values: OptionValues): PageListFilters {
  const platform = text(values, 'platform');
  const status = text(values, 'status');
  if (platform && !(PAGE_PLATFORMS as readonly string[]).includes(platform))
    throw new UsageError(`unknown platform "${platform}"; known: ${PAGE_PLATFORMS.join(', ')}`);
  if (status && !(PAGE_STATUSES as readonly string[]).includes(status))
    throw new UsageError(`unknown status "${status}"; known: ${PAGE_STATUSES.join(', ')}`);
  return {
    ...(platform ? { platform: platform as PageListFilters['platform'] } : {}),
    ...(status ? { status: status as PageListFilters['status'] } : {}),
    ...(text(values, 'owner') ? { owner: text(values, 'owner') } : {}),
  };
}

export const listPagesCommand: Command = {
  name: 'list',
  summary: 'the registered pages with their latest score',
  async run(args, io) {
    const values = parseOptions(args, LIST_OPTIONS);
    if (!values) {
      await writeLine(io.stdout, usage('mcu pages list', LIST_SUMMARY, LIST_OPTIONS));
      return EXIT_OK;
    }
    const filters = listFilters(values);
    return withAppDatabase(async ({ db, domain }) => {
      if (filters.owner && !domain.departments.some((d) => d.id === filters.owner))
        throw new UsageError(`unknown department "${filters.owner}"`);
      const outcome = bindPages(() => ({ db, domain, clock: systemClock })).rows(
        { kind: 'service', actor: { type: 'cli' } },
        filters,
      );
      if (outcome.status !== 'ok') throw new Error(outcome.message);
      for await (const rows of outcome.value)
        for (const p of rows) {
          const readable = p.readable === null ? '-' : p.readable ? 'yes' : `no: ${p.unreadableReason ?? ''}`;
          const score = p.latest?.score ?? '-';
          await writeLine(
            io.stdout,
            [p.id, p.platform, p.status, p.ownerDepartment, score, readable, p.url, p.title ?? ''].join('\t'),
          );
        }
      return EXIT_OK;
    });
  },
};
