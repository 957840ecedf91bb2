import {
  createPointCloud,
  createRandomGenerator,
  InvalidArgumentError,
  type PointCloud,
} from '@sinkflow/core';
import { absoluteEpsilon, epsilonSchedule, relativeEpsilon } from '@sinkflow/entropy';
import { describe, expect, it } from 'vitest';
import {
  type SemidiscreteState,
  type SolveSemidiscreteOptions,
  samplePartners,
  solveSemidiscrete,
  validateSemidiscreteState,
} from '../src/index.js';

function gaussianPoints(n: number, d: number, seed: number): PointCloud {
  const random = createRandomGenerator({ seed });
  return createPointCloud(
    Float64Array.from({ length: n * d }, () => random.normal()),
    { d },
  );
}

const y = gaussianPoints(12, 3, 1);
/** Never converges (threshold far below the noise), so every run does exactly maxSteps. */
const base: SolveSemidiscreteOptions = {
  y,
  threshold: 1e-12,
  batchSize: 64,
  evaluateEvery: 50,
  evaluationSize: 1024,
};

async function expectInvalid(
  run: () => unknown,
  argumentName: string,
  functionName = 'solveSemidiscrete',
): Promise<void> {
  const error = await (async () => {
    try {
      await run();
    } catch (caught) {
      return caught;
    }
    return undefined;
  })();
  expect(InvalidArgumentError.isInstance(error)).toBe(true);
  expect((error as InvalidArgumentError).argumentName).toBe(argumentName);
  expect((error as InvalidArgumentError).functionName).toBe(functionName);
}

describe('solveSemidiscrete: determinism and checkpoints', () => {
  for (const epsilon of [0, relativeEpsilon(0.1)] as const) {
    const label = epsilon === 0 ? 'hard' : 'entropic';
    it(`${label}: the same seed gives the same g, another seed another g`, async () => {
      const first = await solveSemidiscrete({ ...base, epsilon, maxSteps: 200, seed: 9 });
      const second = await solveSemidiscrete({ ...base, epsilon, maxSteps: 200, seed: 9 });
      const other = await solveSemidiscrete({ ...base, epsilon, maxSteps: 200, seed: 10 });
      expect(Array.from(second.g)).toEqual(Array.from(first.g));
      expect({ ...second.state, seconds: 0 }).toEqual({ ...first.state, seconds: 0 });
      expect(Array.from(other.g)).not.toEqual(Array.from(first.g));
      expect(first.steps).toBe(200);
      expect(first.converged).toBe(false);
    });

    it(`${label}: resuming from a saved state (through JSON) equals one uninterrupted run`, async () => {
      const whole = await solveSemidiscrete({ ...base, epsilon, maxSteps: 230, seed: 4 });
      const part = await solveSemidiscrete({ ...base, epsilon, maxSteps: 117, seed: 4 });
      const saved = JSON.parse(JSON.stringify(part.state)) as SemidiscreteState;
      expect(saved.step).toBe(117);
      const resumed = await solveSemidiscrete({
        ...base,
        epsilon,
        maxSteps: 230,
        initialState: saved,
      });
      expect(Array.from(resumed.g)).toEqual(Array.from(whole.g));
      expect({ ...resumed.state, seconds: 0 }).toEqual({ ...whole.state, seconds: 0 });
      expect(resumed.marginalError).toBe(whole.marginalError);
      // The resumed fit's seconds count the first part's too.
      expect(resumed.seconds).toBeGreaterThanOrEqual(part.seconds);
      expect(resumed.state.seconds).toBe(resumed.seconds);
      expect(resumed.errors.map((entry) => entry.step)).toEqual([150, 200, 230]);
    });
  }

  it('progress checkpoints resume exactly too', async () => {
    let checkpoint: SemidiscreteState | undefined;
    const whole = await solveSemidiscrete({
      ...base,
      maxSteps: 200,
      onProgress: (progress) => {
        if (progress.step === 100) checkpoint = progress.checkpoint();
      },
    });
    expect(checkpoint?.step).toBe(100);
    const resumed = await solveSemidiscrete({ ...base, maxSteps: 200, initialState: checkpoint });
    expect(Array.from(resumed.g)).toEqual(Array.from(whole.g));
  });

  it('epsilon: absolute as given, relative times the estimated std(C)', async () => {
    const absolute = await solveSemidiscrete({
      ...base,
      epsilon: absoluteEpsilon(0.3),
      maxSteps: 1,
    });
    expect(absolute.epsilon).toBe(0.3);
    const relative = await solveSemidiscrete({
      ...base,
      epsilon: relativeEpsilon(0.1),
      maxSteps: 1,
    });
    expect(relative.epsilon).toBeCloseTo(0.1 * relative.costStd, 15);
    // std(-<x, y_j>) for x ~ N(0, I) and j uniform is sqrt(mean_j ||y_j||^2); 16 384 draws.
    let meanSquare = 0;
    for (let t = 0; t < y.data.length; t += 1) meanSquare += (y.data[t] as number) ** 2 / y.n;
    expect(Math.abs(relative.costStd - Math.sqrt(meanSquare))).toBeLessThan(
      0.05 * Math.sqrt(meanSquare),
    );
    expect((await solveSemidiscrete({ ...base, maxSteps: 1 })).epsilon).toBe(0);
  });

  it('an aborted signal rejects with its reason', async () => {
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(
      solveSemidiscrete({ ...base, maxSteps: 10, signal: controller.signal }),
    ).rejects.toThrow('stop');
  });
});

