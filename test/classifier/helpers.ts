import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Example } from '../../lib/classifier/index.js';

export const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/classifier/${name}`, import.meta.url));

/** The labelled fixture as examples (24 texts: cold-water, roads, not_a_problem). */
export function labelledExamples(): Example[] {
  return readFileSync(fixture('labelled.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { text: string; category: string })
    .map((r) => ({ text: r.text, label: r.category }));
}
