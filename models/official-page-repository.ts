import { sql } from 'kysely';
import type { Executor } from './database.js';
import type { PagePlatform, PageStatus } from './schema.js';

/**
 * The registry of official pages (migration 0034, docs/architecture/official-pages.md): the only SQL of
 * `official_page` outside monitoring, and the reads of what monitoring wrote — the latest
 * `page_snapshot` per page, the last `page_post`, the unanswered `page_comment`s — for the lists, the
 * exports and the weekly report. Monitoring (handlers/page-monitoring) writes those tables; the two
 * agree by the tables, not by code.
 */

export const PAGE_PLATFORMS = ['vk', 'telegram', 'max'] as const satisfies readonly PagePlatform[];
export const PAGE_STATUSES = ['active', 'planned', 'closed'] as const satisfies readonly PageStatus[];

/** What the registry's writes set (the monitoring columns are monitoring's). */
export interface PageFields {
  platform: PagePlatform;
  externalId: string;
  url: string;
  title: string | null;
  ownerDepartment: string;
  organisation: string | null;
  responsibleOfficialId: number | null;
  responsibleName: string | null;
  status: PageStatus;
}

/** A page as the registry keeps it: what its writes set, and what monitoring marks. */
export interface PageRow extends PageFields {
  id: number;
  readable: boolean | null;
  unreadableReason: string | null;
  lastCheckedAt: Date | null;
  goneAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** One monitoring round's result as the lists show it (null score: the page could not be read). */
export interface PageSnapshot {
  takenAt: Date;
  readable: boolean;
  reason: string | null;
  score: number | null;
  figures: Record<string, unknown>;
}

/** A page with what the lists add: the responsible person's name, the last post, the latest snapshot. */
export interface PageListing extends PageRow {
  responsibleOfficialName: string | null;
  lastPostAt: Date | null;
  latest: PageSnapshot | null;
}

export interface PageFilters {
  platform?: PagePlatform | undefined;
  owner?: string | undefined;
  status?: PageStatus | undefined;
}

const pageColumns = [
  'p.id',
  'p.platform',
  'p.external_id as externalId',
  'p.url',
  'p.title',
  'p.owner_department as ownerDepartment',
  'p.organisation',
  'p.responsible_official_id as responsibleOfficialId',
  'p.responsible_name as responsibleName',
  'p.status',
  'p.readable',
  'p.unreadable_reason as unreadableReason',
  'p.last_checked_at as lastCheckedAt',
  'p.gone_at as goneAt',
  'p.created_at as createdAt',
  'p.updated_at as updatedAt',
] as const;

const toColumns = (f: Partial<PageFields>) => ({
  ...(f.platform !== undefined ? { platform: f.platform } : {}),
  ...(f.externalId !== undefined ? { external_id: f.externalId } : {}),
  ...(f.url !== undefined ? { url: f.url } : {}),
  ...(f.title !== undefined ? { title: f.title } : {}),
  ...(f.ownerDepartment !== undefined ? { owner_department: f.ownerDepartment } : {}),
  ...(f.organisation !== undefined ? { organisation: f.organisation } : {}),
  ...(f.responsibleOfficialId !== undefined ? { responsible_official_id: f.responsibleOfficialId } : {}),
  ...(f.responsibleName !== undefined ? { responsible_name: f.responsibleName } : {}),
  ...(f.status !== undefined ? { status: f.status } : {}),
});

/** True for PostgreSQL's unique violation (the (platform, lower(external_id)) index, raced). */
export function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === '23505';
}

/** Inserts a page; undefined when the same platform and id (any case) is registered already. */
export async function insertPage(db: Executor, fields: PageFields, at: Date): Promise<PageRow | undefined> {
  const inserted = await db
    .insertInto('official_page')
    .values({
      platform: fields.platform,
      external_id: fields.externalId,
      url: fields.url,
      title: fields.title,
      owner_department: fields.ownerDepartment,
      organisation: fields.organisation,
      responsible_official_id: fields.responsibleOfficialId,
      responsible_name: fields.responsibleName,
      status: fields.status,
      created_at: at,
      updated_at: at,
    })
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted ? findPage(db, inserted.id) : undefined;
}

