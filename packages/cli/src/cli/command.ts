import type { Writable } from 'node:stream';

/** Where a command writes: stdout for results, stderr for progress and errors. */
export interface CommandIo {
  readonly stdout: Writable & { readonly isTTY?: boolean };
  readonly stderr: Writable & { readonly isTTY?: boolean };
  /**
   * Where `--json -` writes the summary: the process's standard output, set by the command line
   * when `--json -` is given (`stdout` is then stderr, so the human text stays off the JSON).
   */
  readonly json?: Writable;
}

/** One `sinkflow` sub-command. */
export interface Command {
  /** The word after `sinkflow`, e.g. `'solve'`. */
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  /** The full `--help` text, with options and examples. */
  readonly help: string;
  /** Runs the command on its arguments (everything after the command word). */
  run(args: readonly string[], io: CommandIo): Promise<void>;
}

/**
 * A command whose module is imported only when it runs (or prints its `--help`): `sinkflow
 * --help` lists the name and summary without loading any command's dependencies (TensorFlow.js,
 * DuckDB, the backends), so it starts in a fraction of a second.
 */
export interface LazyCommand {
  /** The word after `sinkflow`, e.g. `'solve'`. */
  readonly name: string;
  /** One line for the command list (the loaded command's own `summary`). */
  readonly summary: string;
  /** Imports the command's module and returns the command. */
  load(): Promise<Command>;
}

/** A command as the command line takes it: loaded, or loaded on first use. */
export type CommandEntry = Command | LazyCommand;

/** The command behind an entry, importing its module when it is lazy. */
export async function loadCommand(entry: CommandEntry): Promise<Command> {
  return 'load' in entry ? entry.load() : entry;
}
