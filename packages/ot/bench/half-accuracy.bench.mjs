// What the half-precision kept kernel (dense16) changes in the coupling (issue 17), against the
// float32 kernel (dense) on the same problem and epsilon: the renormalized entropy, the transport
// cost, the exact marginal errors, and the sampled pairs (the same rows and Gumbel noise: the share
// of identical partners and the mean cost of the pairs), with iterations and seconds of both.
// The epsilon is the one `solveForEntropy` finds on the float32 kernel for the target E.
// Run from the repository root after a build:
//   node packages/ot/bench/half-accuracy.bench.mjs [--n 8192] [--d 64] [--targets 0.05,0.1,0.2]
//     [--threshold 1e-3] [--pairs 100000] [--threads 2]
const root = new URL('../../..', import.meta.url).pathname;
const argument = (name, fallback) => {
  const index = process.argv.indexOf(`--${name}`);
  return index < 0 ? fallback : process.argv[index + 1];
};
const n = Number(argument('n', '8192'));
const d = Number(argument('d', '64'));
const targets = argument('targets', '0.05,0.1,0.2').split(',').map(Number);
const threshold = Number(argument('threshold', '1e-3'));
const pairCount = Number(argument('pairs', '100000'));
const threads = Number(argument('threads', '2'));

const { createRandomGenerator } = await import(`${root}/packages/core/dist/index.js`);
const { createSinkhornProblem, createWasmBackend } = await import(
  `${root}/packages/ot/dist/index.js`
);
const { relativeEpsilon } = await import(`${root}/packages/entropy/dist/index.js`);
const { createPiecewiseAffineBenchmark } = await import(
  `${root}/packages/benchmarks/dist/index.js`
);

const random = createRandomGenerator({ seed: 7 });
const task = createPiecewiseAffineBenchmark({ d });
const x = task.sampleSource(n, random);
const y = task.sampleTarget(n, random);
const backend = createWasmBackend({ threads });
const dense = await createSinkhornProblem({ x, y, backend, mode: 'dense' });
const half = await createSinkhornProblem({ x, y, backend, mode: 'dense16' });

/** Mean squared distance of the sampled pairs (the cost the flow sees). */
function pairCost(pairs) {
  let total = 0;
  for (let k = 0; k < pairs.rows.length; k += 1) {
    const i = pairs.rows[k];
    const j = pairs.columns[k];
    let distance = 0;
    for (let c = 0; c < d; c += 1) {
      const delta = x.data[i * d + c] - y.data[j * d + c];
      distance += delta * delta;
    }
    total += distance;
  }
  return total / pairs.rows.length;
}

console.log(
  `n = m = ${n}, d = ${d}, piecewise-affine, threshold ${threshold}, ${pairCount} pairs, wasm ${threads} threads`,
);
console.log(
  '| E target | rel. eps | E dense | E dense16 | cost rel. diff | marginal err. dense / dense16 | same partner | pair cost dense / dense16 | iterations dense / dense16 | s dense / dense16 | builds |',
);
console.log('|---|---|---|---|---|---|---|---|---|---|---|');
for (const targetEntropy of targets) {
  const search = await dense.solveForEntropy({ targetEntropy, threshold });
  const epsilon = relativeEpsilon(search.solution.relativeEpsilon);
  const reference = await dense.solve({ epsilon, threshold });
  const buildsBefore = half.keptKernelReport()?.builds ?? 0;
  const solution = await half.solve({ epsilon, threshold });
  const builds = (half.keptKernelReport()?.builds ?? 0) - buildsBefore;
  const referencePairs = await dense.samplePairs({
    potentials: reference,
    count: pairCount,
    seed: 1,
  });
  const pairs = await half.samplePairs({ potentials: solution, count: pairCount, seed: 1 });
  let same = 0;
  for (let k = 0; k < pairCount; k += 1)
    if (pairs.columns[k] === referencePairs.columns[k]) same += 1;
  const error = (s) => Math.max(s.marginalError, s.rowMarginalError).toExponential(1);
  console.log(
    `| ${targetEntropy} | ${search.solution.relativeEpsilon.toPrecision(3)} | ${reference.renormalizedEntropy.toFixed(4)} | ${solution.renormalizedEntropy.toFixed(4)} | ${((solution.transportCost - reference.transportCost) / Math.abs(reference.transportCost)).toExponential(1)} | ${error(reference)} / ${error(solution)} | ${((100 * same) / pairCount).toFixed(1)} % | ${pairCost(referencePairs).toFixed(4)} / ${pairCost(pairs).toFixed(4)} | ${reference.iterations} / ${solution.iterations} | ${reference.seconds.toFixed(1)} / ${solution.seconds.toFixed(1)} | ${builds} |`,
  );
}
await dense.dispose();
await half.dispose();
