import type { SinkhornProgress } from '@sinkflow/ot';
import type { CommandIo } from '../cli/command.js';
import { createProgress } from './progress.js';

/** Steps of the bar: its position is `round(STEPS * fraction)`. */
const STEPS = 1000;

/**
 * How far a Sinkhorn solve is from its stopping rule, in [0, 1], on a log scale from an L1
 * marginal error of 1 (the bar's left end: two probability vectors are at most 2 apart) down to
 * `threshold` (its right end): the error falls roughly geometrically, so every decade fills the
 * same length, `log(1 / error) / log(1 / threshold)`, whatever the iteration cap. 0 at or above
 * an error of 1 (and for NaN), 1 once the error is below the threshold.
 *
 * @example
 * ```ts
 * marginalErrorFraction({ error: 0.1, threshold: 1e-3 }); // 1/3
 * ```
 */
export function marginalErrorFraction({
  error,
  threshold,
}: {
  readonly error: number;
  readonly threshold: number;
}): number {
  if (Number.isNaN(error)) return 0;
  if (error <= threshold) return 1;
  if (!(threshold < 1)) return 0;
  return Math.min(1, Math.max(0, Math.log(error) / Math.log(threshold)));
}

/** The progress of one `solve`: the callback for ot's `onProgress`, and `stop`. */
export interface SinkhornProgressDisplay {
  readonly onProgress: (progress: SinkhornProgress) => void;
  stop(): void;
}

/**
 * The bar of `sinkflow solve` on stderr (a no-op when stderr is not a terminal): the marginal error
 * against `threshold` on a log scale from 1 (see {@link marginalErrorFraction}), the iteration, and under
 * `--target-entropy` the entropy search's step and its epsilon (a new step starts when the
 * iteration count goes back):
 *
 *     sinkhorn [██████████░░░░░░░░░░] error 3.16e-2 -> 1e-3 | iteration 120 | search step 2, eps 0.104
 *
 * @example
 * ```ts
 * const display = sinkhornProgress(io, { threshold: 1e-3, search: false });
 * await problem.solve({ epsilon, onProgress: display.onProgress });
 * display.stop();
 * ```
 */
export function sinkhornProgress(
  io: CommandIo,
  { threshold, search }: { readonly threshold: number; readonly search: boolean },
): SinkhornProgressDisplay {
  const bar = createProgress(io, {
    total: STEPS,
    format: `sinkhorn [{bar}] error {error} -> ${threshold.toExponential(0)} | iteration {iteration}{search}`,
    payload: { error: '-', iteration: '0', search: search ? ' | search step 1' : '' },
  });
  let step = 1;
  let last = 0;
  return {
    onProgress: ({ iteration, error, epsilon }) => {
      if (iteration < last) step += 1;
      last = iteration;
      const fraction = marginalErrorFraction({ error, threshold });
      bar.update(Math.round(STEPS * fraction), {
        error: Number.isFinite(error) ? error.toExponential(2) : String(error),
        iteration: String(iteration),
        search: search ? ` | search step ${step}, eps ${epsilon.toPrecision(3)}` : '',
      });
    },
    stop: () => bar.stop(),
  };
}
