import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { ConfigError } from './errors.js';

const schema = z.object({ examples: z.record(z.string(), z.array(z.string().min(1))) });

/**
 * The project's own labelled example texts, as {text, label}: `config/classifier-examples/`, one YAML
 * file per label (`examples: { <label>: [...] }`), or a single file of that shape. Files are read in
 * name order, so the list (and a model trained on it) does not depend on the file system.
 */
export function loadClassifierExamples(path: string): { text: string; label: string }[] {
  const files = isDirectory(path)
    ? readdirSync(path)
        .filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))
        .sort()
        .map((f) => join(path, f))
    : [path];
  return files.flatMap(readExamplesFile);
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch (error) {
    throw new ConfigError(path, [`cannot read: ${(error as Error).message}`]);
  }
}

function readExamplesFile(path: string): { text: string; label: string }[] {
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
