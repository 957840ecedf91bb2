/**
 * The gpu.js kernel functions [gpujs2016], written once for every mode: gpu.js parses each
 * function's source (`toString()`) and compiles it to WGSL, GLSL, WebAssembly or JavaScript. They
 * use only what that kernel language allows: numbers (float32 on every GPU mode and in webasm),
 * flat arrays indexed by integers, `this.thread`, `Math.*` and loops whose bounds depend on
 * arguments (which every mode but cpu caps at `loopMaxIterations`: the caller sets it to the
 * longest loop, the tile length or `d`). Array elements are cast `as number` for TypeScript only.
 *
 * Index arithmetic stays in integers: gpu.js declares a variable initialised from an integer
 * expression as a float (its WebGL heritage), which WGSL then refuses to `++` and which rounds
 * indices past 2^24 in every mode. Only variables declared from a literal and stepped with `++`
 * somewhere are integers, so the hot kernels keep integer cursors declared `let i = 0`, assigned
 * their start and stepped with `++`; the others spell index expressions out inline.
 *
 * Every kernel evaluates `v_ij = h_j + K_ij` with `K_ij = <p_i, q_j>` recomputed on the fly
 * (`Online`) or read from a kept kernel matrix (`Dense`), where `h` has already been shifted by
 * its float64 maximum (so `v` stays near the scale of `K` whatever the offsets) and floored at
 * -1e30 (so `-Infinity` offsets contribute exactly zero).
 */

/** What gpu.js passes as `this`: the indices of the output cell being computed. */
interface KernelThis {
  readonly thread: { readonly x: number; readonly y: number; readonly z: number };
}

/** The probe's test kernel: `2 v_x + exp(0)`. */
export function smokeKernel(this: KernelThis, values: Float32Array): number {
  return (values[this.thread.x] as number) * 2 + Math.exp(0);
}

/**
 * The first level of the two-level log-sum-exp: cell (x = kept row i of the block, y = tile t)
 * returns `L_it = M + eps log sum_{j in t} exp((v_ij - M) / eps)` with `M` the running maximum of
 * the tile (a streaming log-sum-exp: a new maximum rescales the sum by `exp((M_old - M_new) / eps)`,
 * so every exponent is <= 0 and nothing overflows). The first column of the tile is peeled to
 * start `M` at a real value: gpu.js cannot spell a float32 `-Infinity` (or any huge literal, which
 * it would type as an integer).
 */
export function logSumExpOnline(
  this: KernelThis,
  kept: Float32Array,
  reduced: Float32Array,
  offsets: Float32Array,
  d: number,
  tile: number,
  length: number,
  epsilon: number,
): number {
  // Integer cursors (declared from a literal and stepped with ++, so gpu.js keeps them integers).
  let column = 0;
  let keptIndex = 0;
  let reducedIndex = 0;
  column = this.thread.y * tile;
  keptIndex = this.thread.x * d;
  reducedIndex = column * d;
  let firstDot = 0;
  for (let c = 0; c < d; c++) {
    firstDot += (kept[keptIndex] as number) * (reduced[reducedIndex] as number);
    keptIndex++;
    reducedIndex++;
  }
  let maximum = (offsets[column] as number) + firstDot;
  let sum = 1;
  for (let k = 1; k < tile; k++) {
    column++;
    if (column >= length) {
      break;
    }
    keptIndex = this.thread.x * d;
    let dot = 0;
    for (let c = 0; c < d; c++) {
      dot += (kept[keptIndex] as number) * (reduced[reducedIndex] as number);
      keptIndex++;
      reducedIndex++;
    }
    const value = (offsets[column] as number) + dot;
    if (value > maximum) {
      sum = sum * Math.exp((maximum - value) / epsilon) + 1;
      maximum = value;
    } else {
      sum += Math.exp((value - maximum) / epsilon);
    }
  }
  return maximum + epsilon * Math.log(sum);
}

