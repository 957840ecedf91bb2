import { InvalidArgumentError, npyArray, parseNpy, serializeNpy } from '@sinkflow/core';
import type { Geometry } from '../geometry/point-cloud-geometry.js';
import { loadCheckpointModules, type NodeModules } from './checkpoint-modules.js';

/** @internal The version of the Sinkhorn checkpoint format (`checkpoint.json`). */
export const SINKHORN_CHECKPOINT_VERSION = 1;

/**
 * A Sinkhorn checkpoint: the potentials after `iteration` iterations at the final epsilon, the
 * errors measured before it, and a fingerprint of the problem they belong to. On disk:
 * `DIR/checkpoint.json` (this object without f, g) names `DIR/f-ITERATION.npy` and
 * `DIR/g-ITERATION.npy` (float64); the JSON is replaced atomically (write, then rename) after the
 * arrays are written, so a crash never leaves a checkpoint that mixes two iterations.
 */
export interface SinkhornCheckpoint {
  readonly version: number;
  /** Iterations done when the potentials were taken. */
  readonly iteration: number;
  /** The absolute epsilon of the potentials. */
  readonly epsilon: number;
  /** Marginal errors measured at the checks before `iteration`. */
  readonly errors: readonly number[];
  /** SHA-256 of the cost name and the geometry's clouds (shifted, float32). */
  readonly fingerprint: string;
  readonly n: number;
  readonly m: number;
  readonly f: Float64Array;
  readonly g: Float64Array;
}

/**
 * @internal The checkpoint files of one directory (Node only: `node:fs`, `node:crypto` are
 * imported here, on use, so `@sinkflow/ot` itself stays importable elsewhere).
 */
export interface CheckpointStore {
  /** SHA-256 of what determines the kernel: the cost, the sizes, both clouds and weights. */
  fingerprint(geometry: Geometry): string;
  /**
   * Writes a checkpoint (synchronously: it is called from the solver's progress callback,
   * between two passes) and removes the arrays of older ones.
   */
  write(checkpoint: SinkhornCheckpoint): void;
  /** The directory's checkpoint, or undefined when it has none. */
  read(): SinkhornCheckpoint | undefined;
  /** Removes the directory's checkpoint files (after a finished solve). */
  remove(): void;
}

/** @internal Opens the checkpoint store of `directory` (created on the first write). */
export async function openCheckpointStore(
  directory: string,
  functionName: string,
): Promise<CheckpointStore> {
  const modules = await loadCheckpointModules(functionName);
  return {
    fingerprint: (geometry) => geometryFingerprint(modules, geometry),
    write: (checkpoint) => writeCheckpoint(modules, directory, checkpoint),
    read: () => readCheckpoint(modules, directory, functionName),
    remove: () => removeCheckpoint(modules, directory),
  };
}

function geometryFingerprint({ crypto }: NodeModules, geometry: Geometry): string {
  const hash = crypto.createHash('sha256');
  hash.update(`${geometry.cost}:${geometry.n}:${geometry.m}:${geometry.d}:`);
  hash.update(new Uint8Array(geometry.x.buffer, geometry.x.byteOffset, geometry.x.byteLength));
  hash.update(new Uint8Array(geometry.y.buffer, geometry.y.byteOffset, geometry.y.byteLength));
  hash.update(new Uint8Array(geometry.a.buffer, geometry.a.byteOffset, geometry.a.byteLength));
  hash.update(new Uint8Array(geometry.b.buffer, geometry.b.byteOffset, geometry.b.byteLength));
  return hash.digest('hex');
}

function writeCheckpoint(
  { fs, path }: NodeModules,
  directory: string,
  checkpoint: SinkhornCheckpoint,
): void {
  const { mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } = fs;
  const { join } = path;
  mkdirSync(directory, { recursive: true });
  const { f, g, ...meta } = checkpoint;
  const names = { f: `f-${meta.iteration}.npy`, g: `g-${meta.iteration}.npy` };
  writeFileSync(join(directory, names.f), serializeNpy(npyArray(f)));
  writeFileSync(join(directory, names.g), serializeNpy(npyArray(g)));
  const temporary = join(directory, 'checkpoint.json.tmp');
  writeFileSync(temporary, `${JSON.stringify({ ...meta, files: names }, null, 2)}\n`);
  renameSync(temporary, join(directory, 'checkpoint.json'));
  for (const name of readdirSync(directory)) {
    if (/^[fg]-\d+\.npy$/.test(name) && name !== names.f && name !== names.g)
      rmSync(join(directory, name), { force: true });
  }
}

function readCheckpoint(
  { fs, path }: NodeModules,
  directory: string,
  functionName: string,
): SinkhornCheckpoint | undefined {
  const { readFileSync } = fs;
  const { join } = path;
  let text: string;
  try {
    text = readFileSync(join(directory, 'checkpoint.json'), 'utf8');
  } catch {
    return undefined;
  }
  const meta = JSON.parse(text) as Omit<SinkhornCheckpoint, 'f' | 'g'> & {
    files: { f: string; g: string };
  };
  if (meta.version !== SINKHORN_CHECKPOINT_VERSION) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'checkpointDirectory',
      message: `holds a checkpoint of format ${meta.version} (expected ${SINKHORN_CHECKPOINT_VERSION})`,
      value: directory,
    });
  }
  const load = (name: string) => {
    const array = parseNpy(new Uint8Array(readFileSync(join(directory, name))));
    if (!(array.data instanceof Float64Array)) {
      throw new InvalidArgumentError({
        functionName,
        argumentName: 'checkpointDirectory',
        message: `holds ${name}, which is not float64`,
        value: directory,
      });
    }
    return array.data;
  };
  const { files, ...rest } = meta;
  return { ...rest, f: load(files.f), g: load(files.g) };
}

function removeCheckpoint({ fs, path }: NodeModules, directory: string): void {
  const { readdirSync, rmSync } = fs;
  const { join } = path;
  let names: string[];
  try {
    names = readdirSync(directory);
  } catch {
    return;
  }
  for (const name of names) {
    if (
      /^[fg]-\d+\.npy$/.test(name) ||
      name === 'checkpoint.json' ||
      name === 'checkpoint.json.tmp'
    )
      rmSync(join(directory, name), { force: true });
  }
}
