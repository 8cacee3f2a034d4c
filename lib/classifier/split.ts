/** Seeded randomness and a stratified train/test split, so every run of a benchmark sees the same split. */
import type { Example } from './types.js';

/** A small, fast, seedable PRNG (mulberry32): returns floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher–Yates shuffle of a copy, driven by the given random source. */
export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/**
 * Holds out `testShare` of every label (rounded; at least one when a label has two or more examples,
 * so every class is tested). Both parts keep the input order.
 */
export function stratifiedSplit<T extends Example>(
  examples: readonly T[],
  testShare: number,
  seed: number,
): { train: T[]; test: T[] } {
  if (!(testShare > 0 && testShare < 1)) throw new RangeError(`testShare must be between 0 and 1, got ${testShare}`);
  const random = seededRandom(seed);
  const inTest = new Uint8Array(examples.length);
  for (const indices of indicesByLabel(examples)) {
    const count = indices.length < 2 ? 0 : Math.min(indices.length - 1, Math.max(1, Math.round(indices.length * testShare)));
    for (const i of shuffled(indices, random).slice(0, count)) inTest[i] = 1;
  }
  const train: T[] = [];
  const test: T[] = [];
  examples.forEach((e, i) => {
    (inTest[i] ? test : train).push(e);
  });
  return { train, test };
}

/**
 * A fold number (0 … k−1) for every example, stratified by label: each label's examples are shuffled
 * (seeded) and dealt round-robin, so every fold holds about 1/k of every label.
 */
export function stratifiedFolds(examples: readonly Example[], k: number, seed: number): number[] {
  if (!(Number.isInteger(k) && k >= 2)) throw new RangeError(`k must be an integer ≥ 2, got ${k}`);
  const random = seededRandom(seed);
  const fold = new Array<number>(examples.length).fill(0);
  let next = 0;
  for (const indices of indicesByLabel(examples)) {
    for (const i of shuffled(indices, random)) {
      fold[i] = next;
      next = (next + 1) % k;
    }
  }
  return fold;
}

/**
 * The indexes of each label's examples, labels in sorted order: a split must not depend on which label
 * happens to come first in the file.
 */
function indicesByLabel(examples: readonly Example[]): number[][] {
  const byLabel = new Map<string, number[]>();
  examples.forEach((e, i) => {
    const list = byLabel.get(e.label);
    if (list) list.push(i);
    else byLabel.set(e.label, [i]);
  });
  return [...byLabel.keys()].sort().map((label) => byLabel.get(label) as number[]);
}
