import { InternalError, InvalidArgumentError, NpyFormatError } from '@sinkflow/core';
import { cliVersion } from './cli-version.js';
import { type CommandEntry, type CommandIo, loadCommand } from './command.js';
import { NotConvergedError } from './not-converged-error.js';

/**
 * Exit codes of the command line (docs/command-line.md): success, internal failure, bad input, and a solve
 * that did not converge or diverged (`--allow-unconverged` turns that into success).
 */
export const EXIT = { ok: 0, internal: 1, badInput: 2, notConverged: 3 } as const;

/**
 * Runs `sinkflow <command> [options]` and returns the exit code: 0 on success, 2 on bad input
 * (a typed argument or file-format error: one line on stderr, no stack trace), 3 when a solve did
 * not converge (a {@link NotConvergedError}: one line on stderr), 1 on an internal failure (the
 * message, and the stack when `SINKFLOW_DEBUG` is set). `sinkflow --help` lists the commands and
 * `sinkflow --version` prints the version without importing any command's module.
 *
 * @example
 * ```ts
 * const code = await runCli(['--version'], allCommands, { stdout: process.stdout, stderr: process.stderr });
 * // prints '0.1.0', code === 0
 * ```
 */
export async function runCli(
  argv: readonly string[],
  commands: readonly CommandEntry[],
  io: CommandIo,
): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(overview(commands));
    return name === undefined ? EXIT.badInput : EXIT.ok;
  }
  if (name === '--version' || name === '-V') {
    io.stdout.write(`${cliVersion()}\n`);
    return EXIT.ok;
  }
  const entry = commands.find((candidate) => candidate.name === name);
  if (entry === undefined) {
    io.stderr.write(`sinkflow: unknown command '${name}' (run 'sinkflow --help' for the list)\n`);
    return EXIT.badInput;
  }
  try {
    const command = await loadCommand(entry);
    if (args.includes('--help') || args.includes('-h')) {
      io.stdout.write(`${command.help.trim()}\n`);
      return EXIT.ok;
    }
    await command.run(
      args,
      jsonToStdout(args) ? { stdout: io.stderr, stderr: io.stderr, json: io.stdout } : io,
    );
    return EXIT.ok;
  } catch (error) {
    if (isBadInput(error)) {
      const message = (error as Error).message.split('\n')[0] as string;
      io.stderr.write(
        message.startsWith('sinkflow ') ? `${message}\n` : `sinkflow ${name}: ${message}\n`,
      );
      return EXIT.badInput;
    }
    if (NotConvergedError.isInstance(error)) {
      io.stderr.write(`sinkflow ${name}: ${error.message.split('\n')[0]}\n`);
      return EXIT.notConverged;
    }
    const message = error instanceof Error ? error.message : String(error);
    // An InternalError already says so in its message ("... (internal error)").
    const prefix = InternalError.isInstance(error) ? '' : 'internal error: ';
    io.stderr.write(`sinkflow ${name}: ${prefix}${message}\n`);
    if (process.env.SINKFLOW_DEBUG && error instanceof Error && error.stack)
      io.stderr.write(`${error.stack}\n`);
    return EXIT.internal;
  }
}

/** True when the arguments ask for the JSON summary on standard output (`--json -`). */
function jsonToStdout(args: readonly string[]): boolean {
  return args.some(
    (arg, index) => arg === '--json=-' || (arg === '--json' && args[index + 1] === '-'),
  );
}

/** Bad input: typed argument errors, unreadable .npy files, and missing / unreadable files. */
function isBadInput(error: unknown): boolean {
  return InvalidArgumentError.isInstance(error) || NpyFormatError.isInstance(error);
}

function overview(commands: readonly CommandEntry[]): string {
  const width = Math.max(...commands.map((command) => command.name.length));
  const lines = commands.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`);
  return `sinkflow: large entropic OT couplings and flow matching

Usage: sinkflow <command> [options]   (sinkflow <command> --help for its options)
       sinkflow --version

Commands:
${lines.join('\n')}

Every command takes --json FILE for a machine-readable summary (--json - writes it to stdout and
the human text to stderr); exit codes: 0 success,
2 bad input (one line on stderr naming the argument), 1 internal failure, 3 a solve that did not
converge or diverged (--allow-unconverged accepts it; non-finite results are never written).
`;
}
