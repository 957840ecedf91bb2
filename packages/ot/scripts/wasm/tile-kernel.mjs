/**
 * The dot-product tile: K_{r, j} = <a_r, b_j> for 4 rows a_0..a_3 (any 4 rows of a row-major
 * float32 cloud) and the columns of consecutive "panels" of the other cloud.
 *
 * A panel stores W = 8 columns interleaved by coordinate: panel p holds b_{Wp..Wp+W-1} as d rows
 * of W floats (`panel[c][l] = b_{Wp+l, c}`), so one coordinate of the panel is 2 f32x4 loads and
 * the 4 x 8 block of the tile is a register-resident outer-product update (the micro-kernel of a
 * GEMM):
 *
 *   acc_{r, l} += a_{r, c} * b_{Wp+l, c},   c = 0 .. d-1,
 *
 * 8 accumulators, 2 panel loads and 4 broadcast loads (`v128.load32_splat`, one load each) per
 * coordinate, no horizontal sums. The register budget decides the shape: V8 (TurboFan, x64)
 * allocates xmm0-xmm14 (xmm15 is its scratch register) and needs a temporary for each product,
 * since WebAssembly SIMD128 has no fused multiply-add (relaxed SIMD's `f32x4.relaxed_madd` needs
 * `--experimental-wasm-relaxed-simd` on Node 20): 8 accumulators + 2 panel vectors + 1 broadcast
 * + 1 product = 12 registers. The former 4 x 12 tile needed 17 and spilled about 37 vector moves
 * per 2 coordinates to the stack; 4 x 8 runs the looped tile at about 83 % of the measured
 * multiply-add peak instead of about 55 % (docs/performance.md, "Register-tiled online kernel").
 * For the same reason the loop over d is not unrolled: unrolling lets TurboFan hoist the next
 * coordinate's loads above this one's arithmetic, and the live ranges spill again.
 *
 * The sum runs over c in increasing order with one float32 rounding per product and per addition,
 * the same in every kernel that uses the tile (dense build, online passes, both sides), so that
 * K^T is exactly the transpose of K and online mode equals dense mode bit for bit (and the panel
 * width does not change any kernel value: each K_{r, j} is the same sequence of operations).
 *
 * With `withMax`, the tile also returns the running maxima (over its columns) of
 * `h32_j + K_{r, j}` for each of the 4 rows, as 4 f32x4 vectors stored at `mp`: the shift of the
 * log-sum-exp that follows.
 */
import { f32x4, get, lines, locals, set } from './wat-text.mjs';

/** The parameters shared by every tile function (one table type). */
export const TILE_TYPE = '(type $tile (func (param i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32)))';

const ROWS = ['0', '1', '2', '3'];

/** f32x4 vectors per panel row: the panel width is 4 PANEL_VECTORS columns. */
export const PANEL_VECTORS = 2;
/** Columns per panel. */
export const PANEL_WIDTH = 4 * PANEL_VECTORS;
const VECTORS = Array.from({ length: PANEL_VECTORS }, (_, v) => v);
const PANEL_ROW_BYTES = 16 * PANEL_VECTORS;

/** One coordinate step: PANEL_VECTORS panel loads, 4 broadcasts, 4 PANEL_VECTORS multiply-adds. */
function step(xOffset, bOffset) {
  return lines(
    VECTORS.map((v) => set(`b${v}`, `(v128.load offset=${bOffset + 16 * v} ${get('bp')})`)),
    ROWS.map((r) =>
      lines(
        set('x', `(v128.load32_splat offset=${xOffset} ${get(`q${r}`)})`),
        VECTORS.map((v) =>
          set(
            `acc${r}${v}`,
            `(f32x4.add ${get(`acc${r}${v}`)} (f32x4.mul ${get('x')} ${get(`b${v}`)}))`,
          ),
        ),
      ),
    ),
  );
}

/** The loop over the d coordinates of one panel, for a fixed d (unrolled) or any d. */
function coordinateLoop(dimension) {
  const resetRows = ROWS.map((r) => set(`q${r}`, get(`a${r}`)));
  const advance = (bytes) =>
    lines(
      ROWS.map((r) => set(`q${r}`, `(i32.add ${get(`q${r}`)} (i32.const ${bytes}))`)),
      set('bp', `(i32.add ${get('bp')} (i32.const ${(PANEL_ROW_BYTES / 4) * bytes}))`),
    );
  if (dimension !== null) {
    return lines(
      resetRows,
      Array.from({ length: dimension }, (_, c) => step(4 * c, PANEL_ROW_BYTES * c)),
      set('bp', `(i32.add ${get('bp')} (i32.const ${PANEL_ROW_BYTES * dimension}))`),
    );
  }
  // Any d: one coordinate per iteration (see the module comment on why it is not unrolled).
  return lines(
    resetRows,
    set('qEnd', `(i32.add ${get('a0')} (i32.shl ${get('d')} (i32.const 2)))`),
    '(block $coordinatesDone (loop $coordinates',
    `  (br_if $coordinatesDone (i32.ge_u ${get('q0')} ${get('qEnd')}))`,
    step(0, 0),
    advance(4),
    '  (br $coordinates)))',
  );
}

