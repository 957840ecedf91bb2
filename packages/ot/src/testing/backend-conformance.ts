import { counterGumbel, createRandomGenerator } from '@sinkflow/core';
import { assertClose, CheckFailedError } from '@sinkflow/core/testing';
import type {
  KernelMode,
  KernelProblem,
  PreparedKernel,
  SinkhornBackend,
} from '../backend/sinkhorn-backend.js';
import { referenceCouplingStatistics } from './reference-statistics.js';

/** One check of the conformance suite: `run` resolves when the backend conforms, else throws. */
export interface ConformanceCase {
  readonly name: string;
  run(backend: SinkhornBackend): Promise<void>;
}

/**
 * The conformance suite of the Sinkhorn backend interface v1: every backend's tests run all of
 * these cases (docs/conventions.md, 13). Each case prepares a small random problem, runs one pass of
 * the backend and compares it with a float64 brute-force evaluation of the formulas of
 * {@link PreparedKernel} on the materialised kernel matrix, in both `dense` and `online` modes.
 *
 * Tolerances allow a backend to compute `K_ij` in float32: with coordinates of standard deviation
 * 0.5 in d <= 16, `|K_ij|` stays below ~8 and its float32 error below ~1e-6, so an `eps log-sum-exp`
 * may differ by about 1e-6 (absolute 1e-5 is allowed) and a sum of `exp(. / eps)` terms by about
 * `1e-6 / eps` relatively (relative 1e-4 at eps >= 0.05 is allowed; for conditional expectations,
 * absolute 1e-4 times the largest |value|). Sampled columns must reach the
 * reference's maximum Gumbel score within the same tolerance (an exact tie-break is not required,
 * since a float32 kernel may swap two near-equal candidates).
 *
 * Runner-agnostic: each case throws on failure.
 *
 * @example
 * ```ts
 * for (const conformance of backendConformanceCases()) {
 *   it(conformance.name, async () => { await expect(conformance.run(createJsBackend())).resolves.toBeUndefined(); });
 * }
 * ```
 */
export function backendConformanceCases(): readonly ConformanceCase[] {
  const cases: ConformanceCase[] = [];
  const shapes = [
    { n: 1, m: 1, d: 1 },
    { n: 7, m: 13, d: 3 },
    { n: 40, m: 33, d: 16 },
    { n: 129, m: 67, d: 5 },
  ];
  for (const mode of ['online', 'dense', 'dense16'] as const) {
    for (const shape of shapes) {
      const label = `${mode} n=${shape.n} m=${shape.m} d=${shape.d}`;
      // A backend without `dense16` must refuse it with an error naming `problem.mode`.
      const ifOffered =
        (check: (backend: SinkhornBackend, shape: Shape) => Promise<void>) =>
        (backend: SinkhornBackend) =>
          mode === 'dense16' && !(backend.kernelModes ?? []).includes('dense16')
            ? checkRefusesMode(backend, { ...shape, mode })
            : check(backend, { ...shape, mode });
      cases.push(
        {
          name: `logSumExp rows and columns (${label})`,
          run: ifOffered(mode === 'dense16' ? checkKeptHalfKernel : checkLogSumExp),
        },
        { name: `statistics (${label})`, run: ifOffered(checkStatistics) },
        { name: `sampleColumns (${label})`, run: ifOffered(checkSampling) },
        {
          name: `conditionalExpectation (${label})`,
          run: ifOffered(checkConditionalExpectation),
        },
      );
    }
  }
  cases.push(
    {
      name: 'logSumExp ignores -Infinity offsets and returns -Infinity for an all -Infinity row',
      run: checkInfiniteOffsets,
    },
    { name: 'logSumExp is stable for offsets far larger than epsilon', run: checkLargeOffsets },
    { name: 'a disposed kernel rejects further requests', run: checkDispose },
  );
  return cases;
}

interface Shape {
  readonly n: number;
  readonly m: number;
  readonly d: number;
  readonly mode: KernelMode;
}

const EPSILON = 0.1;
const LSE_TOLERANCE = { absolute: 1e-5, relative: 1e-6 };
const SUM_TOLERANCE = { absolute: 1e-12, relative: 1e-4 };

/** A seeded random problem with coordinates ~ N(0, 0.5^2) and its float64 kernel matrix. */
function randomProblem(
  { n, m, d, mode }: Shape,
  seed: number,
): { problem: KernelProblem; kernel: Float64Array } {
  const random = createRandomGenerator({ seed });
  const x = new Float32Array(n * d).map(() => 0.5 * random.normal());
  const y = new Float32Array(m * d).map(() => 0.5 * random.normal());
  const kernel = new Float64Array(n * m);
  for (let i = 0; i < n; i += 1) {
    for (let j = 0; j < m; j += 1) {
      let dot = 0;
      for (let c = 0; c < d; c += 1) dot += (x[i * d + c] as number) * (y[j * d + c] as number);
      kernel[i * m + j] = dot;
    }
  }
  return { problem: { x, y, n, m, d, mode }, kernel };
}

