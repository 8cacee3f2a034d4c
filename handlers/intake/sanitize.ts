import type { IncomingMessage } from '../../models/intake.js';

/**
 * PostgreSQL text and jsonb cannot hold U+0000; everything else (emoji, zero-width, RTL marks,
 * HTML, SQL-looking strings, a literal "\u0000" typed as text) is stored verbatim. NUL becomes
 * U+FFFD so the text stays auditable.
 */
export function sanitizeIncoming(input: IncomingMessage): IncomingMessage {
  return {
    ...input,
    text: stripNul(input.text),
    raw: stripNulDeep(input.raw ?? null),
    thread: input.thread ? stripNulDeep(input.thread) : null,
    author: input.author ? stripNulDeep(input.author) : null,
    source: stripNulDeep(input.source),
  };
}

export function stripNul(s: string): string {
  return s.replaceAll('\u0000', '\uFFFD');
}

/** The same for every string inside a JSON-like value (keys included). */
export function stripNulDeep<T>(value: T): T {
  if (typeof value === 'string') return stripNul(value) as T;
  if (Array.isArray(value)) return value.map((v) => stripNulDeep(v)) as T;
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [stripNul(k), stripNulDeep(v)])) as T;
  }
  return value;
}
