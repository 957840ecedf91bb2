/**
 * The SIMD128 roofline of this machine: the peak rate of f32x4 multiply-adds that V8's wasm
 * compiler reaches on one thread, measured by a tiny loop of independent accumulators.
 *
 * The module is assembled here byte by byte (no assembler at run time). Its function
 * `madd(iterations) -> f32` runs, per iteration, `UNROLL` rounds of
 *
 *   acc_k = f32x4.add(acc_k, f32x4.mul(x, b_(k mod 2))),   k = 0 .. ACCUMULATORS-1,
 *
 * the instruction pair of the kernels' dot-product tile (wasm has no fused multiply-add without
 * relaxed SIMD). The products are independent and each accumulator's chain of additions is
 * ACCUMULATORS long per round, which hides the addition latency (2-4 cycles on current x64) at 2
 * additions per cycle; 8 accumulators + 3 operands stay in the 16 xmm registers. Each pair is
 * 8 flop (4 lanes x multiply + add), so the rate is `8 ACCUMULATORS UNROLL iterations / time`.
 * Operands are small normal numbers (x b = 1e-6) so no lane becomes denormal or infinite.
 */
import { webAssembly } from '../src/backend/wasm/webassembly-api.js';

/** Independent accumulators of the loop (see the module comment). */
const ACCUMULATORS = 8;
/** Rounds per loop iteration (amortises the loop counter and branch). */
const UNROLL = 4;

/** Unsigned LEB128. */
function leb(value: number): number[] {
  const out: number[] = [];
  let rest = value >>> 0;
  do {
    let byte = rest & 0x7f;
    rest >>>= 7;
    if (rest !== 0) byte |= 0x80;
    out.push(byte);
  } while (rest !== 0);
  return out;
}

/** A section: id, byte length, contents. */
const section = (id: number, contents: number[]) => [id, ...leb(contents.length), ...contents];

const F32X4_ADD = [0xfd, ...leb(228)];
const F32X4_MUL = [0xfd, ...leb(230)];
const F32X4_SPLAT = [0xfd, ...leb(19)];
const F32X4_EXTRACT_LANE = [0xfd, ...leb(31)];

/** The module's bytes: one exported function `madd(i32) -> f32`. */
export function rooflineModuleBytes(): Uint8Array {
  const V128 = 0x7b;
  // Locals: 0 = iterations (param); 1 .. 8 accumulators; 9 = x; 10, 11 = b0, b1.
  const x = 1 + ACCUMULATORS;
  const b = [x + 1, x + 2];
  const f32Const = (value: number) => [0x43, ...new Uint8Array(new Float32Array([value]).buffer)];
  const body: number[] = [
    ...leb(1),
    ...leb(ACCUMULATORS + 3),
    V128,
    // x = 1e-3, b0 = 1e-3, b1 = -1e-3: each accumulator stays within 1e-6 * iterations.
    ...f32Const(1e-3),
    ...F32X4_SPLAT,
    0x21,
    ...leb(x),
    ...f32Const(1e-3),
    ...F32X4_SPLAT,
    0x21,
    ...leb(b[0] as number),
    ...f32Const(-1e-3),
    ...F32X4_SPLAT,
    0x21,
    ...leb(b[1] as number),
    0x02,
    0x40, // block
    0x03,
    0x40, // loop
    0x20,
    0,
    0x45, // i32.eqz
    0x0d,
    1, // br_if 1 (leave the block)
  ];
  for (let round = 0; round < UNROLL; round += 1) {
    for (let k = 0; k < ACCUMULATORS; k += 1) {
      body.push(0x20, ...leb(1 + k), 0x20, ...leb(x), 0x20, ...leb(b[k % 2] as number));
      body.push(...F32X4_MUL, ...F32X4_ADD, 0x21, ...leb(1 + k));
    }
  }
  body.push(
    0x20,
    0,
    0x41,
    1,
    0x6b, // i32.sub
    0x21,
    0,
    0x0c,
    0, // br 0 (loop)
    0x0b,
    0x0b, // end loop, end block
  );
  // The result depends on every accumulator, so none of the work is dead.
  body.push(0x20, 1);
  for (let k = 1; k < ACCUMULATORS; k += 1) body.push(0x20, ...leb(1 + k), ...F32X4_ADD);
  body.push(...F32X4_EXTRACT_LANE, 0, 0x0b);
  const code = [...leb(1), ...leb(body.length), ...body];
  const name = [...'madd'].map((c) => c.charCodeAt(0));
  return new Uint8Array([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(1, [1, 0x60, 1, 0x7f, 1, 0x7d]), // type: (i32) -> f32
    ...section(3, [1, 0]), // function 0 has type 0
    ...section(7, [1, name.length, ...name, 0x00, 0]), // export "madd" = function 0
    ...section(10, code),
  ]);
}

/** The measured roofline. */
export interface Roofline {
  /** Peak f32x4 multiply-add rate of one thread, in flop per second (CPU time). */
  readonly flopsPerSecond: number;
  /** The same over wall-clock time (equal on an idle core). */
  readonly wallFlopsPerSecond: number;
}

/**
 * Measures the roofline on the calling thread: `repetitions` runs of about `seconds / repetitions`
 * each, keeping the fastest (least disturbed) run, timed by both the process CPU time and the
 * wall clock. Call it with no worker threads running (the CPU time is the whole process's).
 *
 * @example
 * ```ts
 * const { flopsPerSecond } = await measureRoofline();
 * console.log(`${(flopsPerSecond / 1e9).toFixed(1)} Gflop/s`);
 * ```
 */
export async function measureRoofline(seconds = 1, repetitions = 7): Promise<Roofline> {
  const module = await webAssembly.compile(rooflineModuleBytes());
  const instance = new webAssembly.Instance(module, {});
  const madd = instance.exports.madd as (iterations: number) => number;
  const flopsPerIteration = 8 * ACCUMULATORS * UNROLL;
  // Calibrate: iterations for one repetition.
  madd(1e5);
  let t = performance.now();
  madd(1e6);
  const perIteration = Math.max((performance.now() - t) / 1e3 / 1e6, 1e-10);
  const iterations = Math.max(1e5, Math.round(seconds / repetitions / perIteration));
  let bestCpu = Number.POSITIVE_INFINITY;
  let bestWall = Number.POSITIVE_INFINITY;
  for (let k = 0; k < repetitions; k += 1) {
    const cpu = process.cpuUsage();
    t = performance.now();
    madd(iterations);
    const wall = (performance.now() - t) / 1e3;
    const used = process.cpuUsage(cpu);
    bestCpu = Math.min(bestCpu, (used.user + used.system) / 1e6);
    bestWall = Math.min(bestWall, wall);
  }
  const flops = flopsPerIteration * iterations;
  return { flopsPerSecond: flops / bestCpu, wallFlopsPerSecond: flops / bestWall };
}
