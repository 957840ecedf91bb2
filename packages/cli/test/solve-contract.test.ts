import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRandomGenerator } from '@sinkflow/core';
import { readNpyFile, writeNpyFile } from '@sinkflow/core/node';
import { beforeAll, describe, expect, it } from 'vitest';
import { sinkflow } from './run-cli-helper.js';

const directory = mkdtempSync(join(tmpdir(), 'sinkflow-contract-'));
const path = (name: string) => join(directory, name);
const solve = (...args: string[]) =>
  sinkflow('solve', '--x', path('x.npy'), '--y', path('y.npy'), '--backend', 'js', ...args);
const sample = (potentials: string, x = path('x.npy'), ...args: string[]) =>
  sinkflow(
    'sample',
    '--x',
    x,
    '--y',
    path('y.npy'),
    '--potentials',
    potentials,
    '--count',
    '20',
    '--backend',
    'js',
    '--out',
    path(`pairs-${Math.random().toString(36).slice(2)}.npy`),
    ...args,
  );
const oneLine = (stderr: string) => {
  expect(stderr.trim().split('\n')).toHaveLength(1);
  expect(stderr).not.toMatch(/\n\s+at /);
};

beforeAll(async () => {
  const random = createRandomGenerator({ seed: 3 });
  const cloud = (n: number, d: number, shift: number) =>
    Float32Array.from({ length: n * d }, () => random.normal() + shift);
  await writeNpyFile(path('x.npy'), { dtype: 'float32', shape: [120, 4], data: cloud(120, 4, 0) });
  await writeNpyFile(path('y.npy'), { dtype: 'float32', shape: [100, 4], data: cloud(100, 4, 1) });
  // Same shape and dtype as x.npy, other coordinates.
  await writeNpyFile(path('x-other.npy'), {
    dtype: 'float32',
    shape: [120, 4],
    data: cloud(120, 4, 0),
  });
  // Every point of y equal: E = 1 for every epsilon.
  await writeNpyFile(path('y-flat.npy'), {
    dtype: 'float32',
    shape: [100, 4],
    data: new Float32Array(400).fill(0.5),
  });
  const good = await solve('--relative-epsilon', '0.1', '--save-potentials', path('good'));
  expect(good.code).toBe(0);
});

describe('solve exits 3 unless the result converged (--allow-unconverged: exit 0)', () => {
  it('documents exit 3 in the --help overview and in solve --help', async () => {
    const overview = await sinkflow('--help');
    expect(overview.stdout).toMatch(
      /exit codes: 0 success,\s+2 bad input .*1 internal failure, 3 a solve that did not\s+converge or diverged/s,
    );
    const help = await sinkflow('solve', '--help');
    expect(help.stdout).toMatch(/--allow-unconverged/);
    expect(help.stdout).toMatch(
      /Exit codes: 0 converged .*; 3 not converged, diverged or target not reached/s,
    );
  });

  it('exits 3 on a solve stopped by --max-iterations, prints and records it, saves nothing', async () => {
    const result = await solve(
      '--relative-epsilon',
      '0.01',
      '--max-iterations',
      '10',
      '--save-potentials',
      path('stopped'),
      '--json',
      path('stopped.json'),
    );
    expect(result.code).toBe(3);
    expect(result.stdout).toMatch(/status\s+NOT converged after 10 iterations/);
    expect(result.stderr).toMatch(
      /^sinkflow solve: did not converge: marginal error .* above --threshold 0\.001 after 10 iterations/,
    );
    oneLine(result.stderr);
    expect(existsSync(path('stopped'))).toBe(false);
    const summary = JSON.parse(readFileSync(path('stopped.json'), 'utf8'));
    expect(summary).toMatchObject({ converged: false, diverged: false, iterations: 10 });
  });

  it('--allow-unconverged keeps the old behaviour: exit 0 and the potentials saved', async () => {
    const result = await solve(
      '--relative-epsilon',
      '0.01',
      '--max-iterations',
      '10',
      '--allow-unconverged',
      '--save-potentials',
      path('stopped-allowed'),
    );
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect((await readNpyFile(path('stopped-allowed/f.npy'))).shape).toEqual([120]);
    expect(JSON.parse(readFileSync(path('stopped-allowed/solve.json'), 'utf8')).converged).toBe(
      false,
    );
    // sample accepts potentials saved with --allow-unconverged, with a note.
    const sampled = await sample(path('stopped-allowed'));
    expect(sampled.code).toBe(0);
    expect(sampled.stderr).toMatch(/note: the potentials in .* did not converge/);
  });

  // wasm's float32 kernels give NaN potentials at epsilon = 1e300 (js's float64 ones do not).
  const wasmSolve = (...args: string[]) =>
    sinkflow('solve', '--x', path('x.npy'), '--y', path('y.npy'), '--backend', 'wasm', ...args);

  it('never writes NaN or infinite values: --epsilon 1e300 saves no potentials and fails', async () => {
    const failed = await wasmSolve('--epsilon', '1e300', '--save-potentials', path('huge'));
    expect([2, 3]).toContain(failed.code);
    // 2 where the backend refuses an epsilon its kernels cannot represent: the flag is named.
    if (failed.code === 2) expect(failed.stderr).toMatch(/invalid argument '--epsilon': /);
    oneLine(failed.stderr);
    expect(existsSync(path('huge/f.npy'))).toBe(false);
    const allowed = await wasmSolve(
      '--epsilon',
      '1e300',
      '--allow-unconverged',
      '--save-potentials',
      path('huge-allowed'),
      '--json',
      path('huge-allowed.json'),
    );
    expect(existsSync(path('huge-allowed/f.npy'))).toBe(false);
    expect(existsSync(path('huge-allowed/g.npy'))).toBe(false);
    if (existsSync(path('huge-allowed.json'))) {
      const text = readFileSync(path('huge-allowed.json'), 'utf8');
      expect(text).not.toMatch(/NaN|Infinity/);
      const summary = JSON.parse(text);
      // Either every recorded quantity is finite, or the summary says the solve diverged.
      const quantities = [
        summary.transportCost,
        summary.renormalizedEntropy,
        summary.marginalError,
      ];
      if (quantities.includes(null)) expect(summary.diverged).toBe(true);
    }
    if (allowed.code === 0) expect(allowed.stderr).toMatch(/potentials not saved .*not finite/);
  });

  it('reports the whole entropy search: solves, iterations and seconds of every solve', async () => {
    const result = await solve('--target-entropy', '0.2', '--json', path('search.json'));
    expect(result.code).toBe(0);
    const summary = JSON.parse(readFileSync(path('search.json'), 'utf8'));
    expect(summary.search.reached).toBe(true);
    expect(summary.search.solves).toBeGreaterThan(1);
    // Every solve does at least one iteration: the search did more than its last solve.
    expect(summary.search.iterations).toBeGreaterThan(summary.iterations);
    expect(summary.search.seconds).toBeGreaterThan(0);
    expect(summary.seconds).toBe(summary.search.seconds);
    expect(result.stdout).toMatch(
      new RegExp(
        `entropy search\\s+target 0\\.2 reached: ${summary.search.solves} solves, ${summary.search.iterations} iterations in all`,
      ),
    );
    expect(result.stdout).toMatch(
      /time\s+[\d.]+ s in all: [\d.]+ s choosing the backend, [\d.]+ s solving on js \(\w+\), the whole search/,
    );
  });

  it('exits 3 when the searched solves did not converge', async () => {
    const result = await solve('--target-entropy', '0.2', '--max-iterations', '3');
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/--target-entropy|did not converge/);
    oneLine(result.stderr);
  });

  it('refuses a target entropy that these clouds cannot reach (every y equal: E = 1)', {
    timeout: 60_000,
  }, async () => {
    const result = await sinkflow(
      'solve',
      '--x',
      path('x.npy'),
      '--y',
      path('y-flat.npy'),
      '--backend',
      'js',
      '--max-iterations',
      '300',
      '--target-entropy',
      '0.5',
    );
    // 2 where ot finds the reachable range before searching, 3 where the search gives up.
    expect([2, 3]).toContain(result.code);
    expect(result.stderr).toMatch(/--target-entropy/);
    oneLine(result.stderr);
  });
});

