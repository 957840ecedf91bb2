import {
  DisposedError,
  InvalidArgumentError,
  type PointCloud,
  requireInteger,
  requirePositiveNumber,
} from '@sinkflow/core';
import { defaultScoreKernel } from './default-score-kernel.js';
import {
  type PreparedDual,
  prepareDual,
  type SampledPartners,
  type SamplePartnersOptions,
  sampleWithDual,
} from './sample-partners.js';
import {
  createDualAscent,
  DEFAULT_AVERAGE_DECAY,
  defaultLearningRate,
  requireAverageDecay,
} from './semidiscrete-ascent.js';
import type { ScoreKernel } from './semidiscrete-score-pass.js';
import { type SemidiscreteState, validateSemidiscreteState } from './semidiscrete-state.js';
import { scoreOffsets } from './semidiscrete-target.js';

/**
 * How a {@link PartnerSampler} refines its dual while it samples: the fit's ascent goes on with
 * each sampled batch as its batch of fresh draws.
 *
 * @example
 * ```ts
 * const refine: SemidiscreteRefinement = { state: solution.state };
 * ```
 */
export interface SemidiscreteRefinement {
  /** The fit's state (`solution.state`, or a saved one): its `gAverage` must be the sampler's `g`. */
  readonly state: SemidiscreteState;
  /** The fit's Adam step size. @default 0.01 std(C), std(C) from `state.costStd` (the fit's default) */
  readonly learningRate?: number | undefined;
  /** The fit's moving-average decay. @default 0.99 (the fit's default) */
  readonly averageDecay?: number | undefined;
}

/**
 * Options of {@link createPartnerSampler}: the points and the fitted dual of
 * {@link SamplePartnersOptions}, without the rows.
 *
 * @example
 * ```ts
 * const options: PartnerSamplerOptions = { y, g: solution.g, epsilon: solution.epsilon, capacity: 1024 };
 * ```
 */
export interface PartnerSamplerOptions extends Omit<SamplePartnersOptions, 'x' | 'seed' | 'draw'> {
  /** Rows per kernel batch (larger requests run in batches of this many). @default 4096 */
  readonly capacity?: number | undefined;
  /**
   * Refine the dual with every sampled batch (one more Adam step of the fit per `sample` call).
   * @default undefined (the dual stays as given)
   */
  readonly refine?: SemidiscreteRefinement | undefined;
}

/**
 * A prepared sampler: {@link samplePartners} for many batches of rows against one fitted dual.
 *
 * @example
 * ```ts
 * const { indices } = sampler.sample({ x: noise, seed: 3 });
 * ```
 */
export interface PartnerSampler {
  /** The partners of the rows `x` (and the map), as {@link samplePartners} with the same seed and draw. */
  sample(options: {
    readonly x: PointCloud;
    readonly seed?: number | undefined;
    readonly draw?: number | undefined;
  }): SampledPartners;
  /**
   * The refined fit's state after the last `sample` (its `gAverage` is the dual now sampled
   * with; `seconds` stays the fit's), to save and pass back as `refine.state`; undefined without
   * `refine`.
   */
  state(): SemidiscreteState | undefined;
  /** Releases the memory and threads; `sample` then throws. */
  dispose(): Promise<void>;
}

/**
 * Prepares {@link samplePartners} for many batches [mousavi2025semidiscrete]: the N points and the
 * offsets `h_j` of the dual `g` are loaded once into the memory of the score kernel (the
 * WebAssembly SIMD kernels on all threads where the host has WebAssembly and shared memory, else
 * the TypeScript reference), and each `sample` call writes its rows into the same memory. The
 * partners are those of {@link samplePartners} (argmax, or Gumbel-max with the keyed noise of
 * `@sinkflow/core`), up to float32 ties of the scores. With `refine: { state }` every `sample`
 * also takes the fit's next Adam step on its rows (`g <- g + lr_t m_hat / sqrt(v_hat)`, gradient
 * `b_j - (1/B) sum_i pi_j(x_i)` at the iterate), and the next call samples with the new average:
 * the dual `solveSemidiscrete` would reach on the same draws.
 *
 * @throws {@link InvalidArgumentError} naming the bad argument.
 * @example
 * ```ts
 * const sampler = await createPartnerSampler({ y, g: solution.g, epsilon: solution.epsilon });
 * const { indices } = sampler.sample({ x: noise, seed: 3 });
 * await sampler.dispose();
 * ```
 */
