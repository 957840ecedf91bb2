import type { DistributionSampler } from '../data/distribution-sampler.js';
import { createFreshCouplingSource } from '../internal/fresh-coupling-source.js';
import type { PairSource } from './pair-source.js';
import { type SinkhornPairOptions, sinkhornSettings } from './sinkhorn-pair-options.js';

/** Options of {@link createBatchOtPairSource}. */
export interface BatchOtPairSourceOptions extends SinkhornPairOptions {
  /** `mu_0`, the noise. */
  readonly source: DistributionSampler;
  /** `mu_1`, the data (same dimension). */
  readonly target: DistributionSampler;
  /** The OT batch size `n`: points per side of each coupling (the paper: 256 to 2^21). */
  readonly couplingSize: number;
  /**
   * Pairs sampled from each coupling (Algorithm 2, line 4). With `n` larger than the training
   * batch, one coupling serves `n / batch` steps; smaller, several couplings fill a step.
   * @default couplingSize
   */
  readonly pairsPerCoupling?: number;
  /**
   * Where Sinkhorn runs: `'worker'` (a `node:worker_threads` worker, ahead of training; falls
   * back to the main thread when unavailable, see `statistics().executionNote`) or `'main-thread'`.
   * @default 'worker'
   */
  readonly runOn?: 'worker' | 'main-thread';
  /** Couplings prepared ahead of the one being consumed. @default 1 */
  readonly prefetch?: number;
  /**
   * Root seed: coupling `k` draws its points from the streams `split(3k)`, `split(3k + 1)` and its
   * pair-sampling seed from `split(3k + 2)`. @default 0
   */
  readonly seed?: number;
}

/**
 * Batch-OT pairs by Sinkhorn (OT-FM [tong2024] at the scale of [klein2025]): for each chunk,
 * `X_0 ~ mu_0^n`, `X_1 ~ mu_1^n`, the entropic coupling
 *
 *     P = argmin_{P 1 = 1/n, P^T 1 = 1/n} <P, C> - eps H(P),   C = -X_0 X_1^T,
 *
 * with `eps` relative to `std(C)` or found for a target renormalized entropy `E(P)`, then
 * `pairsPerCoupling` exact samples `(i_k, j_k) ~ P` (Gumbel-max, Algorithm 2 lines 1-4). The
 * solves run in a worker thread ahead of training, so training waits only when OT is slower than
 * the model. Each coupling's `E`, relative epsilon, iterations and Sinkhorn seconds per example
 * are reported in the batches (`couplings`) and in `statistics()`.
 *
 * Resuming restarts the coupling being consumed (it is solved again, deterministically) and skips
 * the pairs already used; with `targetEntropy`, the search start is saved with the state.
 *
 * @throws {@link InvalidArgumentError} naming the option (samplers of different dimensions, both
 * `epsilon` and `targetEntropy`, a bad size, seed or Sinkhorn option).
 * @example
 * ```ts
 * const pairs = createBatchOtPairSource({
 *   source: standardNormalSampler({ d: 32 }), target: data,
 *   couplingSize: 8192, targetEntropy: 0.1, seed: 0,
 * });
 * await pairs.start();
 * const batch = await pairs.next({ count: 2048 });
 * batch.couplings[0]?.renormalizedEntropy; // about 0.1
 * await pairs.dispose();
 * ```
 */
export function createBatchOtPairSource({
  source,
  target,
  couplingSize,
  pairsPerCoupling = couplingSize,
  runOn = 'worker',
  prefetch = 1,
  seed = 0,
  ...sinkhorn
}: BatchOtPairSourceOptions): PairSource {
  const functionName = 'createBatchOtPairSource';
  const settings = sinkhornSettings(sinkhorn, functionName);
  return createFreshCouplingSource(
    'batch-ot',
    { source, target, couplingSize, pairsPerCoupling, runOn, prefetch, seed },
    { functionName, settings, initialRelativeEpsilon: settings.initialRelativeEpsilon },
  );
}
