import { type SourcePageItem, sourcePage, sourceState } from '../../models/source-query.js';
import type { QueryDeps } from './queries.js';

export type { SourcePageItem };

/** A page of sources by the filters; `next` is the id to continue after, or null at the end. */
export async function sourcesPage(
  deps: QueryDeps,
  input: { limit: number; afterId?: number | undefined; status?: string | undefined; channel?: string | undefined },
): Promise<{ items: SourcePageItem[]; next: number | null }> {
  const rows = await sourcePage(deps.db, { ...input, limit: input.limit + 1 });
  const items = rows.slice(0, input.limit);
  return { items, next: rows.length > input.limit ? (items.at(-1)?.id ?? null) : null };
}

/** A source's state and version (a decision form compares it with what it showed). */
export function sourceVersion(deps: QueryDeps, id: number) {
  return sourceState(deps.db, id);
}