export async function createPartnerSampler(
  options: PartnerSamplerOptions,
): Promise<PartnerSampler> {
  const functionName = 'createPartnerSampler';
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'options',
      message: 'must be an options object',
      value: options,
    });
  }
  const { y, g, cost = 'dot', epsilon = 0, capacity = 4096, refine } = options;
  requireInteger(capacity, { functionName, argumentName: 'capacity', minimum: 1 });
  const dual = prepareDual({ y, g, cost, epsilon }, functionName);
  const refinement = refine === undefined ? undefined : startRefinement(refine, dual, functionName);
  const prepared = await defaultScoreKernel.prepare(dual.target, capacity);
  let alive = true;
  return {
    sample({ x, seed = 0, draw = 0 }) {
      if (!alive) {
        throw new DisposedError({ functionName, resource: 'sampler', operation: 'sample' });
      }
      const partners = sampleWithDual(
        prepared.kernel,
        dual,
        { x, seed, draw },
        `${functionName}.sample`,
      );
      if (refinement !== undefined) refinement.step(prepared.kernel, x);
      return partners;
    },
    state: () => refinement?.state(),
    async dispose() {
      if (!alive) return;
      alive = false;
      await prepared.dispose();
    },
  };
}

/**
 * The refinement of a sampler's dual: the fit's step on each sampled batch, exactly as
 * `solveSemidiscrete` takes it (the (soft) assignments of the batch under Adam's iterate `g`,
 * not under the average the partners come from: a gradient at the lagging average would make the
 * iterate oscillate), then the score offsets of the new average.
 */
function startRefinement(
  refine: SemidiscreteRefinement,
  dual: PreparedDual,
  functionName: string,
): { step(kernel: ScoreKernel, x: PointCloud): void; state(): SemidiscreteState } {
  const argumentName = 'refine.state';
  const saved = validateSemidiscreteState(
    refine?.state,
    dual.target.count,
    functionName,
    argumentName,
  );
  if (saved.epsilon !== dual.epsilon) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: `${argumentName}.epsilon`,
      message: `is ${saved.epsilon}, the sampler's epsilon is ${dual.epsilon}: not the state of this dual`,
      value: saved.epsilon,
    });
  }
  const offsets = scoreOffsets(
    dual.target,
    Float64Array.from(saved.gAverage),
    dual.epsilon,
    new Float64Array(dual.target.count),
  );
  if (offsets.some((value, j) => value !== dual.offsets[j])) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: `${argumentName}.gAverage`,
      message: 'is not g: give the state of the fit whose dual the sampler uses',
    });
  }
  const {
    learningRate = defaultLearningRate(saved.costStd),
    averageDecay = DEFAULT_AVERAGE_DECAY,
  } = refine;
  requirePositiveNumber(learningRate, { functionName, argumentName: 'refine.learningRate' });
  requireAverageDecay(averageDecay, functionName, 'refine.averageDecay');
  const { target, epsilon } = dual;
  const ascent = createDualAscent({ target, state: saved, epsilon, learningRate, averageDecay });
  return {
    step(kernel, x) {
      if (x.n === 0) return;
      ascent.advance(kernel, x.data, x.n);
      scoreOffsets(target, ascent.gAverage, epsilon, dual.offsets);
    },
    state: () => ({ ...saved, ...ascent.saved() }),
  };
}
