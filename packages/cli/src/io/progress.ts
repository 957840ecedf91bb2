import { SingleBar } from 'cli-progress';
import type { CommandIo } from '../cli/command.js';

/** A progress display on stderr: a bar on a terminal, nothing otherwise (logs stay clean). */
export interface Progress {
  update(value: number, payload?: Readonly<Record<string, string>>): void;
  stop(): void;
}

/**
 * A `cli-progress` bar on stderr when stderr is a terminal; a no-op when it is not (CI, pipes).
 * `format` may use `{bar}`, `{value}`, `{total}`, `{percentage}`, `{eta}` and payload keys.
 */
export function createProgress(
  io: CommandIo,
  { total, format }: { readonly total: number; readonly format: string },
): Progress {
  if (!io.stderr.isTTY) return { update: () => undefined, stop: () => undefined };
  const bar = new SingleBar({
    format,
    stream: io.stderr as NodeJS.WriteStream,
    hideCursor: true,
    clearOnComplete: false,
  });
  bar.start(total, 0);
  return {
    update: (value, payload) => bar.update(value, payload),
    stop: () => bar.stop(),
  };
}
