import { InvalidArgumentError } from '@sinkflow/core';
import {
  createBatchOtPairSource,
  createExactAssignmentPairSource,
  createIndependentPairSource,
  createPrecomputedCouplingPairSource,
  createSemidiscretePairSource,
  createSupervisedPairSource,
  type PairSource,
} from '@sinkflow/fm';
import type { SinkhornSettings } from '@sinkflow/ot';
import type { FlowTask } from './flow-task.js';

/** The couplings a training run can use [klein2025]. */
export const COUPLING_NAMES = [
  'independent',
  'ot',
  'precomputed',
  'exact',
  'supervised',
  'semidiscrete',
] as const;

/** One of {@link COUPLING_NAMES}. */
export type CouplingName = (typeof COUPLING_NAMES)[number];

/**
 * How the pairs of a training run are drawn: the coupling and its sizes, and the regularisation of
 * its Sinkhorn couplings as a `Pick` of ot's `SinkhornSettings` (`epsilon` or `targetEntropy`; with
 * neither, ot's default epsilon), passed to fm's pair sources unchanged and validated there by
 * ot's `validateSinkhornSettings`.
 */
export interface CouplingSettings extends Pick<SinkhornSettings, 'epsilon' | 'targetEntropy'> {
  /**
   * `independent`: I-FM; `ot`: a fresh Sinkhorn coupling of `otBatchSize` points per side serving
   * `pairsPerCoupling` pairs; `precomputed`: one coupling of `otBatchSize` points solved once
   * before training; `exact`: the optimal assignment of `otBatchSize` points; `supervised`:
   * `(x, T0(x))`; `semidiscrete`: fresh noise paired with `otBatchSize` data points by a fitted
   * semidiscrete dual [mousavi2025semidiscrete] (hard without `epsilon`).
   */
  readonly coupling: CouplingName;
  /** n, the OT batch size (points per side of a coupling). */
  readonly otBatchSize: number;
  /** Pairs sampled from each `ot` coupling. @default otBatchSize */
  readonly pairsPerCoupling?: number | undefined;
  /** Seed of the pair source's draws. */
  readonly seed: number;
  /** `semidiscrete`: the dual's fit stops after this many Adam steps at the latest. @default 10 000 */
  readonly fitSteps?: number | undefined;
  /** `semidiscrete`: go on fitting the dual on the training noise, one step per chunk. @default false */
  readonly refineDual?: boolean | undefined;
}

/**
 * Builds the pair source of a coupling for a task (not started: the trainer starts or resumes it).
 *
 * @throws {@link InvalidArgumentError} (argument `--coupling`) for `supervised` on a task whose
 * Monge map is unknown.
 */
export function createCouplingPairSource(task: FlowTask, settings: CouplingSettings): PairSource {
  const { source, target } = task;
  // `sinkhorn`: the `epsilon` or `targetEntropy` the caller gave, as given.
  const { coupling, otBatchSize, pairsPerCoupling, seed, fitSteps, refineDual, ...sinkhorn } =
    settings;
  switch (coupling) {
    case 'independent':
      return createIndependentPairSource({ source, target, seed });
    case 'ot':
      return createBatchOtPairSource({
        source,
        target,
        couplingSize: otBatchSize,
        pairsPerCoupling: pairsPerCoupling ?? otBatchSize,
        seed,
        ...sinkhorn,
      });
    case 'precomputed':
      return createPrecomputedCouplingPairSource({
        source,
        target,
        couplingSize: otBatchSize,
        seed,
        ...sinkhorn,
      });
    case 'exact':
      return createExactAssignmentPairSource({ source, target, couplingSize: otBatchSize, seed });
    case 'supervised':
      if (task.map === undefined) {
        throw new InvalidArgumentError({
          functionName: 'createCouplingPairSource',
          argumentName: '--coupling',
          message: `'supervised' needs a benchmark with a known Monge map; ${task.name} has none`,
          value: coupling,
        });
      }
      return createSupervisedPairSource({ source, map: task.map, seed });
    case 'semidiscrete':
      if (sinkhorn.targetEntropy !== undefined) {
        throw new InvalidArgumentError({
          functionName: 'createCouplingPairSource',
          argumentName: '--target-entropy',
          message:
            "does not apply to 'semidiscrete' (one dual over the data set, not an n x n coupling): give --epsilon, or none for the hard coupling",
          value: sinkhorn.targetEntropy,
        });
      }
      return createSemidiscretePairSource({
        source,
        target,
        dataSize: otBatchSize,
        epsilon: sinkhorn.epsilon ?? 0,
        seed,
        ...(fitSteps === undefined ? {} : { fit: { maxSteps: fitSteps } }),
        refineDual: refineDual ?? false,
      });
  }
}
