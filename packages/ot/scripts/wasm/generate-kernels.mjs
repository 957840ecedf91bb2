/**
 * Assembles the WebAssembly text of the CPU backend's kernels (one module, shared memory,
 * SIMD128 + threads) and compiles it with wabt. Used at build time by `scripts/build-wasm.mjs`
 * and by the test that checks that the committed binary is up to date.
 */
import { argmaxUpdateFunction, rowArgmaxFunction } from './argmax-pass.mjs';
import {
  blockMaxFunction,
  exp2TestFunctions,
  expStoreFloat64Function,
  expSumFunction,
  expSumSkipFunction,
  horizontalMaxFunction,
  logSumExpUpdateFunction,
  pow2Function,
} from './exp2-kernel.mjs';
import {
  axpyBlockFunction,
  expectationFunction,
  expectationUpdateFunction,
  scaleVectorFunction,
} from './expectation-pass.mjs';
import {
  buildHalfExactFunction,
  buildHalfFunction,
  halfColumnsFunction,
  halfRowsFunction,
  halfTestFunction,
} from './half-kernel.mjs';
import {
  buildDenseFunction,
  logSumExpDenseFunction,
  logSumExpOnlineFunction,
} from './logsumexp-pass.mjs';
import { PADDING_UNIT, SCRATCH } from './pass-common.mjs';
import { mulHighFunction, uniformsTestFunction } from './philox-simd.mjs';
import { gumbelTestFunction, sampleBlockFunction, sampleFunction } from './sampling-pass.mjs';
import { statisticsFunction, statisticsRowFunction } from './statistics-pass.mjs';
import { PANEL_WIDTH, TILE_TYPE, tileFunctions, UNROLLED_DIMENSIONS } from './tile-kernel.mjs';
import { lines } from './wat-text.mjs';

/** Layout facts the host code needs (exported from the generated module). */
export const KERNEL_CONSTANTS = {
  /** Byte offset of the tile inside a thread's scratch area. */
  scratchTileOffset: SCRATCH.tile,
  /** Largest d with an unrolled tile; the looped tile is the next table slot. */
  unrolledDimensions: UNROLLED_DIMENSIONS.length,
  /** Points per panel of the tile. */
  panelWidth: PANEL_WIDTH,
  /** Both clouds are padded to, and column blocks are, multiples of this. */
  paddingUnit: PADDING_UNIT,
};

/** The whole module as WebAssembly text. */
export function generateKernelsWat() {
  const tiles = tileFunctions();
  return lines(
    '(module',
    '(import "env" "memory" (memory 1 65536 shared))',
    '(import "env" "log" (func $log (param f64) (result f64)))',
    TILE_TYPE,
    tiles.table,
    tiles.text,
    horizontalMaxFunction(),
    pow2Function(),
    expSumFunction({ name: '$exp_store', store: true }),
    expStoreFloat64Function(),
    expSumSkipFunction(),
    blockMaxFunction(),
    logSumExpUpdateFunction(),
    logSumExpOnlineFunction(),
    logSumExpDenseFunction(),
    buildDenseFunction(),
    buildHalfFunction(),
    buildHalfExactFunction(),
    halfRowsFunction(),
    halfColumnsFunction(),
    statisticsRowFunction(),
    statisticsFunction(),
    scaleVectorFunction(),
    axpyBlockFunction(),
    expectationUpdateFunction(),
    expectationFunction(),
    mulHighFunction(),
    sampleBlockFunction(),
    sampleFunction(),
    argmaxUpdateFunction(),
    rowArgmaxFunction(),
    exp2TestFunctions(),
    uniformsTestFunction(),
    gumbelTestFunction(),
    halfTestFunction(),
    ')',
  );
}

/** Compiles the text to the binary module with wabt (deterministic: same text, same bytes). */
export async function compileKernels() {
  const wabt = await (await import('wabt')).default();
  const text = generateKernelsWat();
  const module = wabt.parseWat('sinkflow-kernels.wat', text, {
    simd: true,
    threads: true,
    bulk_memory: true,
    multi_value: true,
  });
  try {
    const { buffer } = module.toBinary({ log: false, write_debug_names: false });
    return { text, bytes: new Uint8Array(buffer) };
  } finally {
    module.destroy();
  }
}
