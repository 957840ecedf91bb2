import { InvalidArgumentError, npyArray, SinkflowError } from '@sinkflow/core';
import { loadCheckpointHost } from './checkpoint-host.js';
import {
  TRAINING_CHECKPOINT_FORMAT,
  TRAINING_CHECKPOINT_VERSION,
  type TrainerCheckpoint,
} from './trainer-checkpoint.js';

/** `checkpoint.json`: the JSON parts, with the array files named. */
interface CheckpointManifest {
  readonly format: typeof TRAINING_CHECKPOINT_FORMAT;
  readonly version: typeof TRAINING_CHECKPOINT_VERSION;
  readonly step: number;
  readonly model: {
    readonly config: TrainerCheckpoint['model']['config'];
    readonly weights: readonly { readonly name: string; readonly shape: readonly number[] }[];
  };
  readonly optimizer: Omit<TrainerCheckpoint['optimizer'], 'firstMoments' | 'secondMoments'>;
  readonly trainer: TrainerCheckpoint['trainer'];
  readonly pairs: Omit<TrainerCheckpoint['pairs'], 'arrays'> & {
    readonly arrays: readonly string[];
  };
  readonly totals: TrainerCheckpoint['totals'];
  readonly metadata?: TrainerCheckpoint['metadata'];
  /** The weight average's decay and steps; its arrays are `ema/<name>.npy`, named as the model's. */
  readonly ema?: { readonly decay: number; readonly updates: number };
}

const safeName = /^[A-Za-z0-9_.-]+$/;

/**
 * Writes a {@link TrainerCheckpoint} to `directory`, atomically: everything goes to a fresh
 * temporary sibling directory, which is then renamed to `directory` (an existing checkpoint there
 * is first renamed aside and removed after), so that a killed process leaves the old checkpoint or
 * the new one, never a part. Arrays are `.npy` files [npy-format]; the rest is `checkpoint.json`.
 * Node only.
 *
 * @throws {@link InvalidArgumentError} on `directory` when it is not a non-empty string, on an
 * array name that is not a plain file name, on a weight average not named and sized as the model,
 * or on a weight, Adam moment or averaged weight holding NaN or an infinity
 * (`checkpoint.model.weights[k]`, `checkpoint.optimizer.firstMoments[k]`,
 * `checkpoint.ema.weights[k]`, ...): a diverged model is never written, and the checkpoint already
 * in `directory` is kept.
 * @example
 * ```ts
 * await writeCheckpoint({ directory: 'runs/a/step-100', checkpoint });
 * ```
 */
