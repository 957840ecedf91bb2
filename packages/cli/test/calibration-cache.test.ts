import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRandomGenerator } from '@sinkflow/core';
import { writeNpyFile } from '@sinkflow/core/node';
import type { StoredCalibration } from '@sinkflow/ot';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  cacheDirectory,
  calibrationContext,
  fileCalibrationStore,
} from '../src/io/calibration-cache.js';

const record: StoredCalibration = {
  shape: { n: 8, m: 8, d: 2, mode: 'online' },
  results: [{ name: 'wasm', secondsPerIteration: 0.001 }],
  measuredAt: '2026-12-07T00:00:00.000Z',
};

describe('the calibration cache of --backend auto', () => {
  it('lives in $XDG_CACHE_HOME/sinkflow, else ~/.cache/sinkflow', () => {
    expect(cacheDirectory({ XDG_CACHE_HOME: '/var/cache/ada' })).toBe('/var/cache/ada/sinkflow');
    expect(cacheDirectory({ HOME: '/home/ada' })).toMatch(/\.cache\/sinkflow$/);
  });

  it('depends on the machine and the package versions', () => {
    const context = calibrationContext();
    expect(context.cpu).toBeTruthy();
    expect(context.node).toBe(process.version);
    expect(context['@sinkflow/ot']).toMatch(/^\d+\.\d+\.\d+/);
    const directory = mkdtempSync(join(tmpdir(), 'sinkflow-cache-'));
    const here = fileCalibrationStore({ directory, context });
    const otherVersion = fileCalibrationStore({
      directory,
      context: { ...context, '@sinkflow/ot': '9.9.9' },
    });
    expect(here.path).not.toBe(otherVersion.path);
  });

  it('keeps runs by key, and reads a malformed file as a miss', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'sinkflow-cache-'));
    const store = fileCalibrationStore({ directory, context: { host: 'test' } });
    expect(await store.read('a')).toBeUndefined();
    await store.write('a', record);
    await store.write('b', { ...record, measuredAt: '2026-12-08T00:00:00.000Z' });
    expect(await store.read('a')).toEqual(record);
    expect((await store.read('b'))?.measuredAt).toBe('2026-12-08T00:00:00.000Z');
    expect(readdirSync(directory)).toEqual([store.path.split('/').pop()]);
    writeFileSync(store.path, '{ not json');
    expect(await store.read('a')).toBeUndefined();
  });
});

describe('sinkflow solve --backend auto across processes', () => {
  const cli = join(import.meta.dirname, '..', 'dist', 'cli.js');
  const directory = mkdtempSync(join(tmpdir(), 'sinkflow-auto-'));
  const env = { ...process.env, XDG_CACHE_HOME: join(directory, 'cache') };
  const solve = (...extra: string[]) =>
    JSON.parse(
      execFileSync(
        process.execPath,
        [cli, 'solve', '--x', join(directory, 'x.npy'), '--y', join(directory, 'y.npy')].concat([
          '--backend',
          'auto',
          '--json',
          '-',
          ...extra,
        ]),
        { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
      ),
    ) as { backendReason: string; totalSeconds: number; seconds: number; backendSeconds: number };

  beforeAll(async () => {
    if (!existsSync(cli)) throw new Error('packages/cli is not built: run `pnpm build` first');
    const random = createRandomGenerator({ seed: 5 });
    const cloud = () => Float32Array.from({ length: 64 * 3 }, () => random.normal());
    await writeNpyFile(join(directory, 'x.npy'), {
      dtype: 'float32',
      shape: [64, 3],
      data: cloud(),
    });
    await writeNpyFile(join(directory, 'y.npy'), {
      dtype: 'float32',
      shape: [64, 3],
      data: cloud(),
    });
  });

  it('calibrates once, reuses the kept result, and --recalibrate redoes it', () => {
    const first = solve();
    expect(first.backendReason).toMatch(/^auto: /);
    expect(first.backendReason).not.toMatch(/reused/);
    const files = readdirSync(join(directory, 'cache', 'sinkflow'));
    expect(files).toHaveLength(1);
    const kept = JSON.parse(
      readFileSync(join(directory, 'cache', 'sinkflow', files[0] as string), 'utf8'),
    );
    expect(Object.keys(kept.runs)).toHaveLength(1);
    const second = solve();
    expect(second.backendReason).toMatch(/calibration of .* reused/);
    const third = solve('--recalibrate');
    expect(third.backendReason).not.toMatch(/reused/);
    // The time printed covers the whole command, the backend choice included.
    for (const summary of [first, second, third]) {
      expect(summary.totalSeconds).toBeGreaterThanOrEqual(summary.seconds + summary.backendSeconds);
    }
  }, 120_000);
});
