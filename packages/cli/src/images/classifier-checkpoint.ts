import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readNpyFile, writeNpyFile } from '@sinkflow/core/node';
import type { ImageDataset } from '@sinkflow/datasets/node';
import {
  classifierAccuracy,
  createImageClassifier,
  type ImageClassifier,
  trainImageClassifier,
} from './image-classifier.js';

/** How the Fréchet-distance classifier is trained (the checkpoint is reused only when these match). */
export interface ClassifierSettings {
  readonly sizes: readonly number[];
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly seed: number;
  /** Training images used (the first `trainImages` of the training split). */
  readonly trainImages: number;
}

/** What is saved with the classifier's weights in `classifier.json`. */
export interface ClassifierFacts {
  readonly settings: ClassifierSettings;
  /** Accuracy on the test images given to {@link loadOrTrainClassifier}. */
  readonly testAccuracy: number;
  readonly testImages: number;
  readonly finalLoss: number;
  readonly trainSeconds: number;
}

/**
 * The classifier of the Fréchet distance, trained once: when `directory/classifier.json` holds the
 * same settings its weights are loaded; otherwise the classifier is trained, scored on the test
 * images and saved (weights as `.npy`, written to a temporary folder then renamed, so a killed run
 * leaves either no classifier or a whole one).
 *
 * @example
 * ```ts
 * const { classifier, facts, loaded } = await loadOrTrainClassifier({ directory, train, test, settings });
 * facts.testAccuracy; // about 0.87 for the default MLP after 3 epochs
 * ```
 */
export async function loadOrTrainClassifier({
  directory,
  train,
  test,
  settings,
  onStep,
}: {
  readonly directory: string;
  readonly train: ImageDataset;
  readonly test: ImageDataset;
  readonly settings: ClassifierSettings;
  readonly onStep?: (step: number, total: number, loss: number) => void;
}): Promise<{
  readonly classifier: ImageClassifier;
  readonly facts: ClassifierFacts;
  readonly loaded: boolean;
}> {
  const classifier = createImageClassifier({ sizes: settings.sizes, seed: settings.seed });
  try {
    const saved = await readFacts(directory);
    if (saved !== null && JSON.stringify(saved.settings) === JSON.stringify(settings)) {
      const weights = [];
      for (const name of saved.weights) {
        const array = await readNpyFile(join(directory, `${name}.npy`));
        weights.push({ name, shape: array.shape, data: Float32Array.from(array.data) });
      }
      classifier.setWeights(weights);
      return { classifier, facts: saved.facts, loaded: true };
    }
    const n = Math.min(settings.trainImages, train.n);
    const trained = await trainImageClassifier({
      classifier,
      images: train.images.subarray(0, n * train.d),
      labels: train.labels.subarray(0, n),
      epochs: settings.epochs,
      batchSize: settings.batchSize,
      learningRate: settings.learningRate,
      seed: settings.seed,
      ...(onStep === undefined ? {} : { onStep }),
    });
    const testAccuracy = await classifierAccuracy({
      classifier,
      images: test.images,
      labels: test.labels,
    });
    const facts: ClassifierFacts = {
      settings,
      testAccuracy,
      testImages: test.n,
      finalLoss: trained.finalLoss,
      trainSeconds: trained.seconds,
    };
    const weights = await classifier.getWeights();
    const temporary = `${directory}.tmp-${process.pid}`;
    await rm(temporary, { recursive: true, force: true });
    await mkdir(temporary, { recursive: true });
    for (const weight of weights) {
      await writeNpyFile(join(temporary, `${weight.name}.npy`), {
        dtype: 'float32',
        shape: weight.shape,
        data: weight.data,
      });
    }
    await writeFile(
      join(temporary, 'classifier.json'),
      `${JSON.stringify({ facts, weights: weights.map((weight) => weight.name) }, null, 2)}\n`,
    );
    await rm(directory, { recursive: true, force: true });
    await rename(temporary, directory);
    return { classifier, facts, loaded: false };
  } catch (error) {
    classifier.dispose();
    throw error;
  }
}

async function readFacts(
  directory: string,
): Promise<{ facts: ClassifierFacts; settings: ClassifierSettings; weights: string[] } | null> {
  try {
    const saved = JSON.parse(await readFile(join(directory, 'classifier.json'), 'utf8'));
    return { facts: saved.facts, settings: saved.facts.settings, weights: saved.weights };
  } catch {
    return null;
  }
}
