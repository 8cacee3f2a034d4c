/**
 * The default model's training set (see scripts/train-default.ts): SPb appeals relabelled by
 * config/spb-reason-mapping.yaml and capped per category, the project's own examples and the keywords
 * of config/barnaul.yaml, all labelled with Barnaul category ids (or not_a_problem).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { z } from 'zod';
import { loadClassifierExamples } from '../config/classifier-examples.js';
import { loadDomainConfig } from '../config/domain.js';
import { ConfigError } from '../config/errors.js';
import { type Example, readRecords, seededRandom, shuffled } from '../lib/classifier/index.js';

const path = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));
export const DEFAULT_SPB_DATA = path('../../shared/data/appeals-spb/train.jsonl.gz');
const DOMAIN_FILE = path('../config/barnaul.yaml');
const MAPPING_FILE = path('../config/spb-reason-mapping.yaml');
const EXAMPLES_DIR = path('../config/classifier-examples');

/** Label for thanks, greetings, spam and advertising: no case is opened (see config/classifier-examples/). */
export const NOT_A_PROBLEM = 'not_a_problem';
const SKIP = 'skip';

export interface TrainingSetOptions {
  readonly seed: number;
  /**
   * At most this many SPb examples per Barnaul category (a seeded sample). Without a cap, building
   * upkeep (≈18,000) and litter (≈9,000) would outweigh categories that have only the project's own
   * 15–40 examples; with it the model is also smaller and trains in seconds.
   */
  readonly spbCapPerCategory: number;
}

export interface LabelSources {
  readonly label: string;
  readonly spb: number;
  readonly spbUsed: number;
  readonly own: number;
  readonly keywords: number;
}

export interface TrainingSet {
  readonly examples: Example[];
  readonly sources: readonly LabelSources[];
  /** SPb records the mapping sends to "skip". */
  readonly skipped: number;
  /** "category → reason" pairs in the data that the mapping does not list, with counts. */
  readonly unmapped: ReadonlyMap<string, number>;
  /** True for an example from config/classifier-examples/ (the project's own, Barnaul-style texts). */
  readonly isOwn: (example: Example) => boolean;
  /** True for a keyword of config/barnaul.yaml used as a training example. */
  readonly isKeyword: (example: Example) => boolean;
}

/** A configuration mistake in the mapping or examples file; the message lists every one. */
export class TrainingSetError extends Error {
  override readonly name = 'TrainingSetError';
}

const mappingSchema = z.object({ mapping: z.record(z.string(), z.record(z.string(), z.string())) });

function readYaml<T>(file: string, schema: z.ZodType<T>): T {
  const result = schema.safeParse(parse(readFileSync(file, 'utf8')));
  if (!result.success) {
    throw new TrainingSetError(`${file}: ${result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return result.data;
}

/** Builds the training set from the SPb data file and the project's config. */
export async function buildTrainingSet(dataPath: string, options: TrainingSetOptions): Promise<TrainingSet> {
  const domain = loadDomainConfig(DOMAIN_FILE);
  const labels = new Set([...domain.categories.map((c) => c.id), NOT_A_PROBLEM]);
  const mapping = readYaml(MAPPING_FILE, mappingSchema).mapping;
  const own = groupByLabel(loadOwnExamples(EXAMPLES_DIR));
  const unknown = [
    ...Object.entries(mapping).flatMap(([category, reasons]) =>
      Object.entries(reasons)
        .filter(([, to]) => to !== SKIP && !labels.has(to))
        .map(([reason, to]) => `spb-reason-mapping.yaml: "${category}" → "${reason}": unknown category "${to}"`),
    ),
    ...Object.keys(own)
      .filter((label) => !labels.has(label))
      .map((label) => `config/classifier-examples/: unknown category "${label}"`),
  ];
  if (unknown.length > 0) {
    throw new TrainingSetError(`${unknown.join('\n  ')}\n  (categories are the ids in config/barnaul.yaml, or ${NOT_A_PROBLEM})`);
  }

  const spb = new Map<string, Example[]>();
  const unmapped = new Map<string, number>();
  let skipped = 0;
  for await (const record of readRecords(dataPath)) {
    const f = record.fields;
    if (!f || typeof f.text !== 'string' || typeof f.category !== 'string' || typeof f.reason !== 'string') continue;
    const to = mapping[f.category]?.[f.reason];
    if (to === undefined) {
      const key = `${f.category} → ${f.reason}`;
      unmapped.set(key, (unmapped.get(key) ?? 0) + 1);
    } else if (to === SKIP || f.text.trim() === '') {
      skipped++;
    } else {
      const list = spb.get(to) ?? [];
      list.push({ text: f.text, label: to });
      spb.set(to, list);
    }
  }

  const random = seededRandom(options.seed);
  const examples: Example[] = [];
  const sources: LabelSources[] = [];
  for (const label of [...labels].sort()) {
    const fromSpb = spb.get(label) ?? [];
    const used = fromSpb.length > options.spbCapPerCategory ? sampleInOrder(fromSpb, options.spbCapPerCategory, random) : fromSpb;
    const ownTexts = (own[label] ?? []).map((text) => ({ text, label }));
    const keywords = (domain.categories.find((c) => c.id === label)?.keywords ?? []).map((text) => ({ text, label }));
    examples.push(...used, ...ownTexts, ...keywords);
    sources.push({ label, spb: fromSpb.length, spbUsed: used.length, own: ownTexts.length, keywords: keywords.length });
  }
  const empty = sources.filter((s) => s.spbUsed + s.own + s.keywords === 0).map((s) => s.label);
  if (empty.length > 0) {
    throw new TrainingSetError(
      `no training examples for: ${empty.join(', ')}; add some to config/classifier-examples/<label>.yaml`,
    );
  }
  const ownSet = new Set(Object.entries(own).flatMap(([label, texts]) => texts.map((text) => `${label}\u0000${text}`)));
  const keywordSet = new Set(domain.categories.flatMap((c) => c.keywords.map((k) => `${c.id}\u0000${k}`)));
  return {
    examples,
    sources,
    skipped,
    unmapped,
    isOwn: (e: Example) => ownSet.has(`${e.label}\u0000${e.text}`),
    isKeyword: (e: Example) => keywordSet.has(`${e.label}\u0000${e.text}`),
  };
}

/** A seeded sample, kept in file order: the model does not change when nothing it learns from changes. */
function sampleInOrder<T>(items: readonly T[], count: number, random: () => number): T[] {
  const picked = shuffled(
    items.map((_, i) => i),
    random,
  )
    .slice(0, count)
    .sort((a, b) => a - b);
  return picked.map((i) => items[i] as T);
}

function loadOwnExamples(dir: string): { text: string; label: string }[] {
  try {
    return loadClassifierExamples(dir);
  } catch (error) {
    if (error instanceof ConfigError) throw new TrainingSetError(error.message);
    throw error;
  }
}

function groupByLabel(examples: readonly { text: string; label: string }[]): Record<string, string[]> {
  const byLabel: Record<string, string[]> = {};
  for (const e of examples) {
    const list = byLabel[e.label] ?? [];
    list.push(e.text);
    byLabel[e.label] = list;
  }
  return byLabel;
}