/** {@link logSumExpOnline} on kept kernel rows: `kernelRows` holds `K_ij` at `i * length + j`. */
export function logSumExpDense(
  this: KernelThis,
  kernelRows: Float32Array,
  offsets: Float32Array,
  tile: number,
  length: number,
  epsilon: number,
): number {
  let column = 0;
  let entry = 0;
  column = this.thread.y * tile;
  entry = this.thread.x * length + column;
  let maximum = (offsets[column] as number) + (kernelRows[entry] as number);
  let sum = 1;
  for (let k = 1; k < tile; k++) {
    column++;
    entry++;
    if (column >= length) {
      break;
    }
    const value = (offsets[column] as number) + (kernelRows[entry] as number);
    if (value > maximum) {
      sum = sum * Math.exp((maximum - value) / epsilon) + 1;
      maximum = value;
    } else {
      sum += Math.exp((value - maximum) / epsilon);
    }
  }
  return maximum + epsilon * Math.log(sum);
}

/**
 * The kernel moment of one tile of one row: `sum_{j in t} exp((v_ij - s_i) / eps) K_ij`, with
 * `s_i` the row's log-sum-exp (shifted like `h`), so every weight is at most 1 and the weights of
 * a row sum to 1 over all tiles.
 */
export function momentOnline(
  this: KernelThis,
  kept: Float32Array,
  reduced: Float32Array,
  offsets: Float32Array,
  shifts: Float32Array,
  d: number,
  tile: number,
  length: number,
  epsilon: number,
): number {
  const shift = shifts[this.thread.x] as number;
  let column = 0;
  let keptIndex = 0;
  let reducedIndex = 0;
  column = this.thread.y * tile;
  reducedIndex = column * d;
  let sum = 0;
  for (let k = 0; k < tile; k++) {
    if (column >= length) {
      break;
    }
    keptIndex = this.thread.x * d;
    let dot = 0;
    for (let c = 0; c < d; c++) {
      dot += (kept[keptIndex] as number) * (reduced[reducedIndex] as number);
      keptIndex++;
      reducedIndex++;
    }
    sum += Math.exp(((offsets[column] as number) + dot - shift) / epsilon) * dot;
    column++;
  }
  return sum;
}

/** {@link momentOnline} on kept kernel rows. */
export function momentDense(
  this: KernelThis,
  kernelRows: Float32Array,
  offsets: Float32Array,
  shifts: Float32Array,
  tile: number,
  length: number,
  epsilon: number,
): number {
  const shift = shifts[this.thread.x] as number;
  let column = 0;
  let entry = 0;
  column = this.thread.y * tile;
  entry = this.thread.x * length + column;
  let sum = 0;
  for (let k = 0; k < tile; k++) {
    if (column >= length) {
      break;
    }
    const value = kernelRows[entry] as number;
    sum += Math.exp(((offsets[column] as number) + value - shift) / epsilon) * value;
    column++;
    entry++;
  }
  return sum;
}

/**
 * Scores of a few rows against a range of columns: cell (x = column j - columnStart,
 * y = row s of `points`) returns `v_sj = h_j + <p_s, q_j>` (0 past the last column). With zero
 * offsets this is a block of the kernel matrix itself.
 */
export function scoresOnline(
  this: KernelThis,
  points: Float32Array,
  reduced: Float32Array,
  offsets: Float32Array,
  d: number,
  columnStart: number,
  length: number,
): number {
  if (columnStart + this.thread.x >= length) {
    return 0;
  }
  let dot = 0;
  for (let c = 0; c < d; c++) {
    dot +=
      (points[this.thread.y * d + c] as number) *
      (reduced[(columnStart + this.thread.x) * d + c] as number);
  }
  return (offsets[columnStart + this.thread.x] as number) + dot;
}

/**
 * Weighted sums of column values over one tile of a chunk of columns: cell (x = value c,
 * y = row s, z = tile t) returns `sum_{j in t} w_{s, columnStart + j} values_jc`, with `w` of row
 * stride `stride` and `values` (the chunk's columns) of row length `width`.
 */
export function weightedSums(
  this: KernelThis,
  weights: Float32Array,
  values: Float32Array,
  stride: number,
  columnStart: number,
  width: number,
  tile: number,
  length: number,
): number {
  let sum = 0;
  for (let k = 0; k < tile; k++) {
    if (this.thread.z * tile + k >= length) {
      break;
    }
    sum +=
      (weights[this.thread.y * stride + columnStart + this.thread.z * tile + k] as number) *
      (values[(this.thread.z * tile + k) * width + this.thread.x] as number);
  }
  return sum;
}
