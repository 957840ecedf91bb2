import { createRandomGenerator } from '@sinkflow/core';
import { createModelVelocityField, type VelocityModel } from '@sinkflow/fm';
import { curvature, flowMap, negativeLogLikelihood, reconstruction } from '@sinkflow/metrics';
import type { FlowTask } from './flow-task.js';

/** How a trained model is evaluated. */
export interface EvaluationSettings {
  /** Held-out source points for curvature and reconstruction. */
  readonly n: number;
  /** Held-out target points for the likelihood. @default min(n, 256) */
  readonly likelihoodPoints?: number;
  /** The divergence in the likelihood: exact (d Jacobian products) or Hutchinson. @default 'exact' */
  readonly divergence?: 'exact' | 'hutchinson';
  /** Seed of the held-out points (use one the training did not). */
  readonly seed: number;
}

/** The paper's three metrics of a flow model [klein2025, Sec. 4.1]; lower is better. */
export interface FlowEvaluation {
  /** Curvature kappa (Euler, 50 steps) over the held-out source points. */
  readonly curvature: number;
  /** Mean ||T_theta(x) - T0(x)||^2 (flow map by Euler, 50 steps); null when T0 is unknown. */
  readonly reconstruction: number | null;
  /** 100 reconstruction / Var(T0 x) (percent); null when T0 is unknown. */
  readonly l2Uvp: number | null;
  /** Bits per dimension of held-out target points (Euler, 50 steps). */
  readonly bpd: number;
  readonly negativeLogLikelihood: number;
  readonly evaluationSeconds: number;
}

/**
 * Evaluates a flow model on a task: curvature and reconstruction on `n` held-out source points,
 * BPD on held-out target points, all with Euler and 50 steps (the paper's synthetic setting).
 */
export async function evaluateFlowModel({
  model,
  task,
  settings,
}: {
  readonly model: VelocityModel;
  readonly task: FlowTask;
  readonly settings: EvaluationSettings;
}): Promise<FlowEvaluation> {
  const started = performance.now();
  const { n, seed, divergence = 'exact' } = settings;
  const likelihoodPoints = settings.likelihoodPoints ?? Math.min(n, 256);
  const random = createRandomGenerator({ seed });
  const field = createModelVelocityField({ model });
  const x0 = await task.source.sample({ count: n, random: random.split(0) });
  const x1 = await task.target.sample({ count: likelihoodPoints, random: random.split(1) });
  const bent = await curvature({ field, x0 });
  let reconstructed: { reconstruction: number; l2Uvp: number } | null = null;
  if (task.referenceMap !== undefined) {
    reconstructed = await reconstruction({
      x0,
      d: task.d,
      map: flowMap({ field }),
      referenceMap: task.referenceMap,
    });
  }
  const likelihood = await negativeLogLikelihood({
    field,
    x1,
    divergence,
    seed,
    ...(divergence === 'hutchinson' ? { probes: 4 } : {}),
  });
  return {
    curvature: bent.curvature,
    reconstruction: reconstructed?.reconstruction ?? null,
    l2Uvp: reconstructed?.l2Uvp ?? null,
    bpd: likelihood.bitsPerDimension,
    negativeLogLikelihood: likelihood.negativeLogLikelihood,
    evaluationSeconds: (performance.now() - started) / 1000,
  };
}
