import { InvalidArgumentError } from '@sinkflow/core';
import {
  formatBytes,
  MEMORY_BUDGET_VARIABLE,
  type MemoryBudget,
  memoryBudget,
} from '../io/memory-budget.js';

/**
 * Estimated peak bytes of one sweep run with `n` points per side in `d` dimensions: the source,
 * the target and the T0 images (float64, `24 n d`), a spare `n x d` copy (`8 n d`), the potentials,
 * pairs and indices (`40 n`), and for the `exact` coupling the dense `n x n` float64 cost matrix of
 * the assignment (`8 n^2`). The Sinkhorn kernel is not counted: in `auto` mode the engine keeps it
 * only within its own budget (a quarter of the RAM) and recomputes it otherwise.
 *
 * @example
 * ```ts
 * sweepRunBytes({ n: 4096, d: 32, exact: false }); // 4358144
 * ```
 */
export function sweepRunBytes({
  n,
  d,
  exact,
}: {
  readonly n: number;
  readonly d: number;
  readonly exact: boolean;
}): number {
  return 32 * n * d + 40 * n + (exact ? 8 * n * n : 0);
}

/**
 * Refuses a sweep whose largest run (each OT batch size at the largest dimension) would not fit in
 * the memory budget, naming `config.otBatchSizes[k]` with the bytes needed and available. Runs go
 * one per process; `--jobs N` runs N of them at once, which this check does not multiply.
 *
 * @throws {@link InvalidArgumentError} naming the batch size.
 * @example
 * ```ts
 * checkSweepMemory({ kind: 'train', dimensions: [32], otBatchSizes: [1024], options: {} });
 * ```
 */
export function checkSweepMemory(
  config: {
    readonly kind: string;
    readonly dimensions: readonly number[];
    readonly otBatchSizes: readonly number[];
    readonly options: Readonly<Record<string, unknown>>;
  },
  budget: MemoryBudget = memoryBudget(),
): void {
  const d = Math.max(...config.dimensions);
  const exact = config.kind === 'train' && config.options.coupling === 'exact';
  config.otBatchSizes.forEach((n, index) => {
    const bytes = sweepRunBytes({ n, d, exact });
    if (bytes <= budget.bytes) return;
    throw new InvalidArgumentError({
      functionName: 'sinkflow sweep',
      argumentName: `config.otBatchSizes[${index}]`,
      message: `a run with n = ${n} points per side in d = ${d}${exact ? ' (exact coupling: an n x n cost matrix)' : ''} needs about ${formatBytes(bytes)} (${bytes} bytes) but the memory budget is ${formatBytes(budget.bytes)} (${budget.source}; set ${MEMORY_BUDGET_VARIABLE} to change it)`,
    });
  });
}
