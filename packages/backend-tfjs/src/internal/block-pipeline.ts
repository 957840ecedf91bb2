import type { Tensor } from '@tensorflow/tfjs-core';

/**
 * Runs `count` device blocks with one download in flight: block b + 1 is launched before block
 * b's values are awaited, so a GPU computes while the CPU merges (on cpu and wasm, where ops run
 * eagerly, this is the plain loop). `launch` returns one float32 tensor (the block's partials,
 * made inside `tf.tidy`); it is disposed after `consume` and on any failure.
 */
export async function runBlocks({
  count,
  launch,
  consume,
}: {
  readonly count: number;
  readonly launch: (block: number) => Tensor;
  readonly consume: (block: number, values: Float32Array) => void;
}): Promise<void> {
  const inFlight: { block: number; tensor: Tensor; values: Promise<unknown> }[] = [];
  const settle = async () => {
    const first = inFlight.shift();
    if (first === undefined) return;
    try {
      consume(first.block, (await first.values) as Float32Array);
    } finally {
      first.tensor.dispose();
    }
  };
  try {
    for (let block = 0; block < count; block += 1) {
      const tensor = launch(block);
      const values = tensor.data();
      // Observed by settle(); this keeps an early failure from leaving it unhandled.
      values.catch(() => undefined);
      inFlight.push({ block, tensor, values });
      if (inFlight.length > 1) await settle();
    }
    while (inFlight.length > 0) await settle();
  } finally {
    for (const { tensor } of inFlight) tensor.dispose();
  }
}