describe('sample refuses potentials it cannot trust (exit 2 naming --potentials)', () => {
  it('samples from the potentials of a converged solve of the same clouds', async () => {
    const result = await sample(path('good'));
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const record = JSON.parse(readFileSync(path('good/solve.json'), 'utf8'));
    expect(record.fingerprints.x).toMatchObject({ n: 120, d: 4, dtype: 'float32' });
    expect(record.fingerprints.x.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(record.fingerprints.y).toMatchObject({ n: 100, d: 4, dtype: 'float32' });
  });

  it('refuses other clouds of the same shape', async () => {
    const result = await sample(path('good'), path('x-other.npy'));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /invalid argument '--potentials': were solved for other clouds than --x .*x-other\.npy: different coordinates/,
    );
    oneLine(result.stderr);
  });

  const copyRun = (name: string, edit: (record: Record<string, unknown>) => void) => {
    mkdirSync(path(name));
    for (const file of ['f.npy', 'g.npy'])
      copyFileSync(path(`good/${file}`), path(`${name}/${file}`));
    const record = JSON.parse(readFileSync(path('good/solve.json'), 'utf8'));
    edit(record);
    writeFileSync(path(`${name}/solve.json`), JSON.stringify(record));
  };

  it('refuses the potentials of a diverged solve', async () => {
    copyRun('diverged', (record) => {
      record.diverged = true;
      record.converged = false;
      record.marginalError = null;
    });
    const result = await sample(path('diverged'));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/'--potentials': .*records a diverged solve/);
    oneLine(result.stderr);
  });

  it('refuses potentials holding NaN', async () => {
    copyRun('nan', () => undefined);
    const f = await readNpyFile(path('nan/f.npy'));
    (f.data as Float64Array)[7] = Number.NaN;
    await writeNpyFile(path('nan/f.npy'), f);
    const result = await sample(path('nan'));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/'--potentials': .*NaN or infinite/);
    oneLine(result.stderr);
  });

  it('refuses a solve.json without fingerprints (the clouds cannot be checked)', async () => {
    copyRun('unsigned', (record) => {
      delete record.fingerprints;
    });
    const result = await sample(path('unsigned'));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/'--potentials': .*no fingerprints of X and Y/);
    oneLine(result.stderr);
  });
});
