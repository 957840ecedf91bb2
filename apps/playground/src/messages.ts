/** Bins per side of the plan's density image. */
export const PLAN_BINS = 96;

/** A request to the coupling worker: solve for E between x and y, then sample pairs. */
export interface CouplingRequest {
  readonly x: Float32Array;
  readonly y: Float32Array;
  readonly targetEntropy: number;
  readonly pairCount: number;
}

/** The coupling worker's answer. */
export type CouplingAnswer =
  | {
      readonly type: 'done';
      readonly rows: Int32Array;
      readonly columns: Int32Array;
      /** The plan's density: PLAN_BINS x PLAN_BINS counts of many sampled pairs, rows and columns by angle. */
      readonly plan: Float32Array;
      readonly epsilon: number;
      readonly relativeEpsilon: number;
      readonly renormalizedEntropy: number;
      readonly reached: boolean;
      readonly solves: number;
      readonly iterations: number;
      readonly seconds: number;
      readonly backend: string;
      readonly crossOriginIsolated: boolean;
    }
  | { readonly type: 'progress'; readonly message: string }
  | { readonly type: 'error'; readonly message: string };

/** A request to a training worker: one flow, on independent or Sinkhorn pairs. */
export interface TrainingRequest {
  readonly coupling: 'independent' | 'sinkhorn';
  readonly x: Float32Array;
  readonly y: Float32Array;
  readonly targetEntropy: number;
  readonly steps: number;
  /** Source points whose trajectories are drawn. */
  readonly starts: Float32Array;
  /** Euler steps of a trajectory. */
  readonly timeSteps: number;
  /** TensorFlow.js backends to try, in order (the first that initialises runs). */
  readonly tfBackends: readonly string[];
}

/** A training worker's messages. */
export type TrainingAnswer =
  | { readonly type: 'progress'; readonly step: number; readonly loss: number }
  | {
      readonly type: 'done';
      /** timeSteps + 1 snapshots of the starts, each n x 2. */
      readonly trajectories: Float32Array[];
      readonly loss: number;
      readonly seconds: number;
      readonly tfBackend: string;
      readonly renormalizedEntropy: number | null;
    }
  | { readonly type: 'error'; readonly message: string };
