import type { SinkhornSettings } from '../settings/sinkhorn-settings.js';
import type { SinkhornProgress } from './sinkhorn-loop.js';
import type { CouplingPotentials } from './sinkhorn-solution.js';

/**
 * Options of a Sinkhorn solve at a given epsilon: the solver's settings (a `Pick` of
 * {@link SinkhornSettings}, defaults in `SINKHORN_DEFAULTS`) plus the per-call warm start,
 * progress callback and abort signal.
 */
export interface SinkhornSolveOptions
  extends Pick<
    SinkhornSettings,
    'epsilon' | 'threshold' | 'maxIterations' | 'innerIterations' | 'momentumStart'
  > {
  /**
   * Warm start: potentials of an earlier solve on the same clouds and cost (any epsilon).
   * @default undefined (f = u, i.e. zero reduced potentials)
   */
  readonly initialPotentials?: Pick<CouplingPotentials, 'f' | 'g'> | undefined;
  /** Called at every marginal-error check. @default undefined */
  readonly onProgress?: ((progress: SinkhornProgress) => void) | undefined;
  /** Aborts the solve (the promise rejects with `signal.reason`). @default undefined */
  readonly signal?: AbortSignal | undefined;
}