/** Changes the registry's fields of a page (a unique violation is thrown: see isUniqueViolation). */
export async function updatePage(db: Executor, id: number, fields: Partial<PageFields>, at: Date): Promise<PageRow | undefined> {
  const updated = await db
    .updateTable('official_page')
    .set({ ...toColumns(fields), updated_at: at })
    .where('id', '=', id)
    .returning('id')
    .executeTakeFirst();
  return updated ? findPage(db, updated.id) : undefined;
}

export async function findPage(db: Executor, id: number): Promise<PageRow | undefined> {
  return db.selectFrom('official_page as p').select(pageColumns).where('p.id', '=', id).executeTakeFirst();
}

/** The page registered with this platform id, whatever its case (the unique index's rule). */
export async function findPageByExternal(db: Executor, platform: PagePlatform, externalId: string): Promise<PageRow | undefined> {
  return db
    .selectFrom('official_page as p')
    .select(pageColumns)
    .where('p.platform', '=', platform)
    .where(sql<string>`lower(p.external_id)`, '=', externalId.toLowerCase())
    .executeTakeFirst();
}

/** Locks a page for a change (two edits of one page wait for each other). */
export async function lockPage(db: Executor, id: number): Promise<PageRow | undefined> {
  return db.selectFrom('official_page as p').select(pageColumns).where('p.id', '=', id).forUpdate().executeTakeFirst();
}

/** Whether an official with this id exists (active or not: the registry names who ran the page). */
export async function officialExists(db: Executor, id: number): Promise<boolean> {
  return (await db.selectFrom('official').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
}

// ---------------------------------------------------------------------------------------------
// Lists with the latest figures
// ---------------------------------------------------------------------------------------------

type Row = Record<string, unknown>;

const numeric = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

function listingOf(r: Row): PageListing {
  const { responsibleOfficialName, lastPostAt, snapTakenAt, snapReadable, snapReason, snapScore, snapFigures, ...page } = r;
  return {
    ...(page as unknown as PageRow),
    responsibleOfficialName: (responsibleOfficialName as string | null) ?? null,
    lastPostAt: (lastPostAt as Date | null) ?? null,
    latest:
      snapTakenAt === null || snapTakenAt === undefined
        ? null
        : {
            takenAt: snapTakenAt as Date,
            readable: Boolean(snapReadable),
            reason: (snapReason as string | null) ?? null,
            score: numeric(snapScore),
            figures: (snapFigures as Record<string, unknown> | null) ?? {},
          },
  };
}

/**
 * Pages with the responsible person's name, the last post's time and the latest snapshot (score and
 * figures), by id, `limit` after the id `after` (keyset; a registry has hundreds of pages, not millions).
 */
export async function listPages(
  db: Executor,
  filters: PageFilters,
  page: { limit: number; after?: number | undefined },
): Promise<PageListing[]> {
  let query = db
    .selectFrom('official_page as p')
    .leftJoin('official as o', 'o.id', 'p.responsible_official_id')
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom('page_snapshot as s')
          .select(['s.taken_at', 's.readable', 's.reason', 's.score', 's.figures'])
          .whereRef('s.page_id', '=', 'p.id')
          .orderBy('s.taken_at', 'desc')
          .orderBy('s.id', 'desc')
          .limit(1)
          .as('latest'),
      (join) => join.onTrue(),
    )
    .select(pageColumns)
    .select((eb) => [
      'o.name as responsibleOfficialName',
      eb
        .selectFrom('page_post as pp')
        .select((e) => e.fn.max('pp.posted_at').as('m'))
        .whereRef('pp.page_id', '=', 'p.id')
        .as('lastPostAt'),
      'latest.taken_at as snapTakenAt',
      'latest.readable as snapReadable',
      'latest.reason as snapReason',
      'latest.score as snapScore',
      'latest.figures as snapFigures',
    ])
    .orderBy('p.id')
    .limit(page.limit);
  if (filters.platform) query = query.where('p.platform', '=', filters.platform);
  if (filters.owner) query = query.where('p.owner_department', '=', filters.owner);
  if (filters.status) query = query.where('p.status', '=', filters.status);
  if (page.after !== undefined) query = query.where('p.id', '>', page.after);
  return (await query.execute()).map((r) => listingOf(r as Row));
}

