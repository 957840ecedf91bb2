import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { InvalidArgumentError } from '@sinkflow/core';
import { describe, expect, it } from 'vitest';
import { IdxFormatError } from '../src/index.js';
import {
  DEBIAN_FASHION_MNIST_DIRECTORY,
  FASHION_MNIST_FILES,
  readFashionMnist,
} from '../src/node.js';

const installed = existsSync(
  join(DEBIAN_FASHION_MNIST_DIRECTORY, FASHION_MNIST_FILES.train.images),
);
if (!installed) {
  console.warn(
    `read-fashion-mnist: skipping the real-data tests: ${DEBIAN_FASHION_MNIST_DIRECTORY} is missing (apt-get install dataset-fashion-mnist)`,
  );
}

describe.skipIf(!installed)(
  'readFashionMnist on the real data (Debian dataset-fashion-mnist)',
  () => {
    it('reads 60 000 training and 10 000 test images of 28 x 28 with the published statistics', async () => {
      const train = await readFashionMnist({ split: 'train' });
      expect([train.n, train.d, train.height, train.width]).toEqual([60_000, 784, 28, 28]);
      // Published facts [xiao2017fashion]: 6 000 images per class; the first is an ankle boot (9).
      expect(train.labels[0]).toBe(9);
      const perClass = new Array(10).fill(0);
      for (const label of train.labels) perClass[label] += 1;
      expect(perClass).toEqual(new Array(10).fill(6000));
      // The usual normalisation constants of the training pixels in [0, 1]: mean 0.2860, std 0.3530.
      let sum = 0;
      let squares = 0;
      for (const value of train.images) {
        const unit = (value + 1) / 2;
        sum += unit;
        squares += unit * unit;
      }
      const mean = sum / train.images.length;
      expect(mean).toBeCloseTo(0.286, 3);
      expect(Math.sqrt(squares / train.images.length - mean * mean)).toBeCloseTo(0.353, 3);
      const test = await readFashionMnist({ split: 'test', limit: 100 });
      expect([test.n, test.d]).toEqual([100, 784]);
      expect(test.labels[0]).toBe(9);
    }, 60_000);
  },
);

describe('readFashionMnist errors', () => {
  it('names --data-style directory and both ways to get the files when they are missing', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'sinkflow-fmnist-'));
    const caught = await readFashionMnist({ directory: empty }).catch((error: unknown) => error);
    expect(InvalidArgumentError.isInstance(caught)).toBe(true);
    expect((caught as InvalidArgumentError).argumentName).toBe('directory');
    expect((caught as Error).message).toMatch(/apt-get install dataset-fashion-mnist/);
    expect((caught as Error).message).toMatch(/zalandoresearch\/fashion-mnist/);
  });

  it('refuses files that are not gzipped IDX images / labels of matching sizes', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'sinkflow-fmnist-'));
    const images = new Uint8Array([0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 1, 10, 20]);
    const labels = new Uint8Array([0, 0, 8, 1, 0, 0, 0, 3, 1, 2, 3]);
    await writeFile(join(folder, FASHION_MNIST_FILES.train.images), gzipSync(images));
    await writeFile(join(folder, FASHION_MNIST_FILES.train.labels), gzipSync(labels));
    const mismatch = await readFashionMnist({ directory: folder }).catch((error: unknown) => error);
    expect(IdxFormatError.isInstance(mismatch)).toBe(true);
    expect((mismatch as Error).message).toMatch(/expected 2 uint8 labels/);
    await writeFile(join(folder, FASHION_MNIST_FILES.train.labels), Buffer.from('not gzip'));
    const notGzip = await readFashionMnist({ directory: folder }).catch((error: unknown) => error);
    expect(IdxFormatError.isInstance(notGzip)).toBe(true);
    expect((notGzip as Error).message).toMatch(/not a gzip file/);
    await writeFile(
      join(folder, FASHION_MNIST_FILES.train.labels),
      gzipSync(new Uint8Array([0, 0, 8, 1, 0, 0, 0, 2, 1, 12])),
    );
    const badLabel = await readFashionMnist({ directory: folder }).catch((error: unknown) => error);
    expect((badLabel as Error).message).toMatch(/label 1 is 12, outside 0-9/);
    await writeFile(
      join(folder, FASHION_MNIST_FILES.train.labels),
      gzipSync(new Uint8Array([0, 0, 8, 1, 0, 0, 0, 2, 1, 2])),
    );
    const ok = await readFashionMnist({ directory: folder });
    expect([ok.n, ok.d, ok.height, ok.width]).toEqual([2, 1, 1, 1]);
    expect(Array.from(ok.images)).toEqual([10 / 127.5 - 1, 20 / 127.5 - 1].map(Math.fround));
  });
});
