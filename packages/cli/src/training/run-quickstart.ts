import type { CouplingName } from './coupling-pair-source.js';
import { evaluateFlowModel } from './evaluate-flow-model.js';
import { flowPicture } from './flow-samples.js';
import type { FlowTask } from './flow-task.js';
import { type TrainingSettings, trainFlowModel } from './train-flow-model.js';

/** The sizes of the quickstart (embedded defaults; tests shrink them). */
export interface QuickstartSettings {
  readonly training: TrainingSettings;
  /** Points per side of the one OT coupling (solved once, before training). */
  readonly otBatchSize: number;
  readonly targetEntropy: number;
  /** Held-out source points for curvature and reconstruction. */
  readonly evaluationPoints: number;
  /** Held-out target points for the likelihood (exact divergence). */
  readonly likelihoodPoints: number;
}

/**
 * The quickstart's defaults, sized for a 2-core machine: a 3 x 256 MLP (the paper's is 5 x 512),
 * 1500 steps of batch 256, one coupling of 4096 points per side at E = 0.2.
 */
export const QUICKSTART_DEFAULTS: QuickstartSettings = {
  training: { steps: 1500, batchSize: 256, hiddenLayers: 3, width: 256, seed: 0 },
  otBatchSize: 4096,
  targetEntropy: 0.2,
  evaluationPoints: 1000,
  likelihoodPoints: 256,
};

/** One row of the quickstart's table and JSON. */
export interface QuickstartRun {
  readonly name: 'i-fm' | 'ot-fm' | 'supervised';
  readonly coupling: CouplingName;
  readonly curvature: number;
  readonly reconstruction: number | null;
  readonly bpd: number;
  readonly renormalizedEntropy: number | null;
  readonly sinkhornSecondsPerExample: number | null;
  readonly trainSeconds: number;
  readonly evaluationSeconds: number;
  readonly finalLoss: number | null;
  /** Samples against the target and trajectories on coordinates 1 and 2, as JSON (the report's). */
  readonly samples: string;
  readonly trajectories: string;
}

// Trained in this order (the table lists I-FM first): the order does not change any run's result,
// every run draws from its own seeded streams.
const RUNS = [
  { name: 'ot-fm', coupling: 'precomputed' },
  { name: 'i-fm', coupling: 'independent' },
  { name: 'supervised', coupling: 'supervised' },
] as const;
const ORDER = ['i-fm', 'ot-fm', 'supervised'];

/**
 * Trains I-FM, OT-FM (pairs from one entropic OT coupling at the target E) and the supervised
 * reference `(x, T0(x))` with the same model, steps, batch and seed, and evaluates each
 * [klein2025]: curvature, reconstruction against T0, BPD.
 */
export async function runQuickstart({
  task,
  settings,
  onMessage,
  onStep,
}: {
  readonly task: FlowTask;
  readonly settings: QuickstartSettings;
  readonly onMessage?: (message: string) => void;
  readonly onStep?: (name: string, step: number) => void;
}): Promise<QuickstartRun[]> {
  const runs: QuickstartRun[] = [];
  for (const { name, coupling } of RUNS) {
    onMessage?.(`training ${name} (${coupling} pairs, ${settings.training.steps} steps)`);
    const outcome = await trainFlowModel({
      task,
      coupling: {
        coupling,
        otBatchSize: settings.otBatchSize,
        targetEntropy: settings.targetEntropy,
        seed: settings.training.seed,
      },
      training: settings.training,
      ...(onStep === undefined ? {} : { onStep: (report) => onStep(name, report.step) }),
    });
    try {
      onMessage?.(`evaluating ${name} (trained in ${outcome.trainSeconds.toFixed(1)} s)`);
      const evaluation = await evaluateFlowModel({
        model: outcome.model,
        task,
        settings: {
          n: settings.evaluationPoints,
          likelihoodPoints: settings.likelihoodPoints,
          // Held out: the pair sources draw from the streams of the training seed.
          seed: settings.training.seed + 1_000_003,
        },
      });
      const picture = await flowPicture({
        model: outcome.model,
        task,
        seed: settings.training.seed + 2_000_003,
      });
      runs.push({
        name,
        coupling,
        curvature: evaluation.curvature,
        reconstruction: evaluation.reconstruction,
        bpd: evaluation.bpd,
        renormalizedEntropy: outcome.renormalizedEntropy,
        sinkhornSecondsPerExample: outcome.sinkhornSecondsPerExample,
        trainSeconds: outcome.trainSeconds,
        evaluationSeconds: evaluation.evaluationSeconds,
        finalLoss: outcome.finalLoss,
        samples: JSON.stringify({ ...picture.samples, projected: picture.projected }),
        trajectories: JSON.stringify(picture.trajectories),
      });
    } finally {
      outcome.model.dispose();
    }
  }
  return runs.sort((a, b) => ORDER.indexOf(a.name) - ORDER.indexOf(b.name));
}
