import { writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import {
  createPointCloud,
  InternalError,
  InvalidArgumentError,
  type NpyArray,
  NpyFormatError,
  type PointCloud,
  SinkflowError,
} from '@sinkflow/core';
import { readNpyFile, writeNpyFile } from '@sinkflow/core/node';
import { makeDirectory } from './output-paths.js';

/**
 * Reads an `n x d` float32 / float64 `.npy` file given by a flag as a validated point cloud.
 * Every failure (missing file, not a .npy, wrong dtype or rank, NaN / Inf, empty) becomes an
 * `InvalidArgumentError` naming the flag, so the command line exits 2 with one line.
 */
export async function readCloudFlag(
  command: string,
  flag: string,
  path: string,
): Promise<PointCloud> {
  const functionName = `sinkflow ${command}`;
  const array = await readArrayFlag(command, flag, path);
  if (array.dtype === 'int32') {
    throw new InvalidArgumentError({
      functionName,
      argumentName: flag,
      message: `${path} holds int32 values; point clouds must be float32 or float64`,
    });
  }
  if (array.shape.length !== 2) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: flag,
      message: `${path} must be a 2-D array (n x d), not shape (${array.shape.join(', ')})`,
    });
  }
  const [n, d] = array.shape as [number, number];
  if (n === 0 || d === 0) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: flag,
      message: `${path} is empty (shape ${n} x ${d})`,
    });
  }
  return createPointCloud(
    array.data as Float32Array | Float64Array,
    { d, n },
    { functionName, argumentName: flag },
  );
}

/**
 * Reads the `--x` and `--y` clouds of a command and checks that they share their dimension,
 * naming `--y` when they do not.
 */
export async function readCloudPairFlags(
  command: string,
  paths: { readonly x: string; readonly y: string },
): Promise<{ readonly x: PointCloud; readonly y: PointCloud }> {
  const x = await readCloudFlag(command, '--x', paths.x);
  const y = await readCloudFlag(command, '--y', paths.y);
  if (x.d !== y.d) {
    throw new InvalidArgumentError({
      functionName: `sinkflow ${command}`,
      argumentName: '--y',
      message: `has d = ${y.d} columns but --x has d = ${x.d}`,
    });
  }
  return { x, y };
}

/** Reads any `.npy` file given by a flag, turning file and format errors into flag errors. */
export async function readArrayFlag(
  command: string,
  flag: string,
  path: string,
): Promise<NpyArray> {
  try {
    return await readNpyFile(path);
  } catch (error) {
    if (
      InvalidArgumentError.isInstance(error) ||
      NpyFormatError.isInstance(error) ||
      SinkflowError.isInstance(error)
    ) {
      // Keep the reason, drop the inner function's own "f: invalid argument 'path':" prefix.
      const reason = error.message.replace(/^[\w.]+: invalid argument '[^']+': /, '');
      throw new InvalidArgumentError({
        functionName: `sinkflow ${command}`,
        argumentName: flag,
        message: reason,
        cause: error,
      });
    }
    throw error;
  }
}

/**
 * Writes an array to a `.npy` file, creating its directory. Refuses (an internal error: the
 * command should have checked) a float array holding NaN or an infinity: no output file of the
 * command line ever holds a non-finite number.
 */
export async function writeArrayFile(path: string, array: NpyArray): Promise<void> {
  if (array.data instanceof Float64Array || array.data instanceof Float32Array) {
    const index = array.data.findIndex((value) => !Number.isFinite(value));
    if (index >= 0) {
      throw new InternalError({
        where: 'writeArrayFile',
        message: `refusing to write ${path}: element ${index} is ${array.data[index]} (not finite)`,
      });
    }
  }
  await makeDirectory(dirname(path));
  await writeNpyFile(path, array);
}

/**
 * Writes a JSON summary (2-space indented, trailing newline), creating its directory. JSON has no
 * NaN or infinity: `JSON.stringify` writes them as `null`, so a command records a non-finite
 * number as `null` on purpose, with a flag saying why (`diverged: true`).
 */
export async function writeJsonFile(path: string, value: unknown): Promise<void> {
  await makeDirectory(dirname(path));
  await writeFile(path, `${JSON.stringify(value, null, 2)}\n`);
}
