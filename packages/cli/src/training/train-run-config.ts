import { InvalidArgumentError } from '@sinkflow/core';
import type { CheckpointMetadataValue, TrainerCheckpoint } from '@sinkflow/fm';
import { COUPLING_NAMES, type CouplingName } from './coupling-pair-source.js';

/** Everything that defines a `sinkflow train` run: its data, its model, its coupling, its seed. */
export interface TrainRunConfig {
  readonly benchmark: string;
  readonly benchmarkSeed: number;
  readonly d: number;
  readonly coupling: CouplingName;
  /** Target renormalized entropy, or null when the run uses `relativeEpsilon`. */
  readonly targetEntropy: number | null;
  readonly relativeEpsilon: number | null;
  readonly otBatchSize: number;
  /** Pairs per `ot` coupling; null for the default (one pair per point). */
  readonly pairsPerCoupling: number | null;
  /** `semidiscrete`: the most Adam steps of the dual's fit; null for the default (10 000). */
  readonly fitSteps: number | null;
  /** `semidiscrete`: refine the dual on the training noise. */
  readonly refineDual: boolean;
  /** Decay of the moving average of the weights that is evaluated; null: the last weights. */
  readonly emaDecay: number | null;
  readonly batchSize: number;
  readonly hiddenLayers: number;
  readonly width: number;
  readonly seed: number;
}

/** The settings a user gave on the command line (undefined: not given). */
export type TrainRunFlags = { readonly [K in keyof TrainRunConfig]?: TrainRunConfig[K] };

/** The defaults of `sinkflow train`. */
export const TRAIN_RUN_DEFAULTS: TrainRunConfig = {
  benchmark: 'piecewise-affine',
  benchmarkSeed: 0,
  d: 32,
  coupling: 'ot',
  targetEntropy: 0.2,
  relativeEpsilon: null,
  otBatchSize: 4096,
  pairsPerCoupling: null,
  fitSteps: null,
  refineDual: false,
  emaDecay: null,
  batchSize: 256,
  hiddenLayers: 3,
  width: 256,
  seed: 0,
};

/** The flag of each setting. */
export const TRAIN_RUN_FLAGS: { readonly [K in keyof TrainRunConfig]: string } = {
  benchmark: '--benchmark',
  benchmarkSeed: '--benchmark-seed',
  d: '--d',
  coupling: '--coupling',
  targetEntropy: '--target-entropy',
  relativeEpsilon: '--relative-epsilon',
  otBatchSize: '--ot-batch-size',
  pairsPerCoupling: '--pairs-per-coupling',
  fitSteps: '--fit-steps',
  refineDual: '--refine-dual',
  emaDecay: '--ema-decay',
  batchSize: '--batch-size',
  hiddenLayers: '--hidden-layers',
  width: '--width',
  seed: '--seed',
};

const KEYS = Object.keys(TRAIN_RUN_FLAGS) as (keyof TrainRunConfig)[];

/**
 * The config as checkpoint metadata (written with every checkpoint of the run). `emaDecay` only
 * when set, so that checkpoints written before it existed match a run without it.
 */
export function trainRunMetadata(
  config: TrainRunConfig,
): Readonly<Record<string, CheckpointMetadataValue>> {
  const { emaDecay, ...rest } = config;
  return emaDecay === null ? rest : { ...rest, emaDecay };
}

/**
 * What a checkpoint says about its run: every setting from its metadata (checkpoints written by
 * `sinkflow train` since the metadata exists), else what the model, the trainer and the pair
 * source record (d, width, hidden layers, batch size, seed, coupling, weight average).
 */
export function savedTrainRunConfig(checkpoint: TrainerCheckpoint): TrainRunFlags {
  const fromParts: TrainRunFlags = {
    d: checkpoint.model.config.d,
    hiddenLayers: checkpoint.model.config.hiddenLayers,
    width: checkpoint.model.config.width,
    batchSize: checkpoint.trainer.batchSize,
    seed: checkpoint.trainer.seed,
    coupling: checkpoint.pairs.kind === 'batch-ot' ? 'ot' : checkpoint.pairs.kind,
    emaDecay: checkpoint.ema?.decay ?? null,
  };
  const metadata = checkpoint.metadata ?? {};
  const saved: Record<string, unknown> = { ...fromParts };
  for (const key of KEYS) if (key in metadata) saved[key] = metadata[key];
  if (!COUPLING_NAMES.includes(saved.coupling as CouplingName)) delete saved.coupling;
  return saved as TrainRunFlags;
}

/** Which settings a coupling uses (the others are ignored, on a fresh run as on a resumed one). */
function usedBy(coupling: CouplingName, key: keyof TrainRunConfig): boolean {
  const sinkhorn = coupling === 'ot' || coupling === 'precomputed';
  const semidiscrete = coupling === 'semidiscrete';
  if (key === 'targetEntropy') return sinkhorn;
  if (key === 'relativeEpsilon') return sinkhorn || semidiscrete;
  if (key === 'otBatchSize') return sinkhorn || semidiscrete || coupling === 'exact';
  if (key === 'pairsPerCoupling') return coupling === 'ot';
  if (key === 'fitSteps' || key === 'refineDual') return semidiscrete;
  return true;
}

/**
 * The config of a run: `given` over the defaults for a fresh run; for a resumed run, the
 * checkpoint's settings (`saved`), with the given flags checked against them. `--steps` and
 * `--checkpoint-every` are not settings of the run and may change.
 *
 * @throws {@link InvalidArgumentError} naming the first flag that contradicts the checkpoint.
 */
export function resolveTrainRunConfig({
  given,
  saved,
  checkpoint,
  functionName,
}: {
  readonly given: TrainRunFlags;
  /** The checkpoint's settings, or undefined for a fresh run. */
  readonly saved: TrainRunFlags | undefined;
  /** The checkpoint directory (for the message). */
  readonly checkpoint: string;
  readonly functionName: string;
}): TrainRunConfig {
  const regularization = (flags: TrainRunFlags) =>
    flags.relativeEpsilon != null
      ? { targetEntropy: null, relativeEpsilon: flags.relativeEpsilon }
      : flags.targetEntropy != null
        ? { targetEntropy: flags.targetEntropy, relativeEpsilon: null }
        : {};
  const fresh: TrainRunConfig = {
    ...TRAIN_RUN_DEFAULTS,
    ...defined(given),
    ...regularization(given),
  };
  if (saved === undefined) return fresh;
  const coupling = saved.coupling ?? fresh.coupling;
  for (const key of KEYS) {
    const value = given[key];
    if (value === undefined || !(key in saved) || !usedBy(coupling, key)) continue;
    if (saved[key] !== value) {
      const was = saved[key] === null ? 'not set' : String(saved[key]);
      throw new InvalidArgumentError({
        functionName,
        argumentName: TRAIN_RUN_FLAGS[key],
        message: `${String(value)} contradicts the checkpoint in ${checkpoint} (${TRAIN_RUN_FLAGS[key]} ${was}); --resume continues the saved run as it was set up: drop the flag, or train into a new --out`,
        value,
      });
    }
  }
  const savedRegularization =
    'targetEntropy' in saved || 'relativeEpsilon' in saved
      ? {
          targetEntropy: saved.targetEntropy ?? null,
          relativeEpsilon: saved.relativeEpsilon ?? null,
        }
      : {};
  return { ...fresh, ...defined(saved), ...savedRegularization };
}

function defined(flags: TrainRunFlags): TrainRunFlags {
  return Object.fromEntries(
    Object.entries(flags).filter(([, value]) => value !== undefined),
  ) as TrainRunFlags;
}
