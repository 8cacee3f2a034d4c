import type { Actor } from '../../models/actor.js';
import { findPageByExternal, officialExists } from '../../models/official-page-repository.js';
import type { PagePlatform, PageStatus } from '../../models/schema.js';
import type { PageCaller } from './caller.js';
import { findDepartment, normalise, type PagePatch, type ParsedPageInput, pageInputSchema } from './input.js';
import { type PageLink, parsePageLink } from './link.js';
import { createPage, type RegistryDeps, updatePage } from './registry.js';

/**
 * `mcu pages import`: the list of pages the city keeps in a spreadsheet → the registry. Each line is a
 * page; a line that cannot be one is reported with its line number and reasons and the rest go in. A
 * page already registered (the same platform and id) is updated from its line, so the same file twice
 * creates nothing new and changes nothing the second time.
 *
 * The columns (headers in any case; «ё» = «е»; the English names work too):
 *  - «ссылка» (link) — required: the page's link, `@username`, or a chat id with «платформа»;
 *  - «владелец» (owner) — required: a department's id of the domain file, or its name or short name;
 *  - «организация» (organisation) — a subordinate organisation's name when the page is not the department's own;
 *  - «ответственный» (responsible) — a number that is the id of a person of the platform (`mcu officials
 *    list`): that person; any other text — a phone number too — who runs the page (a name and a contact);
 *    empty: nobody named;
 *  - «статус» (status) — «активна», «планируется», «закрыта» (or active, planned, closed); empty: active;
 *  - «название» (title) — the page's name as shown in lists; «платформа» (platform) — vk, telegram, max,
 *    needed only for a bare chat id.
 * A column left out of the file leaves that field of registered pages as it is; a column present with an
 * empty cell clears it.
 */

/** One line of the file: its number (for the report) and its cells by header. */
export interface ImportLine {
  line: number;
  cells: Readonly<Record<string, unknown>>;
}

export interface PageImportSummary {
  created: number;
  updated: number;
  unchanged: number;
  rejected: { line: number; reasons: string[] }[];
}

export type PageImportOutcome =
  | { status: 'done'; summary: PageImportSummary }
  | { status: 'wrong_format'; missing: string[]; known: string[] };

type Field = 'link' | 'owner' | 'organisation' | 'responsible' | 'status' | 'title' | 'platform';

/** The headers each field is read from, the Russian first (as documented). */
export const PAGE_IMPORT_COLUMNS: Readonly<Record<Field, readonly string[]>> = {
  link: ['ссылка', 'link'],
  owner: ['владелец', 'owner'],
  organisation: ['организация', 'organisation', 'organization'],
  responsible: ['ответственный', 'responsible'],
  status: ['статус', 'status'],
  title: ['название', 'title'],
  platform: ['платформа', 'platform'],
};
const REQUIRED: readonly Field[] = ['link', 'owner'];
/** The column a field of the page's input comes from, for the per-line reasons. */
const COLUMN_OF: Readonly<Record<string, string>> = {
  link: 'ссылка',
  platform: 'платформа',
  title: 'название',
  ownerDepartment: 'владелец',
  organisation: 'организация',
  responsibleOfficialId: 'ответственный',
  responsibleName: 'ответственный',
  status: 'статус',
};

const STATUS_WORDS: Readonly<Record<string, PageStatus>> = {
  активна: 'active',
  активная: 'active',
  действует: 'active',
  active: 'active',
  планируется: 'planned',
  план: 'planned',
  planned: 'planned',
  закрыта: 'closed',
  закрыт: 'closed',
  closed: 'closed',
};
const PLATFORM_WORDS: Readonly<Record<string, PagePlatform>> = {
  vk: 'vk',
  вк: 'vk',
  вконтакте: 'vk',
  telegram: 'telegram',
  телеграм: 'telegram',
  max: 'max',
  макс: 'max',
};

const text = (v: unknown): string =>
  v === null || v === undefined ? '' : v instanceof Date ? v.toISOString() : String(v).trim();

/** Which header of the file each field is in (null: the file has no such column). */
function columnsOf(header: readonly string[]): Record<Field, string | null> {
  const byName = new Map(header.map((h) => [normalise(h), h]));
  return Object.fromEntries(
    (Object.keys(PAGE_IMPORT_COLUMNS) as Field[]).map((f) => [
      f,
      PAGE_IMPORT_COLUMNS[f].map((n) => byName.get(n)).find((h) => h !== undefined) ?? null,
    ]),
  ) as Record<Field, string | null>;
}

type Parsed = { input: ParsedPageInput; present: Set<Field>; link: PageLink } | { reasons: string[] };