export async function writeCheckpoint({
  directory,
  checkpoint,
}: {
  readonly directory: string;
  readonly checkpoint: TrainerCheckpoint;
}): Promise<void> {
  const functionName = 'writeCheckpoint';
  requireDirectory(directory, functionName);
  checkFinite(checkpoint, (argumentName, file, problem) => {
    throw new InvalidArgumentError({
      functionName,
      argumentName,
      message: `${problem} (${file}): a diverged model is not saved; ${directory} keeps its checkpoint`,
    });
  });
  const host = await loadCheckpointHost(functionName);
  const { mkdir, rename, rm, writeFile, stat } = host.fs;
  const { basename, dirname, join, resolve } = host.path;
  const { writeNpyFile } = host.npy;
  const target = resolve(directory);
  const parent = dirname(target);
  const tag = `${host.pid}-${host.crypto.randomBytes(6).toString('hex')}`;
  const temporary = join(parent, `.${basename(target)}.tmp-${tag}`);
  await mkdir(parent, { recursive: true });
  await mkdir(join(temporary, 'model'), { recursive: true });
  try {
    await mkdir(join(temporary, 'optimizer'));
    await mkdir(join(temporary, 'pairs'));
    const { model, optimizer, pairs } = checkpoint;
    for (const [index, weight] of model.weights.entries()) {
      requireFileName(weight.name, `checkpoint.model.weights[${index}].name`, functionName);
      await writeNpyFile(
        join(temporary, 'model', `${weight.name}.npy`),
        npyArray(weight.data, [...weight.shape]),
      );
      const first = optimizer.firstMoments[index] as Float32Array;
      const second = optimizer.secondMoments[index] as Float32Array;
      await writeNpyFile(
        join(temporary, 'optimizer', `first-${weight.name}.npy`),
        npyArray(first, [...weight.shape]),
      );
      await writeNpyFile(
        join(temporary, 'optimizer', `second-${weight.name}.npy`),
        npyArray(second, [...weight.shape]),
      );
    }
    if (checkpoint.ema !== undefined) {
      await mkdir(join(temporary, 'ema'));
      for (const [index, weight] of checkpoint.ema.weights.entries()) {
        const modelWeight = model.weights[index];
        if (modelWeight?.name !== weight.name || modelWeight.data.length !== weight.data.length) {
          throw new InvalidArgumentError({
            functionName,
            argumentName: `checkpoint.ema.weights[${index}]`,
            message: "must be named and sized as the model's weight at the same index",
            value: weight.name,
          });
        }
        await writeNpyFile(
          join(temporary, 'ema', `${weight.name}.npy`),
          npyArray(weight.data, [...weight.shape]),
        );
      }
    }
    for (const [name, array] of Object.entries(pairs.arrays)) {
      requireFileName(name, `checkpoint.pairs.arrays.${name}`, functionName);
      await writeNpyFile(join(temporary, 'pairs', `${name}.npy`), npyArray(array, [array.length]));
    }
    await writeNpyFile(
      join(temporary, 'losses.npy'),
      npyArray(checkpoint.losses, [checkpoint.losses.length]),
    );
    const manifest: CheckpointManifest = {
      format: TRAINING_CHECKPOINT_FORMAT,
      version: TRAINING_CHECKPOINT_VERSION,
      step: checkpoint.step,
      model: {
        config: model.config,
        weights: model.weights.map(({ name, shape }) => ({ name, shape })),
      },
      optimizer: {
        learningRate: optimizer.learningRate,
        beta1: optimizer.beta1,
        beta2: optimizer.beta2,
        epsilon: optimizer.epsilon,
        step: optimizer.step,
      },
      trainer: checkpoint.trainer,
      pairs: { ...pairs, arrays: Object.keys(pairs.arrays) },
      totals: checkpoint.totals,
      ...(checkpoint.metadata === undefined ? {} : { metadata: checkpoint.metadata }),
      ...(checkpoint.ema === undefined
        ? {}
        : { ema: { decay: checkpoint.ema.decay, updates: checkpoint.ema.updates } }),
    };
    await writeFile(join(temporary, 'checkpoint.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    const exists = await stat(target).then(
      () => true,
      () => false,
    );
    if (exists) {
      const old = join(parent, `.${basename(target)}.old-${tag}`);
      await rename(target, old);
      await rename(temporary, target);
      await rm(old, { recursive: true, force: true });
    } else {
      await rename(temporary, target);
    }
  } catch (error) {
    await rm(temporary, { recursive: true, force: true });
    throw error;
  }
}

/**
 * Reads a checkpoint written by {@link writeCheckpoint}. Node only.
 *
 * @throws {@link InvalidArgumentError} on `directory` when it holds no readable checkpoint of
 * this format and version (the message says what is missing), or when a weight or Adam moment in
 * it holds NaN or an infinity (a diverged model is never resumed or evaluated).
 * @example
 * ```ts
 * const { step, losses } = await readCheckpoint({ directory: 'runs/a/step-100' });
 * ```
 */
export async function readCheckpoint({
  directory,
}: {
  readonly directory: string;
}): Promise<TrainerCheckpoint> {
  const functionName = 'readCheckpoint';
  requireDirectory(directory, functionName);
  const host = await loadCheckpointHost(functionName);
  const { readFile } = host.fs;
  const { join } = host.path;
  const { readNpyFile } = host.npy;
  let manifest: CheckpointManifest;
  try {
    manifest = JSON.parse(await readFile(join(directory, 'checkpoint.json'), 'utf8'));
  } catch (error) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'directory',
      message: `holds no readable checkpoint.json (${error instanceof Error ? error.message : String(error)})`,
      value: directory,
      cause: error,
    });
  }
  if (
    manifest?.format !== TRAINING_CHECKPOINT_FORMAT ||
    manifest.version !== TRAINING_CHECKPOINT_VERSION
  ) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'directory',
      message: `checkpoint.json is not a ${TRAINING_CHECKPOINT_FORMAT} version ${TRAINING_CHECKPOINT_VERSION}`,
      value: directory,
    });
  }
  const floats32 = async (path: string): Promise<Float32Array> => {
    const array = await readNpyFile(path);
    if (!(array.data instanceof Float32Array)) {
      throw new SinkflowError(`readCheckpoint: ${path} must hold float32 values`);
    }
    return array.data;
  };
  const floats64 = async (path: string): Promise<Float64Array> => {
    const array = await readNpyFile(path);
    if (!(array.data instanceof Float64Array)) {
      throw new SinkflowError(`readCheckpoint: ${path} must hold float64 values`);
    }
    return array.data;
  };
  const weights = [];
  const firstMoments = [];
  const secondMoments = [];
  for (const { name, shape } of manifest.model.weights) {
    requireFileName(name, 'model.weights.name', functionName);
    weights.push({ name, shape, data: await floats32(join(directory, 'model', `${name}.npy`)) });
    firstMoments.push(await floats32(join(directory, 'optimizer', `first-${name}.npy`)));
    secondMoments.push(await floats32(join(directory, 'optimizer', `second-${name}.npy`)));
  }
  let ema: TrainerCheckpoint['ema'];
  if (manifest.ema !== undefined) {
    const { decay, updates } = manifest.ema;
    if (
      !(typeof decay === 'number' && decay > 0 && decay < 1) ||
      !(Number.isSafeInteger(updates) && updates >= 0)
    ) {
      throw new InvalidArgumentError({
        functionName,
        argumentName: 'directory',
        message: `checkpoint.json has an ema that is not { decay in (0, 1), updates >= 0 }`,
        value: directory,
      });
    }
    const averaged = [];
    for (const { name, shape } of manifest.model.weights) {
      averaged.push({ name, shape, data: await floats32(join(directory, 'ema', `${name}.npy`)) });
    }
    ema = { decay, updates, weights: averaged };
  }
  const arrays: Record<string, Float64Array> = {};
  for (const name of manifest.pairs.arrays) {
    requireFileName(name, 'pairs.arrays', functionName);
    arrays[name] = await floats64(join(directory, 'pairs', `${name}.npy`));
  }
  const checkpoint: TrainerCheckpoint = {
    step: manifest.step,
    model: { config: manifest.model.config, weights },
    optimizer: { ...manifest.optimizer, firstMoments, secondMoments },
    trainer: manifest.trainer,
    pairs: { ...manifest.pairs, arrays },
    losses: await floats64(join(directory, 'losses.npy')),
    totals: manifest.totals,
    ...(manifest.metadata === undefined ? {} : { metadata: manifest.metadata }),
    ...(ema === undefined ? {} : { ema }),
  };
  checkFinite(checkpoint, (_argumentName, file, problem) => {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'directory',
      message: `${file} ${problem}: a diverged model is not resumed or evaluated`,
      value: directory,
    });
  });
  return checkpoint;
}

