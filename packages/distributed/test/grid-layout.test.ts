import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRandomGenerator, InvalidArgumentError } from '@sinkflow/core';
import { relativeEpsilon } from '@sinkflow/entropy';
import {
  createJsBackend,
  createSinkhornProblem,
  solveSinkhorn,
  solveWithCheckpoints,
} from '@sinkflow/ot';
import { backendConformanceCases } from '@sinkflow/ot/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messageBytes, type ShardReply } from '../src/collective/shard-protocol.js';
import {
  type Collective,
  createInProcessCollective,
  createShardedBackend,
  gridShards,
  type ShardedLayout,
  WorkerFailedError,
} from '../src/index.js';
import { createCollective } from '../src/internal/create-collective.js';
import { ShardServer } from '../src/internal/shard-server.js';
import { BUILT_MESSAGE, gaussianCloud, isBuilt, relativeDifference } from './helpers.js';

if (!isBuilt()) throw new Error(BUILT_MESSAGE);

const COSTS = [
  'renormalizedEntropy',
  'transportCost',
  'transportCostDot',
  'transportCostSqEuclidean',
  'regularizedCost',
  'entropy',
  'marginalError',
] as const;

/**
 * P shards served in this thread (`ShardServer`) behind a transport that answers each request
 * after a random delay, so replies arrive in a different order on every call.
 */
function shuffledCollective(
  workers: number,
  seed: number,
  edit: (reply: ShardReply) => ShardReply = (reply) => reply,
): Collective {
  const random = createRandomGenerator({ seed });
  const servers = Array.from({ length: workers }, () => new ShardServer());
  return createCollective({
    kind: 'test',
    runId: 'shuffled',
    members: servers.map((_, rank) => ({ rank, id: `shuffled-${rank}`, host: 'test' })),
    async send(rank, request) {
      const reply = edit(await servers[rank]!.handle(request));
      await new Promise((resolve) => setTimeout(resolve, random.integer(8)));
      return { reply, messages: 2, bytesSent: messageBytes(request), bytesReceived: 0 };
    },
    async ping() {},
    async close() {
      await Promise.all(servers.map((server) => server.dispose()));
    },
  });
}

/** Chi-square statistic of counts against probabilities, bins of expected count < 5 pooled. */
function chiSquare(
  counts: readonly number[],
  probabilities: readonly number[],
  total: number,
): { statistic: number; degrees: number } {
  let statistic = 0;
  let bins = 0;
  let pooledCount = 0;
  let pooledExpected = 0;
  counts.forEach((count, j) => {
    const expected = probabilities[j]! * total;
    if (expected < 5) {
      pooledCount += count;
      pooledExpected += expected;
      return;
    }
    statistic += (count - expected) ** 2 / expected;
    bins += 1;
  });
  if (pooledExpected > 0) {
    statistic += (pooledCount - pooledExpected) ** 2 / Math.max(pooledExpected, 1e-300);
    bins += 1;
  }
  return { statistic, degrees: bins - 1 };
}

/** The chi-square quantile at 1 - 1e-3 (Wilson-Hilferty; z = 3.0902). */
function chiSquareCritical(degrees: number): number {
  const z = 3.0902;
  const c = 2 / (9 * degrees);
  return degrees * (1 - c + z * Math.sqrt(c)) ** 3;
}

