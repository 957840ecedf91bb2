import { InvalidArgumentError } from '@sinkflow/core';
import { defaultMemoryBudget } from '../../problem/memory-budget.js';

/**
 * @internal Refuses a dense kernel that would not fit in the memory budget, before allocating it:
 * `bytesPerEntry n m` bytes (the JS backend keeps `K` and `K^T` in float64, 16 bytes an entry)
 * against `memoryBudgetBytes` (default: {@link defaultMemoryBudget}, a quarter of the RAM).
 *
 * @throws {@link InvalidArgumentError} (argument `mode`) with the bytes needed and the budget.
 */
export async function requireDenseKernelFits({
  functionName,
  n,
  m,
  bytesPerEntry,
  memoryBudgetBytes,
}: {
  readonly functionName: string;
  readonly n: number;
  readonly m: number;
  readonly bytesPerEntry: number;
  readonly memoryBudgetBytes: number | undefined;
}): Promise<void> {
  const budget = memoryBudgetBytes ?? (await defaultMemoryBudget());
  const bytes = bytesPerEntry * n * m;
  if (bytes <= budget) return;
  throw new InvalidArgumentError({
    functionName,
    argumentName: 'mode',
    message: `'dense' keeps the ${n} x ${m} kernel and its transpose (${bytesPerEntry} bytes an entry): ${bytes} bytes, more than the memory budget of ${budget} bytes${memoryBudgetBytes === undefined ? ' (a quarter of the RAM)' : ''}; use 'online' or 'auto'`,
    value: 'dense',
  });
}
