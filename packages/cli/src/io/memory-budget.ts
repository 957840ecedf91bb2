import { totalmem } from 'node:os';
import { InvalidArgumentError } from '@sinkflow/core';

/** The environment variable that sets the lab's memory budget in bytes (`4e9`, `512MiB`, `2GB`). */
export const MEMORY_BUDGET_VARIABLE = 'SINKFLOW_MEMORY_BUDGET';

/** How many bytes one command may allocate for its large arrays, and where that figure came from. */
export interface MemoryBudget {
  readonly bytes: number;
  /** A phrase for messages: `half of the 23.4 GiB of RAM` or `SINKFLOW_MEMORY_BUDGET`. */
  readonly source: string;
}

/**
 * The memory budget of one command: `SINKFLOW_MEMORY_BUDGET` when set (bytes, with an optional
 * unit: `KB`, `MB`, `GB`, `KiB`, `MiB`, `GiB`), else half of the machine's RAM (`os.totalmem() / 2`):
 * the JavaScript heap, the WebAssembly workers and the other processes of the machine need the
 * rest (`os.freemem()` is not used: on Linux it leaves out the page cache, which is reclaimable).
 *
 * @throws {@link InvalidArgumentError} (argument `SINKFLOW_MEMORY_BUDGET`) for an unreadable value.
 * @example
 * ```ts
 * memoryBudget(); // { bytes: 12567331840, source: 'half of the 23.4 GiB of RAM' }
 * ```
 */
export function memoryBudget(): MemoryBudget {
  const text = process.env[MEMORY_BUDGET_VARIABLE];
  if (text !== undefined && text.trim() !== '') {
    return { bytes: parseBytes(text), source: MEMORY_BUDGET_VARIABLE };
  }
  const total = totalmem();
  return { bytes: Math.floor(total / 2), source: `half of the ${formatBytes(total)} of RAM` };
}

/**
 * Refuses, before allocating, a request whose large arrays need more than the memory budget: an
 * {@link InvalidArgumentError} naming the flag that sets the size, with the bytes needed and the
 * bytes available (the command line exits 2 with that one line).
 *
 * @example
 * ```ts
 * requireMemory({ command: 'sample', flag: '--count', bytes: 20 * count, what: `${count} pairs` });
 * ```
 */
export function requireMemory({
  command,
  flag,
  bytes,
  what,
  budget = memoryBudget(),
}: {
  readonly command: string;
  readonly flag: string;
  /** The estimated peak bytes of the arrays the request allocates. */
  readonly bytes: number;
  /** What needs them, for the message (`2147483647 pairs`). */
  readonly what: string;
  readonly budget?: MemoryBudget;
}): void {
  if (bytes <= budget.bytes) return;
  throw new InvalidArgumentError({
    functionName: `sinkflow ${command}`,
    argumentName: flag,
    message: `${what} need about ${formatBytes(bytes)} (${bytes} bytes) but the memory budget is ${formatBytes(budget.bytes)} (${budget.source}; set ${MEMORY_BUDGET_VARIABLE} to change it)`,
  });
}

/** `1.5 GiB`, `512 MiB`, `12 KiB`, `100 B`. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${bytes} B` : `${value.toPrecision(3)} ${units[unit]}`;
}

function parseBytes(text: string): number {
  const match = /^\s*([0-9.]+(?:e[0-9]+)?)\s*(|B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)\s*$/i.exec(text);
  const scale: Record<string, number> = {
    '': 1,
    b: 1,
    kb: 1e3,
    mb: 1e6,
    gb: 1e9,
    tb: 1e12,
    kib: 2 ** 10,
    mib: 2 ** 20,
    gib: 2 ** 30,
    tib: 2 ** 40,
  };
  const value =
    match === null
      ? Number.NaN
      : Number(match[1]) * (scale[match[2]?.toLowerCase() ?? ''] ?? Number.NaN);
  if (!(value > 0) || !Number.isFinite(value)) {
    throw new InvalidArgumentError({
      functionName: 'sinkflow',
      argumentName: MEMORY_BUDGET_VARIABLE,
      message: 'must be a positive number of bytes, optionally with a unit (512MiB, 4GB)',
      value: text,
    });
  }
  return Math.floor(value);
}
