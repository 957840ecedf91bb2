import { InternalError } from '@sinkflow/core';
import { createBlockSearch } from './block-search-pivot.js';

/** @internal How the network simplex ended. */
export type NetworkSimplexStatus = 'optimal' | 'max-iterations';

/** @internal The basis at the end of the network simplex (see {@link networkSimplex}). */
export interface NetworkSimplexOutput {
  readonly status: NetworkSimplexStatus;
  /** Pivots done (initial heuristic pivots included). */
  readonly iterations: number;
  /** Node potentials `pi`, length n + m (supply nodes first); `C_ij + pi_i - pi_{n+j} >= 0`. */
  readonly potentials: Float64Array;
  /** For every node but the root: the arc to its parent (`e < n m` is the pair `(e / m, e % m)`). */
  readonly treeArcs: Int32Array;
  /** The flow on each of `treeArcs`. */
  readonly treeFlows: Float64Array;
}

// Arc states: at the lower bound (flow 0, may enter the basis) or in the spanning tree. With
// infinite capacities an arc never rests at an upper bound.
const STATE_TREE = 0;
const STATE_LOWER = 1;

/**
 * @internal The primal network simplex for the transportation problem on the complete bipartite
 * graph, supply nodes `0..n-1` (masses `supply`, all positive), demand nodes `n..n+m-1` (masses
 * `demand`, all positive, same total), arc `e = i m + j` of cost `cost[e]` and infinite capacity.
 * It follows LEMON's `NetworkSimplex` as adapted by Bonneel et al. for POT's `emd`
 * [bonneel2011, flamary2021pot]: an artificial root joined to every node starts a feasible
 * spanning-tree basis (thread / parent / successor-count representation), heuristic initial pivots
 * bring in the cheapest arc into each demand node, then block-search pivoting (blocks of
 * `sqrt(n m)` arcs; the most negative reduced cost of the first block holding one enters) runs until
 * no reduced cost `C_ij + pi_i - pi_j` is below `-2.2e-15 max(|C_ij|, |pi_i|, |pi_j|)`.
 * Finally the potentials are recomputed exactly along the tree and shifted so that `max pi <= 0`.
 */