/**
 * A tile function: `(a0, a1, a2, a3, d, bp, np, tp, ts, hp, mp)`: row pointers, dimension, first
 * panel, panel count, output pointer and row stride (bytes), and (with `withMax`) the float32
 * offsets of the block's columns and where to store the 4 maxima vectors.
 */
export function tileFunction({ name, dimension, withMax }) {
  const zero = '(v128.const i32x4 0 0 0 0)';
  const accumulators = ROWS.flatMap((r) => VECTORS.map((v) => `acc${r}${v}`));
  return lines(
    `(func ${name} (type $tile)`,
    '(param $a0 i32) (param $a1 i32) (param $a2 i32) (param $a3 i32) (param $d i32)',
    '(param $bp i32) (param $np i32) (param $tp i32) (param $ts i32) (param $hp i32) (param $mp i32)',
    locals('i32', ['p', 'q0', 'q1', 'q2', 'q3', 'qEnd', 't0', 't1', 't2', 't3']),
    locals('v128', [
      ...accumulators,
      ...VECTORS.map((v) => `b${v}`),
      'x',
      'm0',
      'm1',
      'm2',
      'm3',
      ...VECTORS.map((v) => `h${v}`),
    ]),
    withMax ? ROWS.map((r) => set(`m${r}`, f32x4(Number.NEGATIVE_INFINITY))) : '',
    set('t0', get('tp')),
    set('t1', `(i32.add ${get('t0')} ${get('ts')})`),
    set('t2', `(i32.add ${get('t1')} ${get('ts')})`),
    set('t3', `(i32.add ${get('t2')} ${get('ts')})`),
    '(block $panelsDone (loop $panels',
    `  (br_if $panelsDone (i32.ge_u ${get('p')} ${get('np')}))`,
    accumulators.map((accumulator) => set(accumulator, zero)),
    coordinateLoop(dimension),
    ROWS.map((r) =>
      lines(
        VECTORS.map((v) => `(v128.store offset=${16 * v} ${get(`t${r}`)} ${get(`acc${r}${v}`)})`),
        set(`t${r}`, `(i32.add ${get(`t${r}`)} (i32.const ${PANEL_ROW_BYTES}))`),
      ),
    ),
    withMax
      ? lines(
          VECTORS.map((v) => set(`h${v}`, `(v128.load offset=${16 * v} ${get('hp')})`)),
          ROWS.map((r) =>
            VECTORS.map((v) =>
              set(
                `m${r}`,
                `(f32x4.pmax ${get(`m${r}`)} (f32x4.add ${get(`acc${r}${v}`)} ${get(`h${v}`)}))`,
              ),
            ),
          ),
          set('hp', `(i32.add ${get('hp')} (i32.const ${PANEL_ROW_BYTES}))`),
        )
      : '',
    set('p', `(i32.add ${get('p')} (i32.const 1))`),
    '  (br $panels)))',
    withMax
      ? ROWS.map((r) => `(v128.store offset=${16 * Number(r)} ${get('mp')} ${get(`m${r}`)})`)
      : '',
    ')',
  );
}

/** Dimensions with a fully unrolled tile; larger d use the looped tile. */
export const UNROLLED_DIMENSIONS = [1, 2, 3, 4, 5, 6, 7, 8];

/**
 * All tile functions, in table order: for each of (without max, with max), the unrolled ones for
 * d = 1..8, then the looped one. `tileIndex(d, withMax)` gives the table slot.
 */
export function tileFunctions() {
  const functions = [];
  const names = [];
  for (const withMax of [false, true]) {
    for (const dimension of [...UNROLLED_DIMENSIONS, null]) {
      const name = `$tile_${withMax ? 'max' : 'plain'}_${dimension ?? 'any'}`;
      names.push(name);
      functions.push(tileFunction({ name, dimension, withMax }));
    }
  }
  return {
    text: lines(functions),
    table: lines(
      `(table ${names.length} ${names.length} funcref)`,
      `(elem (i32.const 0) func ${names.join(' ')})`,
    ),
  };
}