/** One page as the lists show it. */
export async function findPageListing(db: Executor, id: number): Promise<PageListing | undefined> {
  const [found] = await listPages(db, {}, { limit: 1, after: id - 1 });
  return found?.id === id ? found : undefined;
}

/** Every page of `filters`, a page of `size` at a time (the exports). */
export async function* pageListingPages(db: Executor, filters: PageFilters, size = 500): AsyncGenerator<PageListing[]> {
  let after: number | undefined;
  for (;;) {
    const rows = await listPages(db, filters, { limit: size, after });
    if (rows.length > 0) yield rows;
    if (rows.length < size) return;
    after = rows[rows.length - 1]?.id;
  }
}

/** A page's monitoring rounds, newest first (closing a page keeps them). */
export async function pageSnapshots(db: Executor, pageId: number, limit: number): Promise<PageSnapshot[]> {
  const rows = await db
    .selectFrom('page_snapshot')
    .select(['taken_at as takenAt', 'readable', 'reason', 'score', 'figures'])
    .where('page_id', '=', pageId)
    .orderBy('taken_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ ...r, score: numeric(r.score), figures: r.figures ?? {} }));
}

// ---------------------------------------------------------------------------------------------
// The weekly report's figures
// ---------------------------------------------------------------------------------------------

/** The active pages of a department (null: all) with their state for the report. */
export async function activePageHealth(
  db: Executor,
  department: string | null,
): Promise<
  {
    id: number;
    readable: boolean | null;
    lastCheckedAt: Date | null;
    lastPostAt: Date | null;
    score: number | null;
    /** The latest snapshot's `figures.silent` (monitoring's rule: a channel observed too briefly is not silent). */
    silent: boolean;
  }[]
> {
  const rows = await listPagesAll(db, { status: 'active', ...(department ? { owner: department } : {}) });
  return rows.map((p) => ({
    id: p.id,
    readable: p.readable,
    lastCheckedAt: p.lastCheckedAt,
    lastPostAt: p.lastPostAt,
    score: p.latest?.score ?? null,
    silent: p.latest?.readable === true && (p.latest.figures as { silent?: unknown }).silent === true,
  }));
}

async function listPagesAll(db: Executor, filters: PageFilters): Promise<PageListing[]> {
  const all: PageListing[] = [];
  for await (const rows of pageListingPages(db, filters)) all.push(...rows);
  return all;
}

/**
 * Citizens' comments with no reply from the page, made in [from, to), under these pages' posts of the window
 * (from on): a post older than that is no longer read, so its replies could not be seen (as the snapshots count).
 */
export async function unansweredComments(
  db: Executor,
  pageIds: readonly number[],
  period: { from: Date; to: Date },
): Promise<{ pageId: number; createdAt: Date }[]> {
  if (pageIds.length === 0) return [];
  return db
    .selectFrom('page_comment as pc')
    .innerJoin('page_post as pp', (j) => j.onRef('pp.page_id', '=', 'pc.page_id').onRef('pp.post_id', '=', 'pc.post_id'))
    .select(['pc.page_id as pageId', 'pc.created_at as createdAt'])
    .where('pc.page_id', 'in', [...pageIds])
    .where('pc.replied_at', 'is', null)
    .where('pc.created_at', '>=', period.from)
    .where('pc.created_at', '<', period.to)
    .where('pp.posted_at', '>=', period.from)
    .execute();
}
