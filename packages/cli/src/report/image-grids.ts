import type { RunRecord } from '../sweep/results-store.js';

/** One image flow's sample grid, embedded in the report as a PNG data URL. */
export interface ImageGridFigure {
  /** The DOM id suffix (`figure-grid-<run id>`). */
  readonly id: string;
  readonly title: string;
  readonly caption: string;
  /** The PNG, base64-encoded (checked to hold base64 characters only). */
  readonly pngBase64: string;
}

/** Base64 text: letters, digits, `+`, `/`, and up to two `=` at the end. */
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Names of the image study's couplings, for the titles. */
const COUPLING_TITLES: Readonly<Record<string, string>> = {
  independent: 'I-FM',
  sinkhorn: 'OT-FM',
  'batch-sinkhorn': 'batch OT-FM',
  semidiscrete: 'semidiscrete OT-FM',
};

/**
 * One figure per finished `sinkflow images` run that stored its sample grid (the `gridPng`
 * metric): a row per sampler (Euler 2, 4, 8, 16 steps, Dopri5), the same first noises in every
 * run, so the grids compare image by image [klein2025, Fig. 8]. A stored value that is not
 * base64 is left out rather than written into the page.
 *
 * @example
 * ```ts
 * const grids = imageGridFigures(await store.list('images'));
 * grids[0]?.title; // 'OT-FM n=4096 E=0.1'
 * ```
 */
export function imageGridFigures(runs: readonly RunRecord[]): ImageGridFigure[] {
  const figures: ImageGridFigure[] = [];
  for (const run of runs) {
    const png = run.metrics?.gridPng;
    if (run.kind !== 'images' || run.status !== 'done' || typeof png !== 'string') continue;
    if (!BASE64.test(png)) continue;
    const config = run.config as Record<string, unknown>;
    const coupling = String(config.coupling);
    const kind = COUPLING_TITLES[coupling] ?? coupling;
    const title =
      coupling === 'sinkhorn' || coupling === 'batch-sinkhorn'
        ? `${kind} n=${String(config.n)} E=${String(config.targetEntropy)}`
        : kind;
    figures.push({
      id: `grid-${run.id}`,
      title,
      caption: `Samples of ${title} (seed ${String(config.seed)}, budget ${String(config.budget)}): a row per sampler (Euler 2, 4, 8 and 16 steps, Dopri5), the same noises in every run.`,
      pngBase64: png,
    });
  }
  return figures;
}