function randomVector(length: number, seed: number, scale: number): Float64Array {
  const random = createRandomGenerator({ seed });
  return new Float64Array(length).map(() => scale * random.normal());
}

/** Reference `eps log sum exp((h + row) / eps)` in float64 (shifted by the maximum). */
function referenceLogSumExp(values: readonly number[], epsilon: number): number {
  const maximum = Math.max(...values);
  if (maximum === Number.NEGATIVE_INFINITY) return maximum;
  return (
    maximum +
    epsilon *
      Math.log(values.reduce((sum, value) => sum + Math.exp((value - maximum) / epsilon), 0))
  );
}

async function withKernel(
  backend: SinkhornBackend,
  problem: KernelProblem,
  use: (kernel: PreparedKernel) => Promise<void>,
): Promise<void> {
  const kernel = await backend.prepare(problem);
  try {
    if (kernel.mode !== problem.mode)
      throw new CheckFailedError({
        check: 'backend conformance',
        message: `prepared mode ${kernel.mode}, asked ${problem.mode}`,
      });
    await use(kernel);
  } finally {
    await kernel.dispose();
  }
}

/** `prepare` of a mode the backend does not offer throws an error that names `problem.mode`. */
async function checkRefusesMode(backend: SinkhornBackend, shape: Shape): Promise<void> {
  const { problem } = randomProblem(shape, 11);
  let refused = false;
  try {
    const kernel = await backend.prepare(problem);
    await kernel.dispose();
  } catch (error) {
    refused = (error as { argumentName?: unknown }).argumentName === 'problem.mode';
  }
  if (!refused) {
    throw new CheckFailedError({
      check: 'backend conformance',
      message: `${backend.name} accepted mode '${shape.mode}', which it does not list in kernelModes`,
    });
  }
}

/**
 * `dense16`: a sequence of passes as in a solve (the first ones build the kept half-precision
 * kernel, the later ones read it; offsets drift by a fraction of eps), each within the rounding
 * of one half entry, eps ln(1 + 2^-11) <= eps 2^-10, of the reference; `exact: true` within the
 * float32 tolerance of the other modes, and `entryPrecision` reported.
 */
async function checkKeptHalfKernel(backend: SinkhornBackend, shape: Shape): Promise<void> {
  const { n, m } = shape;
  const { problem, kernel } = randomProblem(shape, 11);
  const tolerance = {
    absolute: LSE_TOLERANCE.absolute + EPSILON * 2 ** -10,
    relative: LSE_TOLERANCE.relative,
  };
  await withKernel(backend, problem, async (prepared) => {
    if (!(typeof prepared.entryPrecision === 'number' && prepared.entryPrecision > 2 ** -24)) {
      throw new CheckFailedError({
        check: 'backend conformance',
        message: `${backend.name} dense16 kernel reports entryPrecision ${prepared.entryPrecision}`,
      });
    }
    for (let step = 0; step < 4; step += 1) {
      for (const side of ['rows', 'columns'] as const) {
        const length = side === 'rows' ? m : n;
        const offsets = randomVector(length, 12 + (side === 'rows' ? 0 : 1), 0.3).map(
          (value, k) => value + 0.2 * EPSILON * Math.sin(step + k),
        );
        const expected = expectedLogSumExps({ kernel, n, m, side, offsets, epsilon: EPSILON });
        for (const exact of [false, true]) {
          const out = new Float64Array(side === 'rows' ? n : m);
          await prepared.logSumExp({ side, offsets, epsilon: EPSILON, out, exact });
          assertClose(out, expected, {
            tolerance: exact ? LSE_TOLERANCE : tolerance,
            label: `${backend.name} dense16 logSumExp ${side} step ${step}${exact ? ' exact' : ''}`,
          });
        }
      }
    }
  });
}

async function checkLogSumExp(backend: SinkhornBackend, shape: Shape): Promise<void> {
  const { n, m } = shape;
  const { problem, kernel } = randomProblem(shape, 11);
  const offsetsBySide = { rows: randomVector(m, 12, 0.3), columns: randomVector(n, 13, 0.3) };
  await withKernel(backend, problem, async (prepared) => {
    for (const side of ['rows', 'columns'] as const) {
      const offsets = offsetsBySide[side];
      const out = new Float64Array(side === 'rows' ? n : m);
      await prepared.logSumExp({ side, offsets, epsilon: EPSILON, out });
      assertClose(out, expectedLogSumExps({ kernel, n, m, side, offsets, epsilon: EPSILON }), {
        tolerance: LSE_TOLERANCE,
        label: `${backend.name} logSumExp ${side}`,
      });
    }
  });
}