export function networkSimplex({
  cost,
  n,
  m,
  supply,
  demand,
  maxIterations,
}: {
  readonly cost: Float64Array;
  readonly n: number;
  readonly m: number;
  readonly supply: Float64Array;
  readonly demand: Float64Array;
  readonly maxIterations: number;
}): NetworkSimplexOutput {
  const arcCount = n * m;
  const nodeCount = n + m;
  const root = nodeCount;
  let minimumCost = Number.POSITIVE_INFINITY;
  let maximumCost = Number.NEGATIVE_INFINITY;
  for (let e = 0; e < arcCount; e += 1) {
    const value = cost[e] as number;
    if (value < minimumCost) minimumCost = value;
    if (value > maximumCost) maximumCost = value;
  }
  // Routing mass through the root costs this much more than any real arc (LEMON's (max + 1) N,
  // made safe for negative costs), so an optimal basis carries no artificial flow.
  const artificialCost = (Math.abs(maximumCost) + (maximumCost - minimumCost) + 1) * nodeCount;

  const flow = new Float64Array(arcCount + nodeCount);
  const state = new Int8Array(arcCount + nodeCount).fill(STATE_LOWER);
  const pi = new Float64Array(nodeCount + 1);
  const parent = new Int32Array(nodeCount + 1);
  const pred = new Int32Array(nodeCount + 1);
  const thread = new Int32Array(nodeCount + 1);
  const revThread = new Int32Array(nodeCount + 1);
  const succNum = new Int32Array(nodeCount + 1);
  const lastSucc = new Int32Array(nodeCount + 1);
  const forward = new Uint8Array(nodeCount + 1);
  const dirtyRevs = new Int32Array(nodeCount + 1);

  const sourceOf = (e: number): number =>
    e < arcCount ? (e / m) | 0 : e - arcCount < n ? e - arcCount : root;
  const targetOf = (e: number): number =>
    e < arcCount ? n + (e % m) : e - arcCount < n ? root : e - arcCount;
  const costOf = (e: number): number =>
    e < arcCount ? (cost[e] as number) : e - arcCount < n ? 0 : artificialCost;

  // The initial basis: every node hangs from the root by its artificial arc.
  parent[root] = -1;
  pred[root] = -1;
  thread[root] = 0;
  revThread[0] = root;
  succNum[root] = nodeCount + 1;
  lastSucc[root] = root - 1;
  for (let u = 0; u < nodeCount; u += 1) {
    const e = arcCount + u;
    parent[u] = root;
    pred[u] = e;
    thread[u] = u + 1;
    revThread[u + 1] = u;
    succNum[u] = 1;
    lastSucc[u] = u;
    state[e] = STATE_TREE;
    if (u < n) {
      forward[u] = 1;
      flow[e] = supply[u] as number;
    } else {
      flow[e] = demand[u - n] as number;
      pi[u] = artificialCost;
    }
  }

  // Pivot state (LEMON's names).
  let inArc = -1;
  let join = -1;
  let uIn = -1;
  let vIn = -1;
  let uOut = -1;
  let delta = 0;

  const findJoinNode = (): void => {
    let u = sourceOf(inArc);
    let v = targetOf(inArc);
    while (u !== v) {
      if ((succNum[u] as number) < (succNum[v] as number)) u = parent[u] as number;
      else v = parent[v] as number;
    }
    join = u;
  };

  /** The blocking arc of the cycle closed by inArc; false when there is none (unbounded). */
  const findLeavingArc = (): boolean => {
    const first = sourceOf(inArc);
    const second = targetOf(inArc);
    delta = Number.POSITIVE_INFINITY;
    let result = 0;
    for (let u = first; u !== join; u = parent[u] as number) {
      if (forward[u] === 1 && (flow[pred[u] as number] as number) < delta) {
        delta = flow[pred[u] as number] as number;
        uOut = u;
        result = 1;
      }
    }
    for (let u = second; u !== join; u = parent[u] as number) {
      if (forward[u] === 0 && (flow[pred[u] as number] as number) <= delta) {
        delta = flow[pred[u] as number] as number;
        uOut = u;
        result = 2;
      }
    }
    if (result === 1) {
      uIn = first;
      vIn = second;
    } else {
      uIn = second;
      vIn = first;
    }
    return result !== 0;
  };

  const changeFlow = (): void => {
    if (delta > 0) {
      flow[inArc] = (flow[inArc] as number) + delta;
      for (let u = sourceOf(inArc); u !== join; u = parent[u] as number) {
        const e = pred[u] as number;
        flow[e] = (flow[e] as number) + (forward[u] === 1 ? -delta : delta);
      }
      for (let u = targetOf(inArc); u !== join; u = parent[u] as number) {
        const e = pred[u] as number;
        flow[e] = (flow[e] as number) + (forward[u] === 1 ? delta : -delta);
      }
    }
    state[inArc] = STATE_TREE;
    const leaving = pred[uOut] as number;
    state[leaving] = STATE_LOWER;
    // The blocking arc lost exactly its flow; clear any rounding residue of ties.
    flow[leaving] = 0;
  };

  const updateTreeStructure = (): void => {
    const oldRevThread = revThread[uOut] as number;
    const oldSuccNum = succNum[uOut] as number;
    const oldLastSucc = lastSucc[uOut] as number;
    const vOut = parent[uOut] as number;
    let u = lastSucc[uIn] as number;
    let right = thread[u] as number;
    // When oldRevThread is vIn, join and vOut coincide.
    const last =
      oldRevThread === vIn ? (thread[lastSucc[uOut] as number] as number) : (thread[vIn] as number);
    // Re-hang the stem (uIn ... uOut) under vIn, fixing the thread as we go.
    let stem = uIn;
    thread[vIn] = stem;
    let dirtyCount = 0;
    dirtyRevs[dirtyCount++] = vIn;
    let parentStem = vIn;
    while (stem !== uOut) {
      const newStem = parent[stem] as number;
      thread[u] = newStem;
      dirtyRevs[dirtyCount++] = u;
      const w = revThread[stem] as number;
      thread[w] = right;
      revThread[right] = w;
      parent[stem] = parentStem;
      parentStem = stem;
      stem = newStem;
      u =
        lastSucc[stem] === lastSucc[parentStem]
          ? (revThread[parentStem] as number)
          : (lastSucc[stem] as number);
      right = thread[u] as number;
    }
    parent[uOut] = parentStem;
    thread[u] = last;
    revThread[last] = u;
    lastSucc[uOut] = u;
    if (oldRevThread !== vIn) {
      thread[oldRevThread] = right;
      revThread[right] = oldRevThread;
    }
    for (let k = 0; k < dirtyCount; k += 1) {
      const dirty = dirtyRevs[k] as number;
      revThread[thread[dirty] as number] = dirty;
    }
    // pred, forward, lastSucc and succNum along the reversed stem, from uOut to uIn.
    let successorCount = 0;
    const stemLastSucc = lastSucc[uOut] as number;
    u = uOut;
    while (u !== uIn) {
      const w = parent[u] as number;
      pred[u] = pred[w] as number;
      forward[u] = forward[w] === 1 ? 0 : 1;
      successorCount += (succNum[u] as number) - (succNum[w] as number);
      succNum[u] = successorCount;
      lastSucc[w] = stemLastSucc;
      u = w;
    }
    pred[uIn] = inArc;
    forward[uIn] = uIn === sourceOf(inArc) ? 1 : 0;
    succNum[uIn] = oldSuccNum;
    // lastSucc from vIn and from vOut towards the root, up to the join node.
    let upLimitIn = -1;
    let upLimitOut = -1;
    if (lastSucc[join] === vIn) upLimitOut = join;
    else upLimitIn = join;
    for (u = vIn; u !== upLimitIn && lastSucc[u] === vIn; u = parent[u] as number) {
      lastSucc[u] = lastSucc[uOut] as number;
    }
    const replacement =
      join !== oldRevThread && vIn !== oldRevThread ? oldRevThread : (lastSucc[uOut] as number);
    for (u = vOut; u !== upLimitOut && lastSucc[u] === oldLastSucc; u = parent[u] as number) {
      lastSucc[u] = replacement;
    }
    for (u = vIn; u !== join; u = parent[u] as number)
      succNum[u] = (succNum[u] as number) + oldSuccNum;
    for (u = vOut; u !== join; u = parent[u] as number)
      succNum[u] = (succNum[u] as number) - oldSuccNum;
  };

  /** Shifts the potentials of the subtree now hanging below uIn by its new tree arc. */
  const updatePotential = (): void => {
    const e = pred[uIn] as number;
    const sigma =
      forward[uIn] === 1
        ? (pi[vIn] as number) - (pi[uIn] as number) - costOf(e)
        : (pi[vIn] as number) - (pi[uIn] as number) + costOf(e);
    const end = thread[lastSucc[uIn] as number] as number;
    for (let u = uIn; u !== end; u = thread[u] as number) pi[u] = (pi[u] as number) + sigma;
  };

  /** One pivot on inArc (which must have a negative reduced cost). */
  const pivot = (): void => {
    findJoinNode();
    if (!findLeavingArc()) {
      throw new InternalError({ where: 'networkSimplex', message: 'unbounded cycle' });
    }
    changeFlow();
    updateTreeStructure();
    updatePotential();
  };

  let iterations = 0;
  // Heuristic initial pivots: the cheapest arc into each demand node.
  const cheapestRow = cheapestIncomingRows(cost, n, m);
  for (let j = 0; j < m; j += 1) {
    const e = (cheapestRow[j] as number) * m + j;
    if (
      (state[e] as number) *
        ((cost[e] as number) + (pi[sourceOf(e)] as number) - (pi[n + j] as number)) >=
      0
    )
      continue;
    inArc = e;
    pivot();
    iterations += 1;
  }

  const search = createBlockSearch({ cost, n, m, state, pi });
  let status: NetworkSimplexStatus = 'optimal';
  for (;;) {
    const entering = search();
    if (entering < 0) break;
    if (iterations >= maxIterations) {
      status = 'max-iterations';
      break;
    }
    inArc = entering;
    pivot();
    iterations += 1;
  }

  recomputePotentials({ pi, thread, parent, pred, forward, root, costOf });
  let maximum = Number.NEGATIVE_INFINITY;
  for (let u = 0; u < nodeCount; u += 1) maximum = Math.max(maximum, pi[u] as number);
  const potentials = new Float64Array(nodeCount);
  for (let u = 0; u < nodeCount; u += 1) potentials[u] = (pi[u] as number) - maximum;
  const treeArcs = new Int32Array(nodeCount);
  const treeFlows = new Float64Array(nodeCount);
  for (let u = 0; u < nodeCount; u += 1) {
    treeArcs[u] = pred[u] as number;
    treeFlows[u] = flow[pred[u] as number] as number;
  }
  return { status, iterations, potentials, treeArcs, treeFlows };
}

