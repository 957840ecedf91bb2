import { createHash } from 'node:crypto';
import type { PointCloud } from '@sinkflow/core';

/**
 * What identifies a point cloud: its shape, its dtype and the SHA-256 of the raw bytes of its
 * coordinates (row-major, little-endian, as read from the `.npy` file). `solve --save-potentials`
 * records one for X and one for Y in `solve.json`, and `sample` recomputes them, so potentials are
 * never used with clouds they were not solved for.
 */
export interface CloudFingerprint {
  readonly n: number;
  readonly d: number;
  readonly dtype: 'float32' | 'float64';
  /** Lower-case hex SHA-256 of the coordinates' bytes. */
  readonly sha256: string;
}

/**
 * The {@link CloudFingerprint} of a cloud.
 *
 * @example
 * ```ts
 * fingerprintCloud(x); // { n: 300, d: 4, dtype: 'float32', sha256: '9f86d0...' }
 * ```
 */
export function fingerprintCloud(cloud: PointCloud): CloudFingerprint {
  const { data } = cloud;
  return {
    n: cloud.n,
    d: cloud.d,
    dtype: data instanceof Float32Array ? 'float32' : 'float64',
    sha256: createHash('sha256')
      .update(new Uint8Array(data.buffer, data.byteOffset, data.byteLength))
      .digest('hex'),
  };
}

/**
 * How `actual` differs from a recorded fingerprint (`'n = 300, not 250'`, `'different
 * coordinates (SHA-256 ...)'`), or undefined when they match. A recorded value that is not a
 * fingerprint at all is reported as such.
 *
 * @example
 * ```ts
 * fingerprintMismatch(summary.fingerprints.x, fingerprintCloud(x)); // undefined: same cloud
 * ```
 */
export function fingerprintMismatch(
  recorded: unknown,
  actual: CloudFingerprint,
): string | undefined {
  if (typeof recorded !== 'object' || recorded === null) return 'no fingerprint was recorded';
  const expected = recorded as Partial<CloudFingerprint>;
  for (const key of ['n', 'd', 'dtype'] as const) {
    if (expected[key] !== actual[key]) {
      return `${key} = ${String(actual[key])}, but the potentials were solved for ${key} = ${String(expected[key])}`;
    }
  }
  if (expected.sha256 !== actual.sha256) {
    return `different coordinates (SHA-256 ${actual.sha256.slice(0, 12)}..., recorded ${String(expected.sha256).slice(0, 12)}...)`;
  }
  return undefined;
}
