/**
 * npm run bench — runs every benchmark in bench/ one after another and prints their figures.
 * Benchmarks are not part of npm test: they take minutes and their numbers depend on the machine.
 *   npm run bench                 all of them
 *   npm run bench -- intake       only the named ones
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const available = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && !['run.ts', 'lib.ts'].includes(f))
  .map((f) => f.replace(/\.ts$/, ''))
  .sort();
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const chosen = wanted.length > 0 ? available.filter((b) => wanted.includes(b)) : available;

let failed = 0;
for (const name of chosen) {
  console.log(`\n=== bench/${name} ===`);
  const started = Date.now();
  try {
    const module = (await import(join(here, `${name}.ts`))) as { main?: (argv?: string[]) => Promise<void> };
    if (!module.main) throw new Error(`bench/${name}.ts exports no main()`);
    await module.main([]);
  } catch (error) {
    failed++;
    console.error(`bench/${name} failed:`, error);
  }
  console.log(`(bench/${name}: ${((Date.now() - started) / 1000).toFixed(1)} s)`);
}
process.exit(failed > 0 ? 1 : 0);