/** The reference soft-max pass on the materialised kernel: one `eps LSE` per row or column. */
function expectedLogSumExps({
  kernel,
  n,
  m,
  side,
  offsets,
  epsilon,
}: {
  kernel: Float64Array;
  n: number;
  m: number;
  side: 'rows' | 'columns';
  offsets: Float64Array;
  epsilon: number;
}): number[] {
  const [kept, reduced] = side === 'rows' ? [n, m] : [m, n];
  const entry = (keptIndex: number, reducedIndex: number) =>
    side === 'rows'
      ? (kernel[keptIndex * m + reducedIndex] as number)
      : (kernel[reducedIndex * m + keptIndex] as number);
  return Array.from({ length: kept }, (_, k) =>
    referenceLogSumExp(
      Array.from({ length: reduced }, (_, r) => (offsets[r] as number) + entry(k, r)),
      epsilon,
    ),
  );
}

async function checkStatistics(backend: SinkhornBackend, shape: Shape): Promise<void> {
  const { n, m } = shape;
  const { problem, kernel } = randomProblem(shape, 21);
  // Potentials that make P of order 1/(n m), as near convergence.
  const f = randomVector(n, 22, 0.05).map((value) => value - EPSILON * Math.log(n));
  const g = randomVector(m, 23, 0.05).map((value) => value - EPSILON * Math.log(m));
  await withKernel(backend, problem, async (prepared) => {
    const stats = await prepared.statistics({
      rowPotentials: f,
      columnPotentials: g,
      epsilon: EPSILON,
    });
    const {
      rowSums,
      columnSums,
      kernelMoment: moment,
    } = referenceCouplingStatistics({
      kernel,
      n,
      m,
      rowPotentials: f,
      columnPotentials: g,
      epsilon: EPSILON,
    });
    assertClose(stats.rowSums, rowSums, {
      tolerance: SUM_TOLERANCE,
      label: `${backend.name} rowSums`,
    });
    assertClose(stats.columnSums, columnSums, {
      tolerance: SUM_TOLERANCE,
      label: `${backend.name} columnSums`,
    });
    const total = rowSums.reduce((sum, value) => sum + value, 0);
    // <P, K> may be near zero: compare relative to the total mass times the kernel scale.
    assertClose(stats.kernelMoment, moment, {
      tolerance: { absolute: 1e-4 * total, relative: 1e-4 },
      label: `${backend.name} kernelMoment`,
    });
  });
}

async function checkSampling(backend: SinkhornBackend, shape: Shape): Promise<void> {
  const { n, m } = shape;
  const { problem, kernel } = randomProblem(shape, 31);
  const g = randomVector(m, 32, 0.2);
  const count = 3 * n + 5;
  const random = createRandomGenerator({ seed: 33 });
  const rows = Int32Array.from({ length: count }, () => random.integer(n));
  const draws = Uint32Array.from({ length: count }, (_, s) => (s * 2654435761) >>> 0);
  const seed = 2 ** 40 + 17;
  await withKernel(backend, problem, async (prepared) => {
    const out = new Int32Array(count).fill(-1);
    await prepared.sampleColumns({ rows, draws, columnPotentials: g, epsilon: EPSILON, seed, out });
    for (let s = 0; s < count; s += 1) {
      const i = rows[s] as number;
      const score = (j: number) =>
        ((g[j] as number) + (kernel[i * m + j] as number)) / EPSILON +
        counterGumbel(seed, i, j, draws[s] as number);
      let best = Number.NEGATIVE_INFINITY;
      for (let j = 0; j < m; j += 1) best = Math.max(best, score(j));
      const chosen = out[s] as number;
      if (!(chosen >= 0 && chosen < m))
        throw new CheckFailedError({
          check: 'backend conformance',
          message: `${backend.name} sampleColumns: sample ${s} has column ${chosen}`,
        });
      if (score(chosen) < best - LSE_TOLERANCE.absolute / EPSILON) {
        throw new CheckFailedError({
          check: 'backend conformance',
          message: `${backend.name} sampleColumns: sample ${s} (row ${i}) chose column ${chosen} with score ${score(chosen)}, best ${best}`,
        });
      }
    }
  });
}

