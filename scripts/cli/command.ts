/**
 * The `mcu` command tree. A command is a leaf (`mcu classifier train`) or a group that dispatches on
 * its first argument (`mcu classifier`); a new feature adds one file under scripts/commands/ and one
 * line in scripts/mcu.ts.
 */
import type { Writable } from 'node:stream';

/** Where a command writes; tests pass their own streams. */
export interface CommandIo {
  readonly stdout: Writable;
  readonly stderr: Writable;
}

export interface Command {
  readonly name: string;
  /** One line for the parent's help. */
  readonly summary: string;
  /** Runs with the arguments after the command's name; resolves to the exit code. */
  run(args: readonly string[], io: CommandIo): Promise<number>;
}

/** Wrong use of the command line: printed as one line, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** Writes a line and waits if the stream is full, so piping a million predictions does not buffer them all. */
export async function writeLine(stream: Writable, line: string): Promise<void> {
  if (!stream.write(`${line}\n`)) {
    await new Promise<void>((resolve, reject) => {
      const done = (error?: Error) => {
        stream.off('drain', done);
        stream.off('error', done);
        if (error) reject(error);
        else resolve();
      };
      stream.once('drain', done);
      stream.once('error', done);
    });
  }
}

/** A command made of subcommands, e.g. `classifier` with `train`, `predict`, `eval`. */
export function commandGroup(path: string, summary: string, commands: readonly Command[]): Command {
  const name = path.split(' ').at(-1) ?? path;
  const help = [
    `Usage: ${path} <command> [options]`,
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(12)} ${c.summary}`),
    '',
    `Run "${path} <command> --help" for the options of a command.`,
  ].join('\n');
  return {
    name,
    summary,
    async run(args, io) {
      const [first, ...rest] = args;
      if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
        await writeLine(first === undefined ? io.stderr : io.stdout, help);
        return first === undefined ? EXIT_USAGE : EXIT_OK;
      }
      const command = commands.find((c) => c.name === first);
      if (!command) {
        throw new UsageError(`unknown command "${path} ${first}" (commands: ${commands.map((c) => c.name).join(', ')})`);
      }
      return command.run(rest, io);
    },
  };
}
