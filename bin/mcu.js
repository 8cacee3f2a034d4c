#!/usr/bin/env node
// `npx mcu …`: runs the TypeScript CLI (scripts/mcu.ts) through tsx, so no build step is needed.
import { register } from 'tsx/esm/api';

register();
const { exitQuietlyOnBrokenPipe, main } = await import('../scripts/mcu.ts');
exitQuietlyOnBrokenPipe();
process.exitCode = await main(process.argv.slice(2));
