/**
 * `mcu`: the command-line tool of the МЦУ platform (run as `npx mcu …` through bin/mcu.js, or
 * `npx tsx scripts/mcu.ts …`). Exit codes: 0 done, 1 failed, 2 wrong command line.
 */
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { type CommandIo, commandGroup, EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError } from './cli/command.js';
import { calendarCommand } from './commands/calendar.js';
import { classifierCommand } from './commands/classifier.js';
import { demoCommand } from './commands/demo.js';
import { importCommand } from './commands/import.js';
import { officialsCommand } from './commands/officials.js';
import { pagesCommand } from './commands/pages.js';

// One line per command group; each group lives in its own file under scripts/commands/.
const mcu = commandGroup('mcu', 'МЦУ platform tools', [
  calendarCommand,
  classifierCommand,
  demoCommand,
  importCommand,
  officialsCommand,
  pagesCommand,
]);

/** Runs the tool with the arguments after "mcu"; resolves to the exit code. Never throws. */
export async function main(args: readonly string[], io: CommandIo = process): Promise<number> {
  try {
    return await mcu.run(args, io);
  } catch (error) {
    // `mcu … | head`: the reader left; that is not a failure worth a message.
    if ((error as NodeJS.ErrnoException).code === 'EPIPE') return EXIT_OK;
    // A person reads this: one line, no stack trace.
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof UsageError) {
      io.stderr.write(`mcu: ${message} (see "mcu --help")\n`);
      return EXIT_USAGE;
    }
    io.stderr.write(`mcu: ${message}\n`);
    return EXIT_FAILURE;
  }
}

/** For the process entry points: a closed stdout (`| head`) ends the program quietly instead of crashing it. */
export function exitQuietlyOnBrokenPipe(): void {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(EXIT_OK);
    throw error;
  });
}

function isEntryPoint(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(entry)).href;
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  exitQuietlyOnBrokenPipe();
  process.exitCode = await main(process.argv.slice(2));
}
