import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadClassifierExamples } from '../../config/classifier-examples.js';
import { loadDomainConfig } from '../../config/domain.js';
import { wordsOf } from '../../handlers/structuring/text.js';

/*
 * The project's own training examples (config/classifier-examples/) are data the default model is
 * trained on: every label known, no copies of one template, and nothing shared with the evaluation sets
 * (test/fixtures/structuring/eval-barnaul*.jsonl) — otherwise `npm run eval:structuring` would measure
 * memory, not the model.
 */
const examples = loadClassifierExamples('config/classifier-examples');
const domain = loadDomainConfig('config/barnaul.yaml');
const EVAL_SETS = [
  'eval-barnaul.jsonl',
  'eval-barnaul-2.jsonl',
  'eval-barnaul-3.jsonl',
  'eval-barnaul-4.jsonl',
  'eval-barnaul-5.jsonl',
  'eval-barnaul-6.jsonl',
  'eval-barnaul-7.jsonl',
];
const evalTexts = EVAL_SETS.flatMap((file) =>
  readFileSync(`test/fixtures/structuring/${file}`, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => (JSON.parse(l) as { text: string }).text),
);
/** A text as the model sees its words: stems in order, so «Ок!» and «ок» are the same text. */
const normal = (text: string) =>
  wordsOf(text)
    .map((t) => t.stem)
    .join(' ');

/** Content words of a text (2+ letters), as a set: word overlap, not character overlap. */
function bag(text: string): Set<string> {
  return new Set(
    wordsOf(text)
      .map((t) => t.stem)
      .filter((s) => s.length >= 2),
  );
}

function jaccard(a: Set<string>, b: Set<string>): number {
  let shared = 0;
  for (const w of a) if (b.has(w)) shared++;
  return shared / (a.size + b.size - shared || 1);
}

describe('own classifier examples', () => {
  it('use only the domain file’s category ids and not_a_problem, each label with at least 15', () => {
    const known = new Set([...domain.categories.map((c) => c.id), 'not_a_problem']);
    const counts = new Map<string, number>();
    for (const e of examples) counts.set(e.label, (counts.get(e.label) ?? 0) + 1);
    expect([...counts.keys()].filter((l) => !known.has(l))).toEqual([]);
    expect([...known].filter((l) => (counts.get(l) ?? 0) < 15)).toEqual([]);
  });

  it('hold no text twice and no two near-copies of one template', () => {
    const bags = examples.map((e) => bag(e.text));
    const near: string[] = [];
    for (let i = 0; i < examples.length; i++)
      for (let j = i + 1; j < examples.length; j++) {
        const a = bags[i] as Set<string>;
        const b = bags[j] as Set<string>;
        if (a.size >= 3 && b.size >= 3 && jaccard(a, b) >= 0.8) near.push(`${examples[i]?.text} ≈ ${examples[j]?.text}`);
      }
    expect(near).toEqual([]);
  });

  it('share no text with any evaluation set, not even a one-word greeting (only the training side is shown on failure)', () => {
    const evalBags = evalTexts.map(bag);
    const evalNormal = new Set(evalTexts.map(normal));
    const leaked = examples
      .filter((e) => {
        if (evalNormal.has(normal(e.text))) return true;
        const b = bag(e.text);
        return b.size >= 3 && evalBags.some((v) => v.size >= 3 && jaccard(b, v) >= 0.6);
      })
      .map((e) => `${e.label}: ${e.text}`);
    expect(leaked).toEqual([]);
  });
});
