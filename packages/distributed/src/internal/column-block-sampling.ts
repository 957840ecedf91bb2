import { fillCounterGumbelRow, philox4x32 } from '@sinkflow/core';

/**
 * @internal Exact pair sampling when the columns are sharded (grid layout), in two stages.
 *
 * The conditional law of the column given row i is a mixture over the column blocks:
 *
 *   P(j | i) = P_ij / sum_j P_ij = P(b | i) P(j | i, b),   P(b | i) ∝ sum_{j in J_b} P_ij,
 *
 * and `sum_{j in J_b} P_ij ∝ exp(l_b(i) / eps)` with the block's partial rows pass
 * `l_b(i) = eps LSE_{j in J_b}((g~_j + K_ij) / eps)`. So the driver first picks the block by
 * Gumbel-max over b [gumbel1954],
 *
 *   b* = argmax_b ( l_b(i) / eps + G(seed, i, b, draw; BLOCK_CHOICE_DOMAIN) ),
 *
 * and worker (a, b*) then samples j inside its block with its local backend (the usual Gumbel-max
 * over `J_b`, keyed by local indices under the seed {@link columnBlockSeed}(seed, rank), so two
 * blocks never share noise). Every draw is keyed by integers: the pairs depend only on (seed,
 * rows, draws, potentials), never on message arrival. They are not the pairs of one process
 * (whose noise is keyed by the global (i, j)), only equal in distribution.
 */

/** Domain (Philox counter word 4) of the block-choice noise; user domains are < 2^31. */
export const BLOCK_CHOICE_DOMAIN = 0x53464231;

/** Domain of the derivation of a block's sampling seed. */
export const BLOCK_SEED_DOMAIN = 0x53464232;

const TWO_POW_32 = 4294967296;
const TWO_POW_21 = 2097152;

/**
 * The seed of worker `rank`'s in-block sampler: 53 bits of `philox4x32((rank, 0, 0,
 * BLOCK_SEED_DOMAIN), key(seed))`, a safe integer in `[0, 2^53)`; distinct ranks get independent
 * streams, and none coincides with the block-choice stream (another domain).
 */
export function columnBlockSeed(seed: number, rank: number): number {
  const low = seed % TWO_POW_32;
  const words = philox4x32([rank, 0, 0, BLOCK_SEED_DOMAIN], [low, (seed - low) / TWO_POW_32]);
  return words[0]! * TWO_POW_21 + (words[1]! >>> 11);
}

/**
 * Picks the column block of each sample of one row block: for request s (row `rows[s]`, local
 * index `rows[s] - rowStart`), `argmax_b (logMasses[b][local] / eps + G(seed, rows[s], b,
 * draws[s]; BLOCK_CHOICE_DOMAIN))`, ties (probability zero) and rows of zero mass in every block
 * to the smallest b. Returns the chosen b of each request in `samples` (the request indices of
 * this row block).
 */
export function chooseColumnBlocks({
  samples,
  rows,
  draws,
  rowStart,
  logMasses,
  epsilon,
  seed,
}: {
  readonly samples: readonly number[];
  readonly rows: Int32Array;
  readonly draws: Uint32Array;
  readonly rowStart: number;
  /** `logMasses[b][i - rowStart] = l_b(i)`, one partial rows pass per column block. */
  readonly logMasses: readonly Float64Array[];
  readonly epsilon: number;
  readonly seed: number;
}): Int32Array {
  const columns = logMasses.length;
  const noise = new Float64Array(columns);
  const chosen = new Int32Array(samples.length);
  samples.forEach((s, k) => {
    const row = rows[s]!;
    fillCounterGumbelRow(noise, {
      seed,
      row,
      columnStart: 0,
      draw: draws[s]!,
      domain: BLOCK_CHOICE_DOMAIN,
    });
    let best = 0;
    let bestScore = Number.NEGATIVE_INFINITY;
    for (let b = 0; b < columns; b += 1) {
      const score = logMasses[b]![row - rowStart]! / epsilon + noise[b]!;
      if (score > bestScore) {
        bestScore = score;
        best = b;
      }
    }
    chosen[k] = best;
  });
  return chosen;
}
