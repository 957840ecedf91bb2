import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { npyArray, parseNpy, serializeNpy } from '@sinkflow/core';
import type { Geometry } from '@sinkflow/ot';

/** The version of the checkpoint format. */
export const CHECKPOINT_VERSION = 1;

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

/** @internal SHA-256 of what determines the kernel: the cost, the sizes and both clouds. */
export function geometryFingerprint(geometry: Geometry): string {
  const hash = createHash('sha256');
  hash.update(`${geometry.cost}:${geometry.n}:${geometry.m}:${geometry.d}:`);
  hash.update(new Uint8Array(geometry.x.buffer, geometry.x.byteOffset, geometry.x.byteLength));
  hash.update(new Uint8Array(geometry.y.buffer, geometry.y.byteOffset, geometry.y.byteLength));
  hash.update(new Uint8Array(geometry.a.buffer, geometry.a.byteOffset, geometry.a.byteLength));
  hash.update(new Uint8Array(geometry.b.buffer, geometry.b.byteOffset, geometry.b.byteLength));
  return hash.digest('hex');
}

/**
 * @internal Writes a checkpoint into `directory` (synchronously: it is called from the solver's
 * progress callback, between two passes) and removes the arrays of older ones.
 */
export function writeCheckpoint(directory: string, checkpoint: SinkhornCheckpoint): void {
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

/** @internal Reads the checkpoint of `directory`, or undefined when it has none. */
export function readCheckpoint(directory: string): SinkhornCheckpoint | undefined {
  let text: string;
  try {
    text = readFileSync(join(directory, 'checkpoint.json'), 'utf8');
  } catch {
    return undefined;
  }
  const meta = JSON.parse(text) as Omit<SinkhornCheckpoint, 'f' | 'g'> & {
    files: { f: string; g: string };
  };
  if (meta.version !== CHECKPOINT_VERSION)
    throw new Error(
      `checkpoint format ${meta.version} in ${directory} (expected ${CHECKPOINT_VERSION})`,
    );
  const load = (name: string) => {
    const array = parseNpy(new Uint8Array(readFileSync(join(directory, name))));
    if (!(array.data instanceof Float64Array)) throw new Error(`${name} is not float64`);
    return array.data;
  };
  const { files, ...rest } = meta;
  return { ...rest, f: load(files.f), g: load(files.g) };
}

/** @internal Removes a directory's checkpoint files (after a finished solve). */
export function removeCheckpoint(directory: string): void {
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
