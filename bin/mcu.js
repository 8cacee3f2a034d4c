#!/usr/bin/env node
// `mcu …` / `npx mcu …`. In a checkout with the development dependencies it runs the TypeScript source
// (scripts/mcu.ts) through tsx, so no build step is needed and a stale dist/ is never used; in a
// production install (the image: no scripts/, no tsx) it runs the compiled dist/scripts/mcu.js.
import { existsSync } from 'node:fs';

const source = new URL('../scripts/mcu.ts', import.meta.url);
const compiled = new URL('../dist/scripts/mcu.js', import.meta.url);

async function load() {
  if (existsSync(source)) {
    try {
      const { register } = await import('tsx/esm/api');
      register();
      return await import(source.href);
    } catch (error) {
      if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes("'tsx")) throw error;
      // tsx is not installed (npm ci --omit=dev in a checkout): fall through to the compiled tool.
    }
  }
  if (existsSync(compiled)) return import(compiled.href);
  process.stderr.write('mcu: neither tsx (npm install) nor the compiled tool (npm run build) is here\n');
  process.exit(1);
}

const { exitQuietlyOnBrokenPipe, main } = await load();
exitQuietlyOnBrokenPipe();
process.exitCode = await main(process.argv.slice(2));
