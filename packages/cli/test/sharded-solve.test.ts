import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRandomGenerator } from '@sinkflow/core';
import { writeNpyFile } from '@sinkflow/core/node';
import {
  findNatsServer,
  type NatsServerProcess,
  spawnWorkerProcess,
  startNatsServer,
  type WorkerProcess,
} from '@sinkflow/distributed/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sinkflow } from './run-cli-helper.js';

const binary = findNatsServer();
const cli = new URL('../dist/cli.js', import.meta.url).pathname;
if (binary === undefined)
  console.warn(
    'nats-server is not installed (apt-get install nats-server): skipping sharded solve',
  );
if (!existsSync(cli)) throw new Error('packages/cli is not built: run `pnpm build` first');

const directory = mkdtempSync(join(tmpdir(), 'sinkflow-lab-sharded-'));
const path = (name: string) => join(directory, name);

describe.skipIf(binary === undefined)('sinkflow worker and sinkflow solve --nats', () => {
  let server: NatsServerProcess;
  const workers: WorkerProcess[] = [];
  beforeAll(async () => {
    const random = createRandomGenerator({ seed: 3 });
    const cloud = (n: number, d: number, shift: number) =>
      Float32Array.from({ length: n * d }, () => random.normal() + shift);
    await writeNpyFile(path('x.npy'), {
      dtype: 'float32',
      shape: [120, 3],
      data: cloud(120, 3, 0),
    });
    await writeNpyFile(path('y.npy'), { dtype: 'float32', shape: [90, 3], data: cloud(90, 3, 1) });
    server = await startNatsServer({ binary });
    workers.push(
      ...(await Promise.all(
        [1, 2].map(() =>
          spawnWorkerProcess({
            url: server.url,
            command: [process.execPath, cli, 'worker', '--nats', server.url],
          }),
        ),
      )),
    );
  }, 60_000);
  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.stop()));
    await server?.stop();
    rmSync(directory, { recursive: true, force: true });
  });

  it('solves on 2 workers with the output of the single-process solve', async () => {
    const common = [
      '--x',
      path('x.npy'),
      '--y',
      path('y.npy'),
      '--backend',
      'js',
      '--threshold',
      '1e-6',
    ];
    const single = await sinkflow('solve', ...common, '--json', path('single.json'));
    expect(single.code).toBe(0);
    const sharded = await sinkflow(
      'solve',
      ...common,
      '--nats',
      server.url,
      '--workers',
      '2',
      '--checkpoint-dir',
      path('checkpoint'),
      '--json',
      path('sharded.json'),
    );
    expect(sharded.stderr).not.toContain('error');
    expect(sharded.code).toBe(0);
    expect(sharded.stdout).toMatch(/sharded\s+2 workers, communication/);
    const a = JSON.parse(readFileSync(path('single.json'), 'utf8'));
    const b = JSON.parse(readFileSync(path('sharded.json'), 'utf8'));
    expect(a.sharding).toBeNull();
    expect(b.sharding.workers).toHaveLength(2);
    expect(b.iterations).toBe(a.iterations);
    for (const key of [
      'transportCost',
      'transportCostSqEuclidean',
      'renormalizedEntropy',
      'regularizedCost',
    ])
      expect(Math.abs(b[key] - a[key]) / Math.abs(a[key])).toBeLessThan(1e-9);
  }, 60_000);

  it('shards the columns of Y too with --column-shards (a 1 x 2 grid), same output', async () => {
    const common = [
      '--x',
      path('x.npy'),
      '--y',
      path('y.npy'),
      '--backend',
      'js',
      '--threshold',
      '1e-6',
    ];
    const single = await sinkflow('solve', ...common, '--json', path('single-grid.json'));
    expect(single.code).toBe(0);
    const grid = await sinkflow(
      'solve',
      ...common,
      '--nats',
      server.url,
      '--workers',
      '2',
      '--column-shards',
      '2',
      '--json',
      path('grid.json'),
    );
    expect(grid.stderr).not.toContain('error');
    expect(grid.code).toBe(0);
    expect(grid.stdout).toMatch(/sharded\s+2 workers \(1 x 2 grid\), communication/);
    const a = JSON.parse(readFileSync(path('single-grid.json'), 'utf8'));
    const b = JSON.parse(readFileSync(path('grid.json'), 'utf8'));
    expect(b.sharding.layout).toEqual({ rows: 1, columns: 2 });
    expect(
      b.sharding.workers.map((worker: Record<string, number>) => [
        worker.rowBlock,
        worker.columnBlock,
        worker.rowCount,
        worker.columnStart,
        worker.columnCount,
      ]),
    ).toEqual([
      [0, 0, 120, 0, 45],
      [0, 1, 120, 45, 45],
    ]);
    expect(b.iterations).toBe(a.iterations);
    for (const key of [
      'transportCost',
      'transportCostSqEuclidean',
      'renormalizedEntropy',
      'regularizedCost',
    ])
      expect(Math.abs(b[key] - a[key]) / Math.abs(a[key])).toBeLessThan(1e-9);
  }, 60_000);

  it('rejects --column-shards that does not divide --workers, or without --nats (exit 2)', async () => {
    const common = ['--x', path('x.npy'), '--y', path('y.npy')];
    const uneven = await sinkflow(
      'solve',
      ...common,
      '--nats',
      server.url,
      '--workers',
      '3',
      '--column-shards',
      '2',
    );
    expect(uneven.code).toBe(2);
    expect(uneven.stderr).toContain('--column-shards');
    expect(uneven.stderr).toContain('must divide --workers (3)');
    const alone = await sinkflow('solve', ...common, '--column-shards', '2');
    expect(alone.code).toBe(2);
    expect(alone.stderr).toContain('--column-shards');
  });

  it('rejects sharding flags without --nats and credentials in the URL (exit 2)', async () => {
    const common = ['--x', path('x.npy'), '--y', path('y.npy')];
    const noNats = await sinkflow('solve', ...common, '--workers', '2');
    expect(noNats.code).toBe(2);
    expect(noNats.stderr).toContain('--workers');
    const secret = await sinkflow(
      'solve',
      ...common,
      '--nats',
      'nats://user:pw@127.0.0.1:1',
      '--workers',
      '1',
    );
    expect(secret.code).toBe(2);
    expect(secret.stderr).toContain('must not contain credentials');
    const badBackend = await sinkflow(
      'solve',
      ...common,
      '--nats',
      server.url,
      '--workers',
      '1',
      '--backend',
      'gpujs',
    );
    expect(badBackend.code).toBe(2);
  });
});
