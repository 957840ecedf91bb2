import { describe, expect, it } from 'vitest';
import { imageGridFigures } from '../src/report/image-grids.js';
import { renderReport } from '../src/report/render-report.js';
import type { RunRecord } from '../src/sweep/results-store.js';

const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]).toString(
  'base64',
);
const run = (id: string, coupling: string, gridPng: unknown, extra = {}): RunRecord => ({
  id,
  sweep: 'images',
  kind: 'images',
  config: { coupling, n: 4096, targetEntropy: 0.1, seed: 0, budget: 'paper', ...extra },
  status: 'done',
  metrics: { 'frechet-euler-4': 150, gridPng: gridPng as string },
  seconds: 1,
  error: null,
  updatedAt: '2026-12-07',
});

describe('imageGridFigures', () => {
  it('embeds each stored grid with the run it belongs to, and only base64', async () => {
    const runs = [
      run('a', 'independent', png),
      run('b', 'sinkhorn', png),
      run('c', 'semidiscrete', png),
      // A forged value must never reach the page as markup.
      run('d', 'batch-sinkhorn', '"><script>alert(1)</script>'),
      run('e', 'sinkhorn', 42),
    ];
    const figures = imageGridFigures(runs);
    expect(figures.map((figure) => [figure.id, figure.title])).toEqual([
      ['grid-a', 'I-FM'],
      ['grid-b', 'OT-FM n=4096 E=0.1'],
      ['grid-c', 'semidiscrete OT-FM'],
    ]);
    const html = await renderReport({ title: 'images', runs });
    expect(html).toContain(`id="figure-grid-b"`);
    expect(html).toContain(`src="data:image/png;base64,${png}"`);
    expect(html).not.toContain('<script>alert(1)</script>');
  });
});