async function checkConditionalExpectation(backend: SinkhornBackend, shape: Shape): Promise<void> {
  const { n, m, d } = shape;
  const { problem, kernel } = randomProblem(shape, 41);
  const g = randomVector(m, 42, 0.2);
  const rows = Int32Array.from({ length: n }, (_, i) => n - 1 - i);
  await withKernel(backend, problem, async (prepared) => {
    const out = new Float64Array(n * d);
    await prepared.conditionalExpectation({
      rows,
      columnPotentials: g,
      epsilon: EPSILON,
      values: problem.y,
      width: d,
      out,
    });
    const expected = new Float64Array(n * d);
    for (let s = 0; s < n; s += 1) {
      const i = rows[s] as number;
      const logits = Array.from(
        { length: m },
        (_, j) => ((g[j] as number) + (kernel[i * m + j] as number)) / EPSILON,
      );
      const top = Math.max(...logits);
      const weights = logits.map((logit) => Math.exp(logit - top));
      const total = weights.reduce((sum, weight) => sum + weight, 0);
      for (let c = 0; c < d; c += 1) {
        expected[s * d + c] =
          weights.reduce((sum, weight, j) => sum + weight * (problem.y[j * d + c] as number), 0) /
          total;
      }
    }
    // A projection is a convex combination of the values: a float32 kernel moves each weight by a
    // relative ~1e-6 / eps, so the error scales with max |value|, even where the projection is ~0.
    const scale = problem.y.reduce((largest, value) => Math.max(largest, Math.abs(value)), 0);
    assertClose(out, expected, {
      tolerance: { absolute: SUM_TOLERANCE.relative * scale, relative: SUM_TOLERANCE.relative },
      label: `${backend.name} conditionalExpectation`,
    });
  });
}

async function checkInfiniteOffsets(backend: SinkhornBackend): Promise<void> {
  const { problem, kernel } = randomProblem({ n: 5, m: 6, d: 2, mode: 'online' }, 51);
  const offsets = new Float64Array([
    0.1,
    Number.NEGATIVE_INFINITY,
    -0.2,
    Number.NEGATIVE_INFINITY,
    0.3,
    0,
  ]);
  await withKernel(backend, problem, async (prepared) => {
    const out = new Float64Array(5);
    await prepared.logSumExp({ side: 'rows', offsets, epsilon: EPSILON, out });
    const expected = expectedLogSumExps({
      kernel,
      n: 5,
      m: 6,
      side: 'rows',
      offsets,
      epsilon: EPSILON,
    });
    assertClose(out, expected, {
      tolerance: LSE_TOLERANCE,
      label: `${backend.name} -Infinity offsets`,
    });
    const none = new Float64Array(5).fill(Number.NEGATIVE_INFINITY);
    const allInfinite = new Float64Array(6);
    await prepared.logSumExp({
      side: 'columns',
      offsets: none,
      epsilon: EPSILON,
      out: allInfinite,
    });
    if (!allInfinite.every((value) => value === Number.NEGATIVE_INFINITY)) {
      throw new CheckFailedError({
        check: 'backend conformance',
        message: `${backend.name}: an all -Infinity column gave ${Array.from(allInfinite)}`,
      });
    }
  });
}

async function checkLargeOffsets(backend: SinkhornBackend): Promise<void> {
  const shape = { n: 9, m: 11, d: 4, mode: 'online' } as const;
  const { problem, kernel } = randomProblem(shape, 61);
  const epsilon = 1e-3;
  // Offsets of +-500 at eps = 1e-3: exp((h + K) / eps) alone would overflow by 10^5 decades.
  const g = randomVector(11, 62, 1).map((value) => 500 * Math.sign(value) + value);
  await withKernel(backend, problem, async (prepared) => {
    const out = new Float64Array(9);
    await prepared.logSumExp({ side: 'rows', offsets: g, epsilon, out });
    const expected = expectedLogSumExps({ kernel, n: 9, m: 11, side: 'rows', offsets: g, epsilon });
    assertClose(out, expected, {
      tolerance: LSE_TOLERANCE,
      label: `${backend.name} large offsets`,
    });
  });
}

async function checkDispose(backend: SinkhornBackend): Promise<void> {
  const { problem } = randomProblem({ n: 3, m: 3, d: 2, mode: 'online' }, 71);
  const prepared = await backend.prepare(problem);
  await prepared.dispose();
  let rejected = false;
  try {
    await prepared.logSumExp({
      side: 'rows',
      offsets: new Float64Array(3),
      epsilon: EPSILON,
      out: new Float64Array(3),
    });
  } catch {
    rejected = true;
  }
  if (!rejected) {
    throw new CheckFailedError({
      check: 'backend conformance',
      message: `${backend.name}: a disposed kernel accepted a request`,
    });
  }
}