describe('grid layout (rows and columns sharded) over worker threads', () => {
  const collectives = new Map<number, Collective>();
  const grid = (rows: number, columns: number, shardBackend: 'js' | 'wasm' = 'js') =>
    createShardedBackend({
      collective: collectives.get(rows * columns)!,
      shardBackend,
      layout: { rows, columns },
    });
  beforeAll(async () => {
    for (const workers of [2, 3, 4])
      collectives.set(workers, await createInProcessCollective({ workers }));
  });
  afterAll(async () => {
    for (const collective of collectives.values()) await collective.close();
  });

  it('splits rows and columns into blocks in rank order a C + b', () => {
    expect(
      gridShards(10, 7, { rows: 2, columns: 3 }).map((shard) => [
        shard.rank,
        shard.rowBlock,
        shard.columnBlock,
        shard.rowStart,
        shard.rowCount,
        shard.columnStart,
        shard.columnCount,
      ]),
    ).toEqual([
      [0, 0, 0, 0, 5, 0, 2],
      [1, 0, 1, 0, 5, 2, 2],
      [2, 0, 2, 0, 5, 4, 3],
      [3, 1, 0, 5, 5, 0, 2],
      [4, 1, 1, 5, 5, 2, 2],
      [5, 1, 2, 5, 5, 4, 3],
    ]);
  });

  it('rejects a layout whose rows x columns is not the number of workers', () => {
    const collective = collectives.get(4)!;
    for (const layout of [
      { rows: 3, columns: 1 },
      { rows: 2, columns: 0 },
      { rows: 1.5, columns: 2 },
    ])
      expect(() => createShardedBackend({ collective, layout })).toThrow(InvalidArgumentError);
    expect(() => createShardedBackend({ collective, layout: { rows: 1, columns: 3 } })).toThrow(
      /layout.*rows x columns = 4/,
    );
  });

  it('refuses a worker that does not echo its column block (an older protocol v1 worker)', async () => {
    // Such a worker answers `prepare` without columnStart / columnCount: it would ignore them.
    const old = shuffledCollective(2, 1, (reply) =>
      reply.header.ok && reply.header.values?.columnCount !== undefined
        ? {
            ...reply,
            header: { ...reply.header, values: { description: 'old', protocol: 1 } },
          }
        : reply,
    );
    try {
      const backend = createShardedBackend({
        collective: old,
        shardBackend: 'js',
        layout: { rows: 1, columns: 2 },
      });
      const x = gaussianCloud(5, 2, 1);
      const y = gaussianCloud(4, 2, 2);
      const error = await backend
        .prepare({
          x: x.data as Float32Array,
          y: y.data as Float32Array,
          n: 5,
          m: 4,
          d: 2,
          mode: 'online',
        })
        .catch((caught: unknown) => caught);
      expect(WorkerFailedError.isInstance(error)).toBe(true);
      expect((error as Error).message).toMatch(
        /worker 0 \(shuffled-0\) failed 'prepare'.*does not know column blocks/,
      );
    } finally {
      await old.close();
    }
  });

  describe('passes the backend conformance suite (2 x 2 grid, js shards)', () => {
    for (const conformance of backendConformanceCases()) {
      // The conformance case for sampleColumns asks for the column of the largest score
      // (g~_j + K_ij) / eps + G(seed, i, j, draw) under the single-process noise keyed by the
      // global (i, j). The grid samples in two stages with other noise (the block b by Gumbel-max
      // over its mass, keyed by (seed, i, b, draw), then j in J_b with the block's own seed), so
      // its column has the right law but is, by construction, generally not that argmax: the
      // case cannot hold for C > 1 (it fails for every shape with m > 1; with m = 1 there is
      // nothing to choose and it runs). Its replacements are the chi-square and determinism tests
      // below; with one column block (row sharding) the case runs and passes (in-process.test.ts).
      const twoStage =
        conformance.name.startsWith('sampleColumns') && !conformance.name.includes(' m=1 ');
      it.skipIf(twoStage)(conformance.name, async () => {
        await expect(conformance.run(grid(2, 2))).resolves.toBeUndefined();
      });
    }
  });

  it.each([
    [1, 2],
    [2, 2],
    [3, 1],
    [1, 3],
  ])(
    'equals the single-process js solver on a %i x %i grid (f, g, E, costs to 1e-9)',
    async (rows, columns) => {
      const x = gaussianCloud(61, 4, 1);
      const y = gaussianCloud(47, 4, 2, 0.5);
      const options = {
        epsilon: relativeEpsilon(0.05),
        threshold: 1e-6,
        mode: 'online' as const,
      };
      const reference = await solveSinkhorn({ x, y, backend: createJsBackend(), ...options });
      const backend = grid(rows, columns);
      const sharded = await solveSinkhorn({ x, y, backend, ...options });
      expect(sharded.iterations).toBe(reference.iterations);
      expect(relativeDifference(sharded.f, reference.f)).toBeLessThan(1e-9);
      expect(relativeDifference(sharded.g, reference.g)).toBeLessThan(1e-9);
      for (const key of COSTS)
        expect(relativeDifference(sharded[key], reference[key], 1e-12), key).toBeLessThan(1e-9);
      const report = backend.report();
      expect(report.layout).toEqual({ rows, columns });
      expect(report.workers.map((worker) => [worker.rowBlock, worker.columnBlock])).toEqual(
        gridShards(61, 47, { rows, columns }).map((shard) => [shard.rowBlock, shard.columnBlock]),
      );
      // Every entry of K is owned by exactly one worker.
      expect(
        report.workers.reduce((sum, worker) => sum + worker.rowCount * worker.columnCount, 0),
      ).toBe(61 * 47);
      expect(report.passes).toBe(2 * reference.iterations + 2);
    },
  );

  it('matches the single-process wasm solver (float32 kernels) on a 2 x 2 grid', async () => {
    const { createWasmBackend } = await import('@sinkflow/ot');
    const x = gaussianCloud(90, 5, 11);
    const y = gaussianCloud(70, 5, 12, 0.3);
    const options = { epsilon: relativeEpsilon(0.05), threshold: 1e-4, mode: 'online' as const };
    const reference = await solveSinkhorn({
      x,
      y,
      backend: createWasmBackend({ threads: 1 }),
      ...options,
    });
    const backend = createShardedBackend({
      collective: collectives.get(4)!,
      shardBackend: 'wasm',
      threadsPerShard: 1,
      layout: { rows: 2, columns: 2 },
    });
    const sharded = await solveSinkhorn({ x, y, backend, ...options });
    expect(relativeDifference(sharded.f, reference.f, 1)).toBeLessThan(1e-5);
    expect(relativeDifference(sharded.transportCost, reference.transportCost)).toBeLessThan(1e-5);
    expect(backend.report().workers[0]!.backend).toContain('WebAssembly');
  });

  it('runs the wasm shards on their kept half-precision kernel (dense16), converged to the float64 solution', async () => {
    const x = gaussianCloud(90, 5, 11);
    const y = gaussianCloud(70, 5, 12, 0.3);
    const options = { epsilon: relativeEpsilon(0.05), threshold: 1e-3 };
    const reference = await solveSinkhorn({
      x,
      y,
      backend: createJsBackend(),
      ...options,
      threshold: 1e-8,
    });
    for (const layout of [
      { rows: 2, columns: 2 },
      { rows: 4, columns: 1 },
    ]) {
      const backend = createShardedBackend({
        collective: collectives.get(4)!,
        shardBackend: 'wasm',
        threadsPerShard: 1,
        layout,
      });
      const sharded = await solveSinkhorn({ x, y, backend, mode: 'dense16', ...options });
      expect(sharded.mode).toBe('dense16');
      expect(sharded.converged).toBe(true);
      expect(Math.max(sharded.marginalError, sharded.rowMarginalError)).toBeLessThan(1e-3);
      expect(relativeDifference(sharded.transportCost, reference.transportCost)).toBeLessThan(4e-3);
    }
    // js shards have no kept half-precision kernel.
    await expect(
      solveSinkhorn({ x, y, backend: grid(2, 2), mode: 'dense16', ...options }),
    ).rejects.toMatchObject({ argumentName: 'mode' });
  });

  it('gives a dense kernel the same results as an online one', async () => {
    const x = gaussianCloud(33, 3, 7);
    const y = gaussianCloud(29, 3, 8);
    const options = { epsilon: relativeEpsilon(0.1), threshold: 1e-7 };
    const reference = await solveSinkhorn({
      x,
      y,
      backend: createJsBackend(),
      mode: 'dense',
      ...options,
    });
    const sharded = await solveSinkhorn({ x, y, backend: grid(2, 2), mode: 'dense', ...options });
    expect(relativeDifference(sharded.f, reference.f)).toBeLessThan(1e-9);
    expect(relativeDifference(sharded.transportCost, reference.transportCost)).toBeLessThan(1e-9);
  });

  it('keeps row sharding bit for bit: default layout = { rows: P, columns: 1 }', async () => {
    const x = gaussianCloud(40, 3, 3);
    const y = gaussianCloud(35, 3, 4);
    const options = { epsilon: relativeEpsilon(0.05), threshold: 1e-6, mode: 'online' as const };
    const collective = collectives.get(3)!;
    const implicit = await solveSinkhorn({
      x,
      y,
      backend: createShardedBackend({ collective, shardBackend: 'js' }),
      ...options,
    });
    const explicit = await solveSinkhorn({ x, y, backend: grid(3, 1), ...options });
    expect(Array.from(explicit.f)).toEqual(Array.from(implicit.f));
    expect(Array.from(explicit.g)).toEqual(Array.from(implicit.g));
    expect(explicit.transportCost).toBe(implicit.transportCost);
    // The rows pass is still bitwise that of one process.
    const js = await createJsBackend().prepare({
      x: x.data as Float32Array,
      y: y.data as Float32Array,
      n: 40,
      m: 35,
      d: 3,
      mode: 'online',
    });
    const kernel = await grid(3, 1).prepare({
      x: x.data as Float32Array,
      y: y.data as Float32Array,
      n: 40,
      m: 35,
      d: 3,
      mode: 'online',
    });
    const a = new Float64Array(40);
    const b = new Float64Array(40);
    await js.logSumExp({ side: 'rows', offsets: implicit.g, epsilon: 0.3, out: a });
    await kernel.logSumExp({ side: 'rows', offsets: implicit.g, epsilon: 0.3, out: b });
    expect(Array.from(b)).toEqual(Array.from(a));
    await kernel.dispose();
    await js.dispose();
  });

  it('projects like one process (mass-weighted block means, to 1e-12)', async () => {
    const x = gaussianCloud(30, 3, 5);
    const y = gaussianCloud(20, 3, 6);
    const single = await createSinkhornProblem({ x, y, backend: createJsBackend() });
    const sharded = await createSinkhornProblem({ x, y, backend: grid(2, 2) });
    const potentials = await single.solve({ epsilon: relativeEpsilon(0.1) });
    const a = await single.barycentricProjection({ potentials });
    const b = await sharded.barycentricProjection({ potentials });
    expect(relativeDifference(b, a)).toBeLessThan(1e-12);
    await single.dispose();
    await sharded.dispose();
  });

  describe('two-stage pair sampling', () => {
    const n = 40;
    const m = 30;
    const d = 3;
    const epsilon = 0.25;
    const random = createRandomGenerator({ seed: 91 });
    const x = Float32Array.from({ length: n * d }, () => 0.5 * random.normal());
    const y = Float32Array.from({ length: m * d }, () => 0.5 * random.normal());
    // Columns 0..9 weigh about 3 times more: the column blocks' masses differ.
    const g = Float64Array.from(
      { length: m },
      (_, j) => 0.1 * random.normal() + (j < 10 ? 0.3 : 0),
    );
    /** P(j | i) in float64 from the float32 clouds, by brute force. */
    const exactConditional = (i: number, scale = 1): number[] => {
      const logits = Array.from({ length: m }, (_, j) => {
        let dot = 0;
        for (let c = 0; c < d; c += 1) dot += x[i * d + c]! * y[j * d + c]!;
        return (g[j]! + dot) / (epsilon * scale);
      });
      const top = Math.max(...logits);
      const weights = logits.map((logit) => Math.exp(logit - top));
      const total = weights.reduce((sum, weight) => sum + weight, 0);
      return weights.map((weight) => weight / total);
    };
    const draws = 20_000;
    const testedRows = [0, 17, 23, 39];
    const sample = async (
      layout: ShardedLayout,
      seed: number,
      collective = collectives.get(layout.rows * layout.columns)!,
    ): Promise<Int32Array> => {
      const backend = createShardedBackend({ collective, shardBackend: 'js', layout });
      const kernel = await backend.prepare({ x, y, n, m, d, mode: 'online' });
      const rows = Int32Array.from(
        { length: testedRows.length * draws },
        (_, s) => testedRows[Math.floor(s / draws)]!,
      );
      const out = new Int32Array(rows.length);
      await kernel.sampleColumns({
        rows,
        draws: Uint32Array.from({ length: rows.length }, (_, s) => s % draws),
        columnPotentials: g,
        epsilon,
        seed,
        out,
      });
      await kernel.dispose();
      return out;
    };

    it.each([[{ rows: 2, columns: 2 }], [{ rows: 1, columns: 3 }]])(
      'draws columns from P_ij / sum_j P_ij (chi-square, 20 000 draws per row, %o)',
      async (layout) => {
        const columns = await sample(layout, 2026);
        const blocks = gridShards(n, m, layout).filter((shard) => shard.rowBlock === 0);
        testedRows.forEach((i, r) => {
          const counts = new Array<number>(m).fill(0);
          for (let k = 0; k < draws; k += 1) counts[columns[r * draws + k]!]! += 1;
          const exact = chiSquare(counts, exactConditional(i), draws);
          expect(exact.degrees).toBeGreaterThan(5);
          expect(exact.statistic, `row ${i}`).toBeLessThan(chiSquareCritical(exact.degrees));
          // The test has power: it rejects the law at 1.5 eps, and the mixture that would pick
          // the column block uniformly instead of by its mass (the likely bug).
          const flatter = chiSquare(counts, exactConditional(i, 1.5), draws);
          expect(flatter.statistic).toBeGreaterThan(chiSquareCritical(flatter.degrees));
          const exactLaw = exactConditional(i);
          const uniformBlocks = exactLaw.map((p, j) => {
            const block = blocks.find(
              (shard) => j >= shard.columnStart && j < shard.columnStart + shard.columnCount,
            )!;
            let mass = 0;
            for (let k = 0; k < block.columnCount; k += 1) mass += exactLaw[block.columnStart + k]!;
            return p / mass / blocks.length;
          });
          const blind = chiSquare(counts, uniformBlocks, draws);
          expect(blind.statistic).toBeGreaterThan(chiSquareCritical(blind.degrees));
        });
        // Every block is drawn from (the mixture really spans the column blocks).
        for (const block of blocks) {
          expect(
            columns.some(
              (j) => j >= block.columnStart && j < block.columnStart + block.columnCount,
            ),
          ).toBe(true);
        }
      },
    );

    it('is deterministic: same seed, same pairs, whatever the order replies arrive in', async () => {
      const layout = { rows: 2, columns: 2 };
      const first = await sample(layout, 7);
      const again = await sample(layout, 7);
      expect(Array.from(again)).toEqual(Array.from(first));
      for (const seed of [1, 2]) {
        const shuffled = shuffledCollective(4, seed);
        try {
          expect(Array.from(await sample(layout, 7, shuffled))).toEqual(Array.from(first));
        } finally {
          await shuffled.close();
        }
      }
      const other = await sample(layout, 8);
      expect(Array.from(other)).not.toEqual(Array.from(first));
    });

    it('samples pairs through createSinkhornProblem, reproducibly', async () => {
      const cloudX = gaussianCloud(30, 3, 5);
      const cloudY = gaussianCloud(20, 3, 6);
      const single = await createSinkhornProblem({
        x: cloudX,
        y: cloudY,
        backend: createJsBackend(),
      });
      const sharded = await createSinkhornProblem({ x: cloudX, y: cloudY, backend: grid(2, 2) });
      const potentials = await single.solve({ epsilon: relativeEpsilon(0.1) });
      const a = await single.samplePairs({ potentials, count: 500, seed: 3 });
      const b = await sharded.samplePairs({ potentials, count: 500, seed: 3 });
      const c = await sharded.samplePairs({ potentials, count: 500, seed: 3 });
      // Rows come from the same generator; columns from the same law (not the same noise).
      expect(Array.from(b.rows)).toEqual(Array.from(a.rows));
      expect(Array.from(c.columns)).toEqual(Array.from(b.columns));
      expect(b.columns.every((j) => j >= 0 && j < 20)).toBe(true);
      await single.dispose();
      await sharded.dispose();
    });
  });

  it('checkpoints and resumes on a 2 x 2 grid with the uninterrupted result', async () => {
    const x = gaussianCloud(80, 3, 21);
    const y = gaussianCloud(70, 3, 22, 0.5);
    const options = {
      epsilon: relativeEpsilon(0.02),
      threshold: 1e-8,
      momentumStart: Number.POSITIVE_INFINITY,
      mode: 'online' as const,
    };
    const reference = await solveSinkhorn({ x, y, backend: createJsBackend(), ...options });
    expect(reference.iterations).toBeGreaterThan(150);
    const directory = mkdtempSync(join(tmpdir(), 'sinkflow-grid-checkpoint-'));
    try {
      const problem = await createSinkhornProblem({ x, y, mode: 'online', backend: grid(2, 2) });
      const interrupted = await solveWithCheckpoints({
        problem,
        checkpointDirectory: directory,
        checkpointEvery: 50,
        ...options,
        onProgress: ({ iteration }) => {
          if (iteration >= 120) throw new Error('interrupted');
        },
      }).catch((error: unknown) => error);
      expect((interrupted as Error).message).toBe('interrupted');
      await problem.dispose();
      const saved = JSON.parse(readFileSync(join(directory, 'checkpoint.json'), 'utf8'));
      expect(saved.iteration).toBeGreaterThanOrEqual(100);
      const again = await createSinkhornProblem({ x, y, mode: 'online', backend: grid(2, 2) });
      const resumed = await solveWithCheckpoints({
        problem: again,
        checkpointDirectory: directory,
        ...options,
      });
      await again.dispose();
      expect(resumed.resumedFromIteration).toBe(saved.iteration);
      expect(resumed.iterations).toBe(reference.iterations);
      expect(relativeDifference(resumed.f, reference.f)).toBeLessThan(1e-9);
      expect(relativeDifference(resumed.g, reference.g)).toBeLessThan(1e-9);
      expect(relativeDifference(resumed.transportCost, reference.transportCost)).toBeLessThan(1e-9);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