/**
 * Calls `fail` with the argument path (`checkpoint.model.weights[k]`), the file it is saved in
 * (`model/<name>.npy`) and what is wrong, on the first weight, Adam moment or averaged weight
 * holding NaN or an infinity.
 */
function checkFinite(
  checkpoint: TrainerCheckpoint,
  fail: (argumentName: string, file: string, problem: string) => never,
): void {
  const { weights } = checkpoint.model;
  const { firstMoments, secondMoments } = checkpoint.optimizer;
  for (const [index, weight] of weights.entries()) {
    const parts: Array<[string, string, ArrayLike<number> | undefined]> = [
      [`checkpoint.model.weights[${index}]`, `model/${weight.name}.npy`, weight.data],
      [
        `checkpoint.optimizer.firstMoments[${index}]`,
        `optimizer/first-${weight.name}.npy`,
        firstMoments[index],
      ],
      [
        `checkpoint.optimizer.secondMoments[${index}]`,
        `optimizer/second-${weight.name}.npy`,
        secondMoments[index],
      ],
    ];
    const averaged = checkpoint.ema?.weights[index];
    if (averaged !== undefined) {
      parts.push([`checkpoint.ema.weights[${index}]`, `ema/${weight.name}.npy`, averaged.data]);
    }
    for (const [argumentName, file, values] of parts) {
      if (values === undefined) continue;
      for (let k = 0; k < values.length; k += 1) {
        const value = values[k] as number;
        if (!Number.isFinite(value)) fail(argumentName, file, `holds ${value} at index ${k}`);
      }
    }
  }
}

function requireDirectory(directory: unknown, functionName: string): void {
  if (typeof directory !== 'string' || directory.length === 0) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'directory',
      message: 'must be a non-empty path',
      value: directory,
    });
  }
}

function requireFileName(name: string, argumentName: string, functionName: string): void {
  if (!safeName.test(name) || name === '.' || name === '..') {
    throw new InvalidArgumentError({
      functionName,
      argumentName,
      message: 'must be a plain file name (letters, digits, _ . -)',
      value: name,
    });
  }
}
