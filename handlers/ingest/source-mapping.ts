import type { ExternalSource } from '../../config/domain.js';
import type { Appeal } from './appeal.js';

/**
 * A source system's own words mapped to ours through the domain file's `sources.<name>` section.
 * Matching ignores case, «ё» and extra spaces, since exports are typed by people.
 */

function normal(s: string): string {
  return s.trim().toLowerCase().replaceAll('ё', 'е').replace(/\s+/g, ' ');
}

function lookup<T>(table: Readonly<Record<string, T>>, raw: string | null): T | null {
  if (raw === null) return null;
  const wanted = normal(raw);
  for (const [key, value] of Object.entries(table)) if (normal(key) === wanted) return value;
  return null;
}

/** Our category id for the source's category, or null (structuring decides). */
export function mappedCategory(source: ExternalSource, raw: string | null): string | null {
  return lookup(source.categories, raw);
}

/** Our department id for the source's executor, or null (routing decides). */
export function mappedDepartment(source: ExternalSource, raw: string | null): string | null {
  return lookup(source.departments, raw);
}

/**
 * The case status the source's state asks for: closed when it says so or gives a closing date, its
 * own status mapped, answered when it gave an answer; null when it says nothing we can map.
 */
export function desiredStatus(source: ExternalSource, appeal: Appeal): string | null {
  const mapped = lookup(source.statuses, appeal.status);
  if (appeal.closedAt && mapped !== 'reopened') return 'closed';
  if (mapped) return mapped;
  return appeal.answerText ? 'answered' : null;
}