/** A line → the page it describes, or why it cannot be one. */
function parseLine(deps: RegistryDeps, columns: Record<Field, string | null>, line: ImportLine): Parsed {
  const cell = (f: Field) => (columns[f] ? text(line.cells[columns[f] as string]) : '');
  const present = new Set((Object.keys(columns) as Field[]).filter((f) => columns[f] !== null));
  const reasons: string[] = [];
  const platformWord = cell('platform');
  const platform = platformWord === '' ? undefined : PLATFORM_WORDS[normalise(platformWord)];
  if (platformWord !== '' && !platform) reasons.push(`платформа: "${platformWord}" — not vk, telegram or max`);
  // The link is checked with the other cells, so a line is reported with every reason at once.
  const linked = cell('link') === '' ? null : parsePageLink(cell('link'), platform);
  if (linked && linked.status !== 'ok') reasons.push(`ссылка: ${linked.message}`);
  const statusWord = cell('status');
  const status = statusWord === '' ? 'active' : STATUS_WORDS[normalise(statusWord)];
  if (!status) reasons.push(`статус: "${statusWord}" — not «активна», «планируется» or «закрыта»`);
  const ownerWord = cell('owner');
  const owner = ownerWord === '' ? undefined : findDepartment(deps.domain, ownerWord);
  if (!owner) reasons.push(ownerWord === '' ? 'владелец: empty' : `владелец: unknown department "${ownerWord}"`);
  const responsible = cell('responsible');
  const official = /^\d{1,15}$/.test(responsible) ? Number(responsible) : null;
  const raw = {
    link: cell('link'),
    ...(platform ? { platform } : {}),
    ...(cell('title') ? { title: cell('title') } : {}),
    ownerDepartment: owner?.id ?? 'unknown',
    ...(cell('organisation') ? { organisation: cell('organisation') } : {}),
    ...(official !== null ? { responsibleOfficialId: official } : responsible ? { responsibleName: responsible } : {}),
    status: status ?? 'active',
  };
  const parsed = pageInputSchema.safeParse(raw);
  if (!parsed.success)
    for (const issue of parsed.error.issues) {
      // An empty link is the schema's to report; a link it refused was reported above.
      if (issue.path[0] === 'link' && linked) continue;
      reasons.push(`${COLUMN_OF[String(issue.path[0])] ?? 'line'}: ${issue.message}`);
    }
  if (reasons.length > 0 || !parsed.success || linked?.status !== 'ok') return { reasons };
  return { input: parsed.data, present, link: linked.link };
}

/** The registered page's changes this line asks for: the columns the file has, empty cells clearing. */
function patchOf(input: ParsedPageInput, present: Set<Field>): PagePatch {
  return {
    ownerDepartment: input.ownerDepartment,
    ...(present.has('title') ? { title: input.title ?? null } : {}),
    ...(present.has('organisation') ? { organisation: input.organisation ?? null } : {}),
    ...(present.has('responsible')
      ? { responsibleOfficialId: input.responsibleOfficialId ?? null, responsibleName: input.responsibleName ?? null }
      : {}),
    ...(present.has('status') ? { status: input.status } : {}),
  };
}

/** Imports the lines of a file with `header`; `actor` is who the audit trail names (the CLI: `cli`). */
export async function importPages(
  deps: RegistryDeps,
  file: { header: readonly string[]; rows: readonly ImportLine[]; actor: Actor; onProgress?: (done: number) => void },
): Promise<PageImportOutcome> {
  const columns = columnsOf(file.header);
  const missing = REQUIRED.filter((f) => columns[f] === null).map((f) => PAGE_IMPORT_COLUMNS[f][0] as string);
  if (missing.length > 0)
    return { status: 'wrong_format', missing, known: Object.values(PAGE_IMPORT_COLUMNS).map((n) => n[0] as string) };
  const caller: PageCaller = { kind: 'service', actor: file.actor };
  const summary: PageImportSummary = { created: 0, updated: 0, unchanged: 0, rejected: [] };
  const seen = new Map<string, number>();
  let done = 0;
  for (const line of file.rows) {
    // A blank line (a spreadsheet's trailing rows) is no page and no mistake.
    if (Object.values(line.cells).every((v) => text(v) === '')) {
      file.onProgress?.(++done);
      continue;
    }
    const outcome = await importLine(deps, caller, columns, line, seen);
    if (outcome === 'created' || outcome === 'updated' || outcome === 'unchanged') summary[outcome]++;
    else summary.rejected.push({ line: line.line, reasons: outcome });
    file.onProgress?.(++done);
  }
  return { status: 'done', summary };
}

async function importLine(
  deps: RegistryDeps,
  caller: PageCaller,
  columns: Record<Field, string | null>,
  line: ImportLine,
  seen: Map<string, number>,
): Promise<'created' | 'updated' | 'unchanged' | string[]> {
  const parsed = parseLine(deps, columns, line);
  if ('reasons' in parsed) return parsed.reasons;
  const link = { link: parsed.link };
  // A number in «ответственный» is a person of the platform only when there is one with that id; otherwise
  // it is what the city wrote — a phone number, a code — kept as the name and contact.
  const official = parsed.input.responsibleOfficialId;
  if (typeof official === 'number' && !(await officialExists(deps.db, official))) {
    const { responsibleOfficialId: _, ...rest } = parsed.input;
    parsed.input = { ...rest, responsibleName: columns.responsible ? text(line.cells[columns.responsible]) : String(official) };
  }
  const key = `${link.link.platform}:${link.link.externalId.toLowerCase()}`;
  const earlier = seen.get(key);
  if (earlier !== undefined) return [`ссылка: the same page as line ${earlier}`];
  seen.set(key, line.line);
  const existing = await findPageByExternal(deps.db, link.link.platform, link.link.externalId);
  const outcome = existing
    ? await updatePage(deps, caller, existing.id, patchOf(parsed.input, parsed.present))
    : await createPage(deps, caller, parsed.input);
  if (outcome.status !== 'ok') {
    const field = 'field' in outcome && outcome.field ? outcome.field : null;
    return [`${field ? `${COLUMN_OF[field] ?? field}: ` : ''}${outcome.message}`];
  }
  if (!existing) return 'created';
  return outcome.value.updatedAt.getTime() === existing.updatedAt.getTime() ? 'unchanged' : 'updated';
}