describe('samplePartners', () => {
  const g = Float64Array.from({ length: y.n }, (_, j) => 0.1 * j);
  const x = gaussianPoints(40, 3, 2);

  it('eps = 0: the argmin of C(x, y_j) - g_j, by brute force, and y of it as the map', () => {
    for (const cost of ['dot', 'sqeuclidean'] as const) {
      const { indices, map } = samplePartners({ x, y, g, cost });
      for (let i = 0; i < x.n; i += 1) {
        let best = -1;
        let bestValue = Number.POSITIVE_INFINITY;
        for (let j = 0; j < y.n; j += 1) {
          let c = 0;
          for (let k = 0; k < 3; k += 1) {
            const xi = x.data[i * 3 + k] as number;
            const yj = y.data[j * 3 + k] as number;
            c += cost === 'dot' ? -xi * yj : 0.5 * (xi - yj) ** 2;
          }
          if (c - (g[j] as number) < bestValue) {
            bestValue = c - (g[j] as number);
            best = j;
          }
        }
        expect(indices[i]).toBe(best);
        expect(map[i * 3]).toBe(y.data[best * 3]);
      }
    }
  });

  it('eps > 0: Gumbel-max draws follow pi(x) (chi-square over 20 000 draws of one row)', () => {
    const epsilon = 0.7;
    const row = createPointCloud(x.data.slice(0, 3), { d: 3 });
    const counts = new Float64Array(y.n);
    const draws = 20_000;
    for (let draw = 0; draw < draws; draw += 1) {
      const { indices } = samplePartners({ x: row, y, g, epsilon, seed: 3, draw });
      counts[indices[0] as number] = (counts[indices[0] as number] as number) + 1;
    }
    const scores = Array.from({ length: y.n }, (_, j) => {
      let dot = 0;
      for (let k = 0; k < 3; k += 1) dot += (row.data[k] as number) * (y.data[j * 3 + k] as number);
      return ((g[j] as number) + dot) / epsilon;
    });
    const top = Math.max(...scores);
    const total = scores.reduce((sum, s) => sum + Math.exp(s - top), 0);
    let pearson = 0;
    for (let j = 0; j < y.n; j += 1) {
      const expected = (draws * Math.exp((scores[j] as number) - top)) / total;
      pearson += ((counts[j] as number) - expected) ** 2 / expected;
    }
    // Chi-square with 11 degrees of freedom: 31.3 is its 99.9% point.
    expect(pearson).toBeLessThan(31.3);
  });

  it('rejects bad input naming the argument', async () => {
    await expectInvalid(() => samplePartners({ x, y, g: g.subarray(1) }), 'g', 'samplePartners');
    await expectInvalid(
      () => samplePartners({ x: gaussianPoints(4, 2, 3), y, g }),
      'x.d',
      'samplePartners',
    );
    await expectInvalid(
      () => samplePartners({ x, y, g, epsilon: -1 }),
      'epsilon',
      'samplePartners',
    );
  });
});

describe('solveSemidiscrete: typed errors name the argument', () => {
  it.each([
    ['batchSize', { batchSize: 0 }],
    ['maxSteps', { maxSteps: -1 }],
    ['threshold', { threshold: 0 }],
    ['evaluateEvery', { evaluateEvery: 1.5 }],
    ['evaluationSize', { evaluationSize: 1 }],
    ['learningRate', { learningRate: -0.1 }],
    ['averageDecay', { averageDecay: 1 }],
    ['seed', { seed: -3 }],
    ['cost', { cost: 'euclidean' }],
    ['epsilon', { epsilon: epsilonSchedule({ init: 1, decay: 0.5, target: 0.1 }) }],
    ['epsilon', { epsilon: 0.1 }],
    ['source', { source: 'normal' }],
    ['source', { source: () => new Float32Array(3) }],
    [
      'y.weights[1]',
      { y: createPointCloud(new Float64Array([0, 1, 2]), { d: 1, weights: [0.5, 0, 0.5] }) },
    ],
    ['initialState', { initialState: 'state' }],
    ['initialState.g', { initialState: { version: 1, step: 0, g: [1] } }],
  ] as const)('%s', async (argumentName, override) => {
    await expectInvalid(
      () => solveSemidiscrete({ ...base, maxSteps: 1, ...(override as object) }),
      argumentName,
    );
  });

  it('a state saved at another epsilon is refused', async () => {
    const { state } = await solveSemidiscrete({ ...base, maxSteps: 1 });
    await expectInvalid(
      () =>
        solveSemidiscrete({
          ...base,
          maxSteps: 2,
          epsilon: absoluteEpsilon(1),
          initialState: state,
        }),
      'initialState.epsilon',
    );
  });

  it('validateSemidiscreteState: a state read back from JSON passes; a forged one names its field', async () => {
    const { state } = await solveSemidiscrete({ ...base, maxSteps: 1 });
    const count = state.g.length;
    const read = JSON.parse(JSON.stringify(state));
    expect(validateSemidiscreteState(read, count, 'load', 'saved')).toBe(read);
    const cases: [string, unknown, number][] = [
      ['saved.secondMoment[2]', { ...read, secondMoment: read.secondMoment.with(2, null) }, count],
      ['saved.g', read, count + 1],
      ['saved.step', { ...read, step: 1.5 }, count],
      ['saved.random', { ...read, random: {} }, count],
      ['saved', [read], count],
    ];
    for (const [argumentName, value, points] of cases) {
      expect(() => validateSemidiscreteState(value, points, 'load', 'saved')).toThrow(
        expect.objectContaining({ functionName: 'load', argumentName }),
      );
    }
  });
});
