import { findSequence, stemsOf, type Token } from './text.js';

/** Phrases matched by stems, in order: «прорыв трубы» also matches «прорывом трубы», not «трубы прорыв». */
export class PhraseSet {
  readonly #phrases: { phrase: string; stems: string[] }[];

  constructor(phrases: readonly string[]) {
    this.#phrases = phrases.map((phrase) => ({ phrase, stems: stemsOf(phrase) })).filter((p) => p.stems.length > 0);
  }

  /** The first phrase found in the tokens, or null. */
  firstIn(tokens: readonly Token[]): string | null {
    for (const p of this.#phrases) if (findSequence(tokens, p.stems).length > 0) return p.phrase;
    return null;
  }
}
