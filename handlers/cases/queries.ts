import type { Actor } from '../../models/actor.js';
import { appendAudit } from '../../models/audit-repository.js';
import {
  type CaseFilters,
  type CaseView,
  type Cursor,
  findCase,
  listCaseMessages,
  listCases,
  listMessages,
  type MessageFilters,
  type MessageView,
} from '../../models/case-query.js';
import { inTransaction } from '../../models/database.js';
import { listSources, type SourceListItem, setSourceStatus } from '../../models/intake-repository.js';
import type { HandlerDeps } from '../deps.js';

/** What the case queries of the API need. */
export type QueryDeps = Pick<HandlerDeps, 'db' | 'clock'>;

export type { CaseFilters, CaseView, Cursor, MessageFilters, MessageView, SourceListItem };

export function casesPage(deps: QueryDeps, filters: CaseFilters, page: { limit: number; after?: Cursor }) {
  return listCases(deps.db, filters, page);
}

/** A case with all its messages; undefined when there is no such case. */
export async function caseDetail(
  deps: QueryDeps,
  idOrNumber: number | string,
): Promise<(CaseView & { messages: MessageView[] }) | undefined> {
  const found = await findCase(deps.db, idOrNumber);
  if (!found) return undefined;
  return { ...found, messages: await listCaseMessages(deps.db, found.id) };
}

export function messagesPage(deps: QueryDeps, filters: MessageFilters, page: { limit: number; after?: Cursor }) {
  return listMessages(deps.db, filters, page);
}

export function sources(deps: QueryDeps, status?: string): Promise<SourceListItem[]> {
  return listSources(deps.db, status);
}

/** An operator approves (optionally marking it official) or rejects a chat the bot was added to. */
export async function decideSource(
  deps: QueryDeps,
  input: { id: number; decision: 'active' | 'rejected'; official?: boolean; actor: Actor },
): Promise<boolean> {
  return inTransaction(deps.db, async (tx) => {
    const changed = await setSourceStatus(tx, input.id, input.decision, input.official, deps.clock.now());
    if (changed) {
      await appendAudit(tx, {
        actor: input.actor,
        action: input.decision === 'active' ? 'source_approved' : 'source_rejected',
        entity: 'source',
        entityId: input.id,
        details: input.official === undefined ? {} : { official: input.official },
      });
    }
    return changed;
  });
}
