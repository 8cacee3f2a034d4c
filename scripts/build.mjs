// `npm run build`: compiles the app and the `mcu` tool (tsconfig.build.json) into a fresh outDir and copies
// beside the compiled code the files it reads through import.meta.url — the console's assets and views,
// the classifier models, the docs a page renders — so the output runs on its own (the image's dist/).
// Plain JavaScript: the build needs no TypeScript runner.
//   node scripts/build.mjs [outDir]   (default: dist; the start:prod test builds into a temporary folder)
import { spawnSync } from 'node:child_process';
import { cpSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const outDir = resolve(root, process.argv[2] ?? 'dist');

/** The compiled folders: every file in them that is not TypeScript is read at run time. */
const SOURCE_DIRS = ['src', 'bots', 'handlers', 'models', 'lib', 'scripts/cli', 'scripts/commands', 'scripts/demo'];
/** Read relative to the compiled module (src/console/pages/analytics/ratings.ts: the methodology page). */
const DOCS_READ_AT_RUN_TIME = ['docs/architecture/ratings.md'];

// Stale output of a deleted module would still be importable: start empty.
rmSync(outDir, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const compiled = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', outDir], {
  cwd: root,
  stdio: 'inherit',
});
if (compiled.status !== 0) process.exit(compiled.status ?? 1);

let copied = 0;
function copy(path) {
  cpSync(join(root, path), join(outDir, path));
  copied++;
}
function walk(dir) {
  let names;
  try {
    names = readdirSync(join(root, dir));
  } catch {
    return; // a folder this checkout does not have
  }
  for (const name of names) {
    const path = join(dir, name);
    if (statSync(join(root, path)).isDirectory()) walk(path);
    else if (!name.endsWith('.ts')) copy(path);
  }
}
for (const dir of SOURCE_DIRS) walk(dir);
for (const doc of DOCS_READ_AT_RUN_TIME) copy(doc);
process.stdout.write(`build: compiled into ${outDir}, ${copied} run-time files copied beside the code\n`);
