import { appendAudit } from '../../models/audit-repository.js';
import type { Executor } from '../../models/database.js';
import {
  findPageByExternal,
  findPageListing,
  insertPage,
  isUniqueViolation,
  lockPage,
  officialExists,
  type PageFields,
  type PageRow,
  updatePage as updatePageRow,
} from '../../models/official-page-repository.js';
import type { HandlerDeps } from '../deps.js';
import { actorOfCaller, mayWrite, type PageCaller } from './caller.js';
import type { PagePatch, ParsedPageInput } from './input.js';
import { type PageLink, parsePageLink } from './link.js';
import { exists, forbidden, invalid, notFound, ok, type PageOutcome, type PageRefusal } from './outcome.js';
import { type PageView, viewOf } from './view.js';

export type RegistryDeps = Pick<HandlerDeps, 'db' | 'clock' | 'domain'>;

const mayNotWrite = (): PageRefusal => forbidden('your role may not change the registry of official pages (people:manage)');

/** The link parsed, or the refusal naming `link`. */
export function linkOf(link: string, platform: PageLink['platform'] | undefined): PageLink | PageRefusal {
  const parsed = parsePageLink(link, platform);
  return parsed.status === 'ok' ? parsed.link : invalid('INVALID_LINK', parsed.message, 'link');
}

/** What zod cannot know: the department is one of the domain file's, the official exists. */
async function checkRefs(
  deps: RegistryDeps,
  db: Executor,
  f: { ownerDepartment?: string | undefined; responsibleOfficialId?: number | null | undefined },
): Promise<PageRefusal | null> {
  if (f.ownerDepartment !== undefined && !deps.domain.departments.some((d) => d.id === f.ownerDepartment))
    return invalid(
      'UNKNOWN_DEPARTMENT',
      `unknown department "${f.ownerDepartment}": the owner is a department id of the domain file`,
      'ownerDepartment',
    );
  if (typeof f.responsibleOfficialId === 'number' && !(await officialExists(db, f.responsibleOfficialId)))
    return invalid('UNKNOWN_OFFICIAL', `unknown official ${f.responsibleOfficialId}`, 'responsibleOfficialId');
  return null;
}

const isRefusal = (v: PageLink | PageRefusal | null): v is PageRefusal => v !== null && 'code' in v;

async function viewById(deps: RegistryDeps, db: Executor, id: number): Promise<PageView> {
  const listing = await findPageListing(db, id);
  if (!listing) throw new Error(`page ${id} vanished inside its own transaction`);
  return viewOf(listing, deps.domain);
}

/** Registers a page; the same platform and id twice is a conflict naming the page registered. */
export async function createPage(deps: RegistryDeps, caller: PageCaller, input: ParsedPageInput): Promise<PageOutcome<PageView>> {
  if (!mayWrite(caller)) return mayNotWrite();
  const link = linkOf(input.link, input.platform);
  if (isRefusal(link)) return link;
  const refusal = await checkRefs(deps, deps.db, input);
  if (refusal) return refusal;
  const fields: PageFields = {
    ...link,
    title: input.title ?? null,
    ownerDepartment: input.ownerDepartment,
    organisation: input.organisation ?? null,
    responsibleOfficialId: input.responsibleOfficialId ?? null,
    responsibleName: input.responsibleName ?? null,
    status: input.status,
  };
  return deps.db.transaction().execute(async (tx) => {
    const row = await insertPage(tx, fields, deps.clock.now());
    if (!row) {
      const existing = await findPageByExternal(tx, link.platform, link.externalId);
      return exists(existing?.id ?? 0, `${link.platform} ${existing?.externalId ?? link.externalId}`);
    }
    await appendAudit(tx, {
      actor: actorOfCaller(caller),
      action: 'page.created',
      entity: 'official_page',
      entityId: row.id,
      details: { platform: row.platform, externalId: row.externalId, owner: row.ownerDepartment, status: row.status },
    });
    return ok(await viewById(deps, tx, row.id));
  });
}

/** The registry's fields a patch changes (those equal to the page's are left out). */
function changes(page: PageRow, patch: PagePatch, link: PageLink | null): Partial<PageFields> {
  const next: Partial<PageFields> = {
    ...(link ?? {}),
    ...(patch.title !== undefined ? { title: patch.title } : {}),
    ...(patch.ownerDepartment !== undefined ? { ownerDepartment: patch.ownerDepartment } : {}),
    ...(patch.organisation !== undefined ? { organisation: patch.organisation } : {}),
    ...(patch.responsibleOfficialId !== undefined ? { responsibleOfficialId: patch.responsibleOfficialId } : {}),
    ...(patch.responsibleName !== undefined ? { responsibleName: patch.responsibleName } : {}),
    ...(patch.status !== undefined ? { status: patch.status } : {}),
  };
  return Object.fromEntries(
    Object.entries(next).filter(([key, value]) => page[key as keyof PageFields] !== value),
  ) as Partial<PageFields>;
}

/**
 * Changes a page (its link too: parsed and checked for a duplicate like a new one). Closing is
 * `status: 'closed'`: the page stays, with its snapshots, posts and comments, and monitoring leaves it.
 */
export async function updatePage(
  deps: RegistryDeps,
  caller: PageCaller,
  id: number,
  patch: PagePatch,
): Promise<PageOutcome<PageView>> {
  if (!mayWrite(caller)) return mayNotWrite();
  const link = patch.link !== undefined ? linkOf(patch.link, patch.platform) : null;
  if (isRefusal(link)) return link;
  const refusal = await checkRefs(deps, deps.db, patch);
  if (refusal) return refusal;
  try {
    return await deps.db.transaction().execute(async (tx) => {
      const page = await lockPage(tx, id);
      if (!page) return notFound(id);
      const changed = changes(page, patch, link);
      if (Object.keys(changed).length === 0) return ok(await viewById(deps, tx, id));
      if (changed.externalId !== undefined || changed.platform !== undefined) {
        // Another community under the same page would mix its posts and comments into this one's history.
        if (changed.externalId?.toLowerCase() !== page.externalId.toLowerCase() || changed.platform !== undefined)
          return invalid(
            'LINK_CHANGE',
            'link: a page cannot move to another community or channel; register the new one and close this page',
            'link',
          );
        const other = await findPageByExternal(tx, changed.platform ?? page.platform, changed.externalId ?? page.externalId);
        if (other && other.id !== id) return exists(other.id, `${other.platform} ${other.externalId}`);
      }
      await updatePageRow(tx, id, changed, deps.clock.now());
      await appendAudit(tx, {
        actor: actorOfCaller(caller),
        action: changed.status === 'closed' ? 'page.closed' : 'page.updated',
        entity: 'official_page',
        entityId: id,
        // The fields' names only: a responsible person's name is not repeated into the trail.
        details: { fields: Object.keys(changed), ...(changed.status ? { status: changed.status } : {}) },
      });
      return ok(await viewById(deps, tx, id));
    });
  } catch (error) {
    // Two changes racing to the same link: the unique index decides, the loser hears who won.
    if (!isUniqueViolation(error) || !link) throw error;
    const other = await findPageByExternal(deps.db, link.platform, link.externalId);
    return exists(other?.id ?? 0, `${link.platform} ${other?.externalId ?? link.externalId}`);
  }
}

/** Closes a page (its history stays); closing a closed page changes nothing. */
export function closePage(deps: RegistryDeps, caller: PageCaller, id: number): Promise<PageOutcome<PageView>> {
  return updatePage(deps, caller, id, { status: 'closed' });
}
