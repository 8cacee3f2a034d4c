import { normalizeText, stem } from '../../models/classifier/tokenize.js';

export interface Token {
  /** Lower-case surface form, ё → е. */
  word: string;
  stem: string;
}

/** Every word and number of a text, in order (no stop words removed: «на», «в», «ул» matter here). */
export function wordsOf(text: string): Token[] {
  const words = normalizeText(text).match(/[a-zа-я0-9]+/gi) ?? [];
  return words.map((word) => ({ word, stem: /^\d+$/.test(word) ? word : stem(word) }));
}

/** Stems of a fixed phrase (a place name, a keyword) for matching against wordsOf(). */
export function stemsOf(phrase: string): string[] {
  return wordsOf(phrase).map((t) => t.stem);
}

/** Index of each occurrence of `needle` (a stem sequence) in `tokens`. */
export function findSequence(tokens: readonly Token[], needle: readonly string[]): number[] {
  const hits: number[] = [];
  if (needle.length === 0) return hits;
  outer: for (let i = 0; i + needle.length <= tokens.length; i++) {
    for (let j = 0; j < needle.length; j++) if (!stemsMatch(tokens[i + j]?.stem ?? '', needle[j] ?? '')) continue outer;
    hits.push(i);
  }
  return hits;
}

/**
 * Equal stems, or stems that differ only in a fleeting vowel the Porter stemmer keeps
 * («городок» / «городк-е», «посёлок» / «посёлк-е»): all but the last letter of the shorter one agree.
 */
export function stemsMatch(a: string, b: string): boolean {
  if (a === b) return true;
  const shorter = Math.min(a.length, b.length);
  if (shorter < 5 || Math.abs(a.length - b.length) > 1) return false;
  let common = 0;
  while (common < shorter && a[common] === b[common]) common++;
  return common >= shorter - 1;
}
