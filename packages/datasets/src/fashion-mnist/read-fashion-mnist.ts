import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { InvalidArgumentError } from '@sinkflow/core';
import { IdxFormatError } from '../idx/idx-format-error.js';
import { type IdxArray, parseIdx } from '../idx/parse-idx.js';
import { type ImageScaling, scaleImages } from '../images/scale-images.js';

/** Where Debian's `dataset-fashion-mnist` package installs the four files. */
export const DEBIAN_FASHION_MNIST_DIRECTORY = '/usr/share/datasets/fashion-mnist';

/** The file names of the upstream release [xiao2017fashion] (the Debian package keeps them). */
export const FASHION_MNIST_FILES = {
  train: { images: 'train-images-idx3-ubyte.gz', labels: 'train-labels-idx1-ubyte.gz' },
  test: { images: 't10k-images-idx3-ubyte.gz', labels: 't10k-labels-idx1-ubyte.gz' },
} as const;

/** The class names of the labels 0-9 [xiao2017fashion]. */
export const FASHION_MNIST_CLASSES = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
] as const;

/** One split of Fashion-MNIST, as a point cloud of images and their labels. */
export interface ImageDataset {
  /** `n x d` float32, row-major, each row an image of `height x width` pixels (see `scaling`). */
  readonly images: Float32Array;
  /** `n` labels in 0-9 (see {@link FASHION_MNIST_CLASSES}). */
  readonly labels: Int32Array;
  readonly n: number;
  /** `height * width` = 784. */
  readonly d: number;
  readonly height: number;
  readonly width: number;
  readonly scaling: ImageScaling;
  /** The files read. */
  readonly files: { readonly images: string; readonly labels: string };
}

/** Largest decompressed file accepted: the training images are 47 MB; this refuses gzip bombs. */
const MAXIMUM_DECOMPRESSED_BYTES = 256 * 2 ** 20;

const gunzipAsync = promisify(gunzip);

/**
 * Reads one split of Fashion-MNIST [xiao2017fashion] (60 000 training or 10 000 test images of 28 x
 * 28 grey pixels, labels 0-9) from the gzipped IDX files [lecun1998mnist] in `directory`: by
 * default where Debian's `dataset-fashion-mnist` package puts them; the upstream files have the
 * same names. Never downloads anything.
 *
 * @param options.directory - @default {@link DEBIAN_FASHION_MNIST_DIRECTORY}
 * @param options.split - `'train'` or `'test'`. @default 'train'
 * @param options.scaling - how pixels become floats (see `scaleImages`). @default 'centered'
 * @param options.seed - the dequantization seed (only for `'dequantized'`).
 * @param options.limit - keep only the first `limit` images (all when omitted).
 * @throws {@link InvalidArgumentError} naming `directory` when a file is missing (the message says
 * how to get the files), {@link IdxFormatError} when a file is not the expected IDX array.
 * @example
 * ```ts
 * import { readFashionMnist } from '@sinkflow/datasets/node';
 * const train = await readFashionMnist({ split: 'train' });
 * train.n; train.d; train.labels[0]; // 60000, 784, 9 (an ankle boot)
 * ```
 */
export async function readFashionMnist({
  directory = DEBIAN_FASHION_MNIST_DIRECTORY,
  split = 'train',
  scaling = 'centered',
  seed,
  limit,
}: {
  readonly directory?: string;
  readonly split?: 'train' | 'test';
  readonly scaling?: ImageScaling;
  readonly seed?: number;
  readonly limit?: number;
} = {}): Promise<ImageDataset> {
  const functionName = 'readFashionMnist';
  if (split !== 'train' && split !== 'test') {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'split',
      message: "must be 'train' or 'test'",
      value: split,
    });
  }
  if (limit !== undefined && !(Number.isSafeInteger(limit) && limit >= 1)) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'limit',
      message: 'must be an integer >= 1',
      value: limit,
    });
  }
  const files = {
    images: join(directory, FASHION_MNIST_FILES[split].images),
    labels: join(directory, FASHION_MNIST_FILES[split].labels),
  };
  for (const path of [files.images, files.labels]) {
    try {
      await access(path);
    } catch {
      throw new InvalidArgumentError({
        functionName,
        argumentName: 'directory',
        message: `${path} is missing: install Debian's package (apt-get install dataset-fashion-mnist, which puts the four files in ${DEBIAN_FASHION_MNIST_DIRECTORY}) or point to a folder holding the upstream files (${Object.values(
          FASHION_MNIST_FILES,
        )
          .flatMap((pair) => Object.values(pair))
          .join(', ')}) from https://github.com/zalandoresearch/fashion-mnist`,
        value: directory,
      });
    }
  }
  const [imageArray, labelArray] = await Promise.all([
    readGzippedIdx(files.images),
    readGzippedIdx(files.labels),
  ]);
  if (imageArray.dataType !== 'uint8' || imageArray.shape.length !== 3) {
    throw new IdxFormatError({
      source: files.images,
      message: `expected uint8 images of shape n x rows x columns, got ${imageArray.dataType} of shape ${imageArray.shape.join(' x ')}`,
    });
  }
  const [count, height, width] = imageArray.shape as [number, number, number];
  if (
    labelArray.dataType !== 'uint8' ||
    labelArray.shape.length !== 1 ||
    labelArray.shape[0] !== count
  ) {
    throw new IdxFormatError({
      source: files.labels,
      message: `expected ${count} uint8 labels, got ${labelArray.dataType} of shape ${labelArray.shape.join(' x ')}`,
    });
  }
  const n = Math.min(count, limit ?? count);
  const d = height * width;
  const pixels = (imageArray.data as Uint8Array).subarray(0, n * d);
  const labels = Int32Array.from((labelArray.data as Uint8Array).subarray(0, n));
  const badLabel = labels.findIndex((label) => label > 9);
  if (badLabel >= 0) {
    throw new IdxFormatError({
      source: files.labels,
      message: `label ${badLabel} is ${labels[badLabel]}, outside 0-9`,
    });
  }
  return {
    images: scaleImages({ pixels, scaling, ...(seed === undefined ? {} : { seed }) }),
    labels,
    n,
    d,
    height,
    width,
    scaling,
    files,
  };
}

/** Decompresses (bounded) and parses one gzipped IDX file. */
async function readGzippedIdx(path: string): Promise<IdxArray> {
  const compressed = await readFile(path);
  let bytes: Buffer;
  try {
    bytes = await gunzipAsync(compressed, { maxOutputLength: MAXIMUM_DECOMPRESSED_BYTES });
  } catch (cause) {
    throw new IdxFormatError({
      source: path,
      message: `not a gzip file of at most ${MAXIMUM_DECOMPRESSED_BYTES} bytes (${(cause as Error).message})`,
      cause,
    });
  }
  return parseIdx(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
    source: path,
  });
}
