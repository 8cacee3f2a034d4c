import type { IncomingMessage } from '../../models/intake.js';

/**
 * PostgreSQL text and jsonb cannot hold U+0000; everything else (emoji, zero-width, RTL marks,
 * HTML, SQL-looking strings) is stored verbatim. NUL becomes U+FFFD so the text stays auditable.
 */
export function sanitizeIncoming(input: IncomingMessage): IncomingMessage {
  return {
    ...input,
    text: stripNul(input.text),
    raw: JSON.parse(stripNul(JSON.stringify(input.raw ?? null)).replaceAll('\\u0000', '\uFFFD')),
    thread: input.thread
      ? (JSON.parse(stripNul(JSON.stringify(input.thread)).replaceAll('\\u0000', '\uFFFD')) as IncomingMessage['thread'])
      : null,
    author: input.author
      ? {
          ...input.author,
          displayName: input.author.displayName ? stripNul(input.author.displayName) : null,
          username: input.author.username ? stripNul(input.author.username) : null,
        }
      : null,
    source: { ...input.source, title: input.source.title ? stripNul(input.source.title) : null },
  };
}

function stripNul(s: string): string {
  return s.replaceAll('\u0000', '\uFFFD');
}
