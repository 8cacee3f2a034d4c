import type { Token } from './text.js';

const IGNORED = new Set([
  'не',
  'нет',
  'на',
  'в',
  'во',
  'и',
  'у',
  'с',
  'по',
  'за',
  'к',
  'о',
  'из',
  'от',
  'до',
  'а',
  'но',
  'что',
  'это',
  'уже',
  'очень',
]);

/** The content stems of a text, as a set (numbers and short function words left out). */
export function contentStems(tokens: readonly Token[]): Set<string> {
  return new Set(tokens.filter((t) => !IGNORED.has(t.word) && !/^\d+$/.test(t.word) && t.word.length > 2).map((t) => t.stem));
}

/** Jaccard similarity of two stem sets: 1 for the same words, 0 for nothing in common. */
export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 0;
  let common = 0;
  for (const s of a) if (b.has(s)) common++;
  return common / (a.size + b.size - common);
}
