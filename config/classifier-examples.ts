import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { ConfigError } from './errors.js';

const schema = z.object({ examples: z.record(z.string(), z.array(z.string().min(1))) });

/** The project's own labelled example texts (config/classifier-examples.yaml), as {text, label}. */
export function loadClassifierExamples(path: string): { text: string; label: string }[] {
  let raw: unknown;
  try {
    raw = parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError(path, [`cannot read: ${(error as Error).message}`]);
  }
  const result = schema.safeParse(raw);
  if (!result.success)
    throw new ConfigError(
      path,
      result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
    );
  return Object.entries(result.data.examples).flatMap(([label, texts]) => texts.map((text) => ({ text, label })));
}
