import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { imageGridPng } from '../src/images/image-grid-png.js';
import { createSampledPairSource } from '../src/images/sampled-pair-source.js';
import { imageFigures } from '../src/report/image-figures.js';
import type { RunRecord } from '../src/sweep/results-store.js';

describe('imageGridPng', () => {
  it('writes a greyscale PNG whose chunks carry the CRC-32 of zlib and whose pixels are the tiles', () => {
    const a = Float32Array.of(-1, 0, 1, 1, 0, -1);
    const b = Float32Array.of(2, -2, Number.NaN, 0.5, -0.5, 0);
    const png = imageGridPng({ images: [[a, b]], height: 2, width: 3 });
    const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
    expect([...png.subarray(1, 4)].map((c) => String.fromCharCode(c)).join('')).toBe('PNG');
    // IHDR: 2 tiles of 3 plus 3 gaps of 2 wide, 1 tile of 2 plus 2 gaps high, 8-bit grey.
    expect(view.getUint32(16)).toBe(12);
    expect(view.getUint32(20)).toBe(6);
    expect([...png.subarray(24, 29)]).toEqual([8, 0, 0, 0, 0]);
    // Golden CRCs from Python: zlib.crc32(b'IHDR' + header), zlib.crc32(b'IEND').
    expect(view.getUint32(29)).toBe(3531939933);
    expect(view.getUint32(png.length - 4)).toBe(2923585666);
    const idatLength = view.getUint32(33);
    const raw = inflateSync(png.subarray(41, 41 + idatLength));
    expect(raw.length).toBe(6 * 13);
    const row = (y: number) => [...raw.subarray(y * 13 + 1, (y + 1) * 13)];
    expect(raw[2 * 13]).toBe(0); // filter type 0
    expect(row(0)).toEqual(Array(12).fill(255));
    // [-1, 1] maps to [0, 255]; values beyond clip, NaN is black.
    expect(row(2)).toEqual([255, 255, 0, 128, 255, 255, 255, 255, 0, 0, 255, 255]);
    expect(row(3)).toEqual([255, 255, 255, 128, 0, 255, 255, 191, 64, 128, 255, 255]);
  });
});

describe('createSampledPairSource', () => {
  it('streams the saved pairs in order, wraps round and resumes from its state', async () => {
    const x0 = Float32Array.of(0, 1, 2);
    const x1 = Float32Array.of(10, 11, 12);
    const options = {
      x0,
      x1,
      d: 1,
      rows: Int32Array.of(2, 0, 1),
      columns: Int32Array.of(0, 0, 2),
      renormalizedEntropy: 0.1,
      secondsPerExample: 0.5,
    };
    const pairs = createSampledPairSource(options);
    await pairs.start();
    const first = await pairs.next({ count: 2 });
    expect([...first.x0]).toEqual([2, 0]);
    expect([...first.x1]).toEqual([10, 10]);
    const state = pairs.getState();
    const second = await pairs.next({ count: 2 });
    expect([...second.x0]).toEqual([1, 2]);
    expect([...second.x1]).toEqual([12, 10]);
    expect(pairs.statistics()).toMatchObject({ pairs: 4, otSecondsPerExample: 0.5 });
    const resumed = createSampledPairSource(options);
    await resumed.start({ state });
    expect([...(await resumed.next({ count: 2 })).x0]).toEqual([1, 2]);
  });
});

describe('imageFigures', () => {
  const run = (
    id: string,
    config: Record<string, unknown>,
    metrics: Record<string, number>,
  ): RunRecord => ({
    id,
    sweep: 'images',
    kind: 'images',
    config,
    status: 'done',
    metrics,
    seconds: 1,
    error: null,
    updatedAt: '',
  });
  const fd = (base: number) => ({
    'frechet-euler-2': base * 4,
    'frechet-euler-4': base * 2,
    'frechet-euler-8': base,
    'frechet-euler-16': base,
    'frechet-dopri5': base,
    'functionEvaluations-dopri5': 40,
  });
  const runs = [
    run('a', { coupling: 'independent', n: null, targetEntropy: 1 }, { ...fd(10), curvature: 9 }),
    ...[
      [4096, 0.1, 5],
      [4096, 0.2, 6],
      [16384, 0.1, 4],
    ].map(([n, entropy, base]) =>
      run(
        `n${n}-${entropy}`,
        { coupling: 'sinkhorn', n, targetEntropy: entropy },
        {
          ...fd(base as number),
          curvature: base as number,
          renormalizedEntropy: entropy as number,
          sinkhornSecondsPerExample: 1e-3 * (n as number),
        },
      ),
    ),
  ];

  it('draws FD against evaluations, and FD and curvature against E and n, with I-FM as reference', () => {
    const figures = imageFigures(runs);
    expect(figures.map((figure) => figure.id)).toEqual([
      'images-frechet-steps',
      'images-frechet-e',
      'images-curvature-e',
      'images-frechet-n',
      'images-sinkhorn-cost-n',
    ]);
    const [steps, frechetE, curvatureE] = figures;
    // Euler lines, and Dopri5 as a dot in the colour (series) of the model's own line.
    expect(steps?.points).toHaveLength(4 * 4);
    expect(steps?.dots).toHaveLength(4);
    expect(steps?.dots).toContainEqual({ model: 'I-FM', evaluations: 40, frechet: 10 });
    expect(frechetE?.references).toEqual([{ label: 'I-FM', value: 20 }]);
    expect(curvatureE?.points).toContainEqual({
      n: 'n=16384',
      renormalizedEntropy: 0.1,
      curvature: 4,
    });
    expect(imageFigures(runs.slice(0, 1)).map((figure) => figure.id)).toEqual([
      'images-frechet-steps',
    ]);
  });
});
