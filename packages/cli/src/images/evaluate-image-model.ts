import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeNpyFile } from '@sinkflow/core/node';
import { createModelVelocityField, sampleFlow, type VelocityModel } from '@sinkflow/fm';
import { curvature, featureFrechetDistance } from '@sinkflow/metrics';
import type { ImageClassifier } from './image-classifier.js';
import { imageGridPng } from './image-grid-png.js';

/** The samplers of the study: Euler at 2, 4, 8 and 16 steps, and adaptive Dopri5 [klein2025]. */
export const IMAGE_SAMPLERS = [
  { name: 'euler-2', method: 'euler', steps: 2 },
  { name: 'euler-4', method: 'euler', steps: 4 },
  { name: 'euler-8', method: 'euler', steps: 8 },
  { name: 'euler-16', method: 'euler', steps: 16 },
  { name: 'dopri5', method: 'dopri5', steps: 50 },
] as const;

/**
 * A trajectory whose end point has a pixel beyond +-10 (the images are in [-1, 1]) has diverged:
 * an undertrained MLP can send a rare noise off to 1e9, and one such path would make the mean
 * curvature meaningless.
 */
export const DIVERGED_PIXEL = 10;

/** One of the {@link IMAGE_SAMPLERS} names. */
export type ImageSamplerName = (typeof IMAGE_SAMPLERS)[number]['name'];

/** What {@link evaluateImageModel} measures of one trained flow. */
export interface ImageModelEvaluation {
  /** Classifier-feature Fréchet distance of each sampler's images to the test images. */
  readonly frechet: Record<ImageSamplerName, number>;
  /** Velocity evaluations of each sampler per image. */
  readonly functionEvaluations: Record<ImageSamplerName, number>;
  /**
   * Curvature of the flow's trajectories [klein2025]: the mean over the curvature noises whose
   * trajectory stays bounded (every pixel of its end point within +-{@link DIVERGED_PIXEL}).
   */
  readonly curvature: number;
  /** The median over all the curvature noises (robust to a diverging trajectory). */
  readonly curvatureMedian: number;
  /** Trajectories left out of `curvature`: their end point has a pixel beyond +-{@link DIVERGED_PIXEL}. */
  readonly divergedTrajectories: number;
  /** The `.npy` of each sampler's images (`N x 784` float32 in [-1, 1]). */
  readonly samples: Record<ImageSamplerName, string>;
  /** PNG: one row per sampler, the first `gridColumns` noises. */
  readonly grid: string;
  readonly evaluationSeconds: number;
}

/**
 * Samples a trained image flow from fixed noise with every sampler of {@link IMAGE_SAMPLERS}
 * (images clipped to the pixel range [-1, 1] and saved as `.npy`), scores each against the test
 * images by the Fréchet distance of the classifier's features (the FID's recipe [heusel2017] with
 * our classifier in place of Inception), and measures the curvature
 * `int_0^1 ||v(t, x_t) - (x_1 - x_0)||^2 dt` of its trajectories [lee2023, klein2025] (Euler,
 * `curvatureSteps` steps, on the first `curvatureSamples` noises; mean over the bounded ones, see
 * {@link DIVERGED_PIXEL}, and median over all).
 *
 * @example
 * ```ts
 * const evaluation = await evaluateImageModel({ model, noise, classifier, test, directory, curvatureSamples: 256, curvatureSteps: 32 });
 * evaluation.frechet['euler-4'];
 * ```
 */
export async function evaluateImageModel({
  model,
  noise,
  classifier,
  testImages,
  directory,
  curvatureSamples,
  curvatureSteps,
  gridColumns = 10,
  height = 28,
  width = 28,
}: {
  readonly model: VelocityModel;
  /** `N x d` standard normal noise, the same for every model. */
  readonly noise: Float32Array;
  readonly classifier: ImageClassifier;
  readonly testImages: Float32Array;
  readonly directory: string;
  readonly curvatureSamples: number;
  readonly curvatureSteps: number;
  readonly gridColumns?: number;
  readonly height?: number;
  readonly width?: number;
}): Promise<ImageModelEvaluation> {
  const started = performance.now();
  const d = model.d;
  const frechet = {} as Record<ImageSamplerName, number>;
  const functionEvaluations = {} as Record<ImageSamplerName, number>;
  const samples = {} as Record<ImageSamplerName, string>;
  const gridRows: Float32Array[][] = [];
  const count = noise.length / d;
  for (const sampler of IMAGE_SAMPLERS) {
    const flow = await sampleFlow({
      model,
      x: noise,
      method: sampler.method,
      steps: sampler.steps,
      // Dopri5 to 1e-3: the images are compared at 8-bit precision, tighter costs NFE for nothing.
      rtol: 1e-3,
      atol: 1e-3,
      maxBatch: 1024,
    });
    const images = new Float32Array(flow.x.length);
    for (let k = 0; k < images.length; k += 1) {
      const value = flow.x[k] as number;
      // A diverged sample is scored as black rather than written as NaN.
      images[k] = Number.isFinite(value) ? Math.min(1, Math.max(-1, value)) : -1;
    }
    const path = join(directory, `samples-${sampler.name}.npy`);
    await writeNpyFile(path, { dtype: 'float32', shape: [count, d], data: images });
    samples[sampler.name] = path;
    functionEvaluations[sampler.name] = flow.functionEvaluations;
    const distance = await featureFrechetDistance({
      x: images,
      y: testImages,
      d,
      featureMap: classifier.featureMap,
      batchSize: 1000,
    });
    frechet[sampler.name] = distance.distance;
    gridRows.push(
      Array.from({ length: Math.min(gridColumns, count) }, (_, i) =>
        images.subarray(i * d, (i + 1) * d),
      ),
    );
  }
  const grid = join(directory, 'grid.png');
  await writeFile(grid, imageGridPng({ images: gridRows, height, width }));
  const bent = await curvature({
    field: createModelVelocityField({ model, maxBatch: 1024 }),
    x0: noise.subarray(0, Math.min(count, curvatureSamples) * d),
    method: 'euler',
    steps: curvatureSteps,
  });
  const bounded: number[] = [];
  for (const [i, value] of bent.perSample.entries()) {
    const end = bent.x1.subarray(i * d, (i + 1) * d);
    if (Number.isFinite(value) && end.every((pixel) => Math.abs(pixel) <= DIVERGED_PIXEL)) {
      bounded.push(value);
    }
  }
  const sorted = Array.from(bent.perSample, (value) =>
    Number.isFinite(value) ? value : Number.MAX_VALUE,
  ).sort((p, q) => p - q);
  return {
    frechet,
    functionEvaluations,
    // No bounded trajectory at all: the largest finite number rather than NaN.
    curvature:
      bounded.length === 0
        ? Number.MAX_VALUE
        : bounded.reduce((sum, value) => sum + value, 0) / bounded.length,
    curvatureMedian: sorted[Math.floor(sorted.length / 2)] as number,
    divergedTrajectories: bent.perSample.length - bounded.length,
    samples,
    grid,
    evaluationSeconds: (performance.now() - started) / 1000,
  };
}
