import { InvalidArgumentError } from '@sinkflow/core';
import {
  type PartnerSampler,
  type SemidiscreteState,
  validateSemidiscreteState,
} from '@sinkflow/ot';
import type { PairSourceState } from './pair-source.js';

/**
 * The refined dual of a semidiscrete pair source, chunk by chunk (internal). The partner sampler
 * takes one more step of the fit with every chunk it pairs (`refine` of `createPartnerSampler`),
 * and chunks are prepared ahead of the trainer, so the state to checkpoint at a position is the
 * one from *before* its chunk was paired: resuming there pairs that chunk again with the same
 * dual, as the uninterrupted run did. This log keeps those states for the chunks prepared and not
 * yet left.
 */
export class DualRefinementLog {
  #start: SemidiscreteState;
  readonly #before = new Map<number, SemidiscreteState>();

  constructor(start: SemidiscreteState) {
    this.#start = start;
  }

  /** The state the next chunk will be paired with. */
  current(sampler: PartnerSampler | null): SemidiscreteState {
    return sampler?.state() ?? this.#start;
  }

  /** Call before pairing chunk `index` (chunks are paired in order); returns the state kept. */
  beforeChunk(index: number, sampler: PartnerSampler | null): SemidiscreteState {
    const state = this.current(sampler);
    this.#before.set(index, state);
    return state;
  }

  /** The consumer entered chunk `index`: earlier chunks can no longer be a checkpoint's position. */
  entered(index: number): void {
    for (const chunk of this.#before.keys()) if (chunk < index) this.#before.delete(chunk);
  }

  /** The state to save at a position in `chunk` (that chunk's, or the current one if not paired yet). */
  stateAt(chunk: number, sampler: PartnerSampler | null): SemidiscreteState {
    return this.#before.get(chunk) ?? this.current(sampler);
  }

  /** Starts again from `start` (a restored checkpoint, a new fit). */
  reset(start: SemidiscreteState): void {
    this.#start = start;
    this.#before.clear();
  }
}

/**
 * The checkpoint fields of a refinement state (`g` itself, its average, is saved as `arrays.g`)
 * and of `from`, the fit's step when training began.
 */
export function refinementCheckpoint(
  state: SemidiscreteState,
  from: number,
): Pick<PairSourceState, 'extra' | 'arrays'> {
  return {
    extra: {
      refineFrom: from,
      refineStep: state.step,
      refineCostStd: state.costStd,
      refineRandom: JSON.stringify(state.random),
      refineSeconds: state.seconds ?? 0,
    },
    arrays: {
      refineIterate: Float64Array.from(state.g),
      refineFirstMoment: Float64Array.from(state.firstMoment),
      refineSecondMoment: Float64Array.from(state.secondMoment),
    },
  };
}

/**
 * The refinement state saved in a checkpoint by {@link refinementCheckpoint}, around its dual `g`;
 * null when the checkpoint has none (saved without refining). A forged or truncated state (arrays
 * of another length than `g`, non-finite entries) is refused here, when the checkpoint is loaded,
 * not at the first chunk paired with it.
 */
export function restoredRefinement(
  state: PairSourceState,
  dual: { readonly g: Float64Array; readonly epsilon: number },
  functionName: string,
): { readonly state: SemidiscreteState; readonly from: number } | null {
  const { refineFrom, refineStep, refineCostStd, refineRandom, refineSeconds } = state.extra;
  const { refineIterate, refineFirstMoment, refineSecondMoment } = state.arrays;
  if (refineStep === undefined) return null;
  let random: unknown;
  try {
    random = JSON.parse(String(refineRandom));
  } catch {
    random = undefined;
  }
  if (
    typeof refineFrom !== 'number' ||
    typeof refineStep !== 'number' ||
    typeof refineCostStd !== 'number' ||
    typeof refineSeconds !== 'number' ||
    random === undefined ||
    !(refineIterate instanceof Float64Array) ||
    !(refineFirstMoment instanceof Float64Array) ||
    !(refineSecondMoment instanceof Float64Array)
  ) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'state.extra.refineStep',
      message:
        "the checkpoint's refinement of the dual is incomplete (refineFrom, refineStep, refineCostStd, refineRandom, refineSeconds, arrays refineIterate, refineFirstMoment, refineSecondMoment)",
    });
  }
  const restored: SemidiscreteState = {
    version: 1,
    step: refineStep,
    g: Array.from(refineIterate),
    gAverage: Array.from(dual.g),
    firstMoment: Array.from(refineFirstMoment),
    secondMoment: Array.from(refineSecondMoment),
    epsilon: dual.epsilon,
    costStd: refineCostStd,
    random: random as SemidiscreteState['random'],
    seconds: refineSeconds,
  };
  validateSemidiscreteState(restored, dual.g.length, functionName, 'state.refinement');
  if (!(Number.isSafeInteger(refineFrom) && refineFrom >= 0 && refineFrom <= refineStep)) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'state.extra.refineFrom',
      message: `must be an integer in [0, refineStep = ${refineStep}]`,
      value: refineFrom,
    });
  }
  return { state: restored, from: refineFrom };
}
