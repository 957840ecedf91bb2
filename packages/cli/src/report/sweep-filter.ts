import type { RunRecord } from '../sweep/results-store.js';

/**
 * Which sweeps `sinkflow report --sweep` selects: comma-separated names, `*` matching any
 * characters; every sweep when it is not given.
 *
 * @example
 * ```ts
 * sweepFilter('pa-*,inv-steps-1200')(runs); // the runs of pa-d16, pa-d32, ... and inv-steps-1200
 * ```
 */
export function sweepFilter(
  names: string | undefined,
): (runs: readonly RunRecord[]) => RunRecord[] {
  if (names === undefined) return (runs) => [...runs];
  const patterns = names
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name.length > 0)
    .map(
      (name) =>
        new RegExp(
          `^${name
            .split('*')
            .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
            .join('.*')}$`,
        ),
    );
  return (runs) => runs.filter((run) => patterns.some((pattern) => pattern.test(run.sweep)));
}
