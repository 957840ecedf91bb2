import { existsSync } from 'node:fs';
import { createPointCloud, createRandomGenerator, type PointCloud } from '@sinkflow/core';
import { findNatsServer } from '../src/testing.js';

/** A seeded Gaussian cloud, float32, n x d. */
export function gaussianCloud(n: number, d: number, seed: number, shift = 0): PointCloud {
  const random = createRandomGenerator({ seed });
  return createPointCloud(
    Float32Array.from({ length: n * d }, () => shift + random.normal()),
    { d },
  );
}

/** The largest `|a - b| / max(|b|, floor)` over two vectors (or numbers). */
export function relativeDifference(
  actual: ArrayLike<number> | number,
  expected: ArrayLike<number> | number,
  floor = 1,
): number {
  const a = typeof actual === 'number' ? [actual] : Array.from(actual);
  const b = typeof expected === 'number' ? [expected] : Array.from(expected);
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let worst = 0;
  for (let k = 0; k < a.length; k += 1) {
    const difference = Math.abs(a[k]! - b[k]!) / Math.max(Math.abs(b[k]!), floor);
    if (!(difference <= worst))
      worst = Number.isNaN(difference) ? Number.POSITIVE_INFINITY : difference;
  }
  return worst;
}

/** The built thread and worker programs (the threads and child processes need JavaScript). */
export const BUILT = new URL('../dist/', import.meta.url);
export const BUILT_MESSAGE =
  'packages/distributed is not built: run `npx turbo run build --filter=@sinkflow/distributed` first';
export function isBuilt(): boolean {
  return (
    existsSync(new URL('shard-thread.js', BUILT)) && existsSync(new URL('worker-main.js', BUILT))
  );
}

/**
 * The nats-server binary for the NATS tests, or undefined (with a warning saying how to install
 * it) so that they skip; throws when the package is not built (the workers run `dist/`).
 */
export function natsServerForTests(): string | undefined {
  const binary = findNatsServer();
  if (binary === undefined)
    console.warn(
      'nats-server is not installed (apt-get install nats-server): skipping the NATS tests',
    );
  if (!isBuilt()) throw new Error(BUILT_MESSAGE);
  return binary;
}
