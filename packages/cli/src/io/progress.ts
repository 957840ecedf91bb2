import { SingleBar } from 'cli-progress';
import type { CommandIo } from '../cli/command.js';

/** A progress display on stderr: a bar on a terminal, nothing otherwise (logs stay clean). */
export interface Progress {
  update(value: number, payload?: Readonly<Record<string, string>>): void;
  stop(): void;
}

/** The placeholders cli-progress fills itself; any other `{name}` in a format is payload. */
const BUILTIN_PLACEHOLDERS = new Set([
  'bar',
  'value',
  'total',
  'percentage',
  'eta',
  'eta_formatted',
  'duration',
  'duration_formatted',
]);

/**
 * A `cli-progress` bar on stderr when stderr is a terminal; a no-op when it is not (CI, pipes).
 * `format` may use `{bar}`, `{value}`, `{total}`, `{percentage}`, `{eta}` and payload keys; the
 * first frame shows `payload` (default `-` for every payload key of the format), never a literal
 * `{key}`.
 */
export function createProgress(
  io: CommandIo,
  {
    total,
    format,
    payload,
  }: {
    readonly total: number;
    readonly format: string;
    readonly payload?: Readonly<Record<string, string>>;
  },
): Progress {
  if (!io.stderr.isTTY) return { update: () => undefined, stop: () => undefined };
  const bar = new SingleBar({
    format,
    stream: io.stderr as NodeJS.WriteStream,
    hideCursor: true,
    clearOnComplete: false,
  });
  const placeholders = [...format.matchAll(/\{(\w+)\}/g)]
    .map((match) => match[1] as string)
    .filter((name) => !BUILTIN_PLACEHOLDERS.has(name));
  bar.start(total, 0, {
    ...Object.fromEntries(placeholders.map((name) => [name, '-'])),
    ...payload,
  });
  return {
    update: (value, update) => bar.update(value, update),
    stop: () => bar.stop(),
  };
}
