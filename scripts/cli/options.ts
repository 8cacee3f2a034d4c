/** Option parsing for `mcu` commands on top of node:util parseArgs, with errors a person can act on. */
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { UsageError } from './command.js';

export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  /** Shown in --help, e.g. "<file>". */
  readonly value?: string;
  readonly description: string;
  readonly required?: boolean;
}

export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

/** What parsing gives back: strings for string options (absent when not given), booleans for flags. */
export type OptionValues = { readonly [name: string]: string | boolean | undefined };

/** The --help text of a command. */
export function usage(path: string, summary: string, specs: OptionSpecs): string {
  const lines = Object.entries(specs).map(([name, spec]) => {
    const flag = `--${name}${spec.value ? ` ${spec.value}` : ''}`;
    return `  ${flag.padEnd(26)} ${spec.description}${spec.required ? ' (required)' : ''}`;
  });
  return [`Usage: ${path} [options]`, '', summary, '', 'Options:', ...lines, `  ${'--help'.padEnd(26)} show this help`].join(
    '\n',
  );
}

/** Parses arguments; returns null when --help was asked for. Throws UsageError for anything wrong. */
export function parseOptions(args: readonly string[], specs: OptionSpecs): OptionValues | null {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: [...args],
      options: {
        ...Object.fromEntries(Object.entries(specs).map(([name, spec]) => [name, { type: spec.type }])),
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    // parseArgs messages are clear but long; keep the first sentence.
    throw new UsageError((error as Error).message.split('. ')[0]?.replace(/\.$/, '') ?? 'invalid arguments');
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  if (values.help) return null;
  const missing = Object.entries(specs)
    .filter(([name, spec]) => spec.required && (values[name] === undefined || values[name] === ''))
    .map(([name]) => `--${name}`);
  if (missing.length > 0) throw new UsageError(`missing required option${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`);
  return values;
}

/** A string option's value ('' when absent: use only for required options). */
export function text(values: OptionValues, name: string): string {
  const value = values[name];
  return typeof value === 'string' ? value : '';
}

/** A numeric option within bounds, or the fallback when absent. */
export function number(
  values: OptionValues,
  name: string,
  fallback: number,
  bounds: { min: number; max: number; integer?: boolean; exclusive?: boolean },
): number {
  const raw = values[name];
  if (raw === undefined || typeof raw === 'boolean') return fallback;
  const n = Number(raw);
  const inRange = bounds.exclusive ? n > bounds.min && n < bounds.max : n >= bounds.min && n <= bounds.max;
  if (raw.trim() === '' || !Number.isFinite(n) || !inRange || (bounds.integer && !Number.isInteger(n))) {
    const range = bounds.exclusive
      ? `between ${bounds.min} and ${bounds.max} (exclusive)`
      : `from ${bounds.min} to ${bounds.max}`;
    throw new UsageError(`--${name} must be ${bounds.integer ? 'an integer' : 'a number'} ${range}, got "${raw}"`);
  }
  return n;
}

/** Checks that an input file exists before any work starts. */
export function existingFile(values: OptionValues, name: string): string {
  const path = text(values, name);
  if (!existsSync(path) || !statSync(path).isFile()) throw new UsageError(`--${name}: no such file: ${path}`);
  return path;
}

/** Checks that an output file can be created: its folder exists (found out now, not after minutes of training). */
export function outputFile(values: OptionValues, name: string): string {
  const path = text(values, name);
  const folder = dirname(resolve(path));
  if (!existsSync(folder) || !statSync(folder).isDirectory()) throw new UsageError(`--${name}: folder does not exist: ${folder}`);
  return path;
}
