import { findSequence, phraseOf, type Token } from './text.js';

/**
 * Phrases matched word by word, in order, each word in any of its forms but never inside another
 * word (see sameWord): «прорыв трубы» also matches «прорывом трубы», not «трубы прорыв».
 */
export class PhraseSet {
  readonly #phrases: { phrase: string; words: Token[] }[];

  constructor(phrases: readonly string[]) {
    this.#phrases = phrases.map((phrase) => ({ phrase, words: phraseOf(phrase) })).filter((p) => p.words.length > 0);
  }

  /** The first phrase found in the tokens, or null. */
  firstIn(tokens: readonly Token[]): string | null {
    for (const p of this.#phrases) if (findSequence(tokens, p.words).length > 0) return p.phrase;
    return null;
  }
}