/** For each column j, the row of the smallest `C_ij` (one row-major pass). */
function cheapestIncomingRows(cost: Float64Array, n: number, m: number): Int32Array {
  const best = new Float64Array(m).fill(Number.POSITIVE_INFINITY);
  const rows = new Int32Array(m);
  for (let i = 0; i < n; i += 1) {
    const offset = i * m;
    for (let j = 0; j < m; j += 1) {
      const value = cost[offset + j] as number;
      if (value < (best[j] as number)) {
        best[j] = value;
        rows[j] = i;
      }
    }
  }
  return rows;
}

/**
 * Recomputes every potential from its parent's along the thread (a preorder of the tree), so that
 * tree arcs have reduced cost exactly zero whatever the rounding accumulated by the pivots. The
 * root's children keep their potentials, except when there is only one: then every node hangs from
 * it by real arcs and it restarts at 0, away from the artificial cost's magnitude (which would
 * otherwise cost digits in every potential).
 */
function recomputePotentials({
  pi,
  thread,
  parent,
  pred,
  forward,
  root,
  costOf,
}: {
  readonly pi: Float64Array;
  readonly thread: Int32Array;
  readonly parent: Int32Array;
  readonly pred: Int32Array;
  readonly forward: Uint8Array;
  readonly root: number;
  readonly costOf: (arc: number) => number;
}): void {
  let rootChildren = 0;
  for (let u = thread[root] as number; u !== root; u = thread[u] as number)
    if (parent[u] === root) rootChildren += 1;
  pi[root] = 0;
  for (let u = thread[root] as number; u !== root; u = thread[u] as number) {
    const up = parent[u] as number;
    if (up === root) {
      if (rootChildren === 1) pi[u] = 0;
      continue;
    }
    const above = pi[up] as number;
    const arcCost = costOf(pred[u] as number);
    // forward: the arc runs u -> parent, so C + pi_u - pi_parent = 0.
    pi[u] = forward[u] === 1 ? above - arcCost : above + arcCost;
  }
}
