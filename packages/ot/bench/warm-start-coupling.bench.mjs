// Would a training run's next coupling solve faster from the previous coupling's potentials
// (issue 22)? Consecutive couplings are on fresh samples of the same two distributions, so the
// previous potentials, extended to the new points by the soft c-transform
//
//     f'(x) = eps log(1/n) - eps LSE_j((g_j - C(x, y_j)) / eps),   C(x, y) = -<x, y>
//
// (and g' alike from f), are a candidate warm start. After the first coupling, each coupling is
// solved at the previous one's relative epsilon r from zero potentials (cold) and from the
// extended ones (warm), and by the entropy search as the pair source runs it (from max(r, 0.05));
// iterations do not depend on the machine's load. Run from the repository root after a build:
//   node packages/ot/bench/warm-start-coupling.bench.mjs [--benchmark piecewise-affine] [--n 1024]
//     [--d 16] [--target 0.05] [--couplings 4]
// (--benchmark w2-mix3to10 reads the checkpoints' folder from SINKFLOW_W2_CHECKPOINTS).
const root = process.env.SINKFLOW_ROOT ?? new URL('../../..', import.meta.url).pathname;
const argument = (name, fallback) => {
  const index = process.argv.indexOf(`--${name}`);
  return index < 0 ? fallback : process.argv[index + 1];
};
const name = argument('benchmark', 'piecewise-affine');
const n = Number(argument('n', '1024'));
const d = Number(argument('d', '16'));
const targetEntropy = Number(argument('target', '0.05'));
const couplings = Number(argument('couplings', '4'));
const { createRandomGenerator } = await import(`${root}/packages/core/dist/index.js`);
const { createSinkhornProblem } = await import(`${root}/packages/ot/dist/index.js`);
const { relativeEpsilon } = await import(`${root}/packages/entropy/dist/index.js`);
const { createBenchmark } = await import(`${root}/packages/benchmarks/dist/node.js`);
const benchmark = await createBenchmark({
  name,
  d,
  benchmarkSeed: 0,
  checkpointsDirectory: process.env.SINKFLOW_W2_CHECKPOINTS,
});
const random = createRandomGenerator({ seed: 5 });

/** The soft c-transform of `potential` (on `other`) at `points`, for C = -<x, y>. */
function extend(points, other, potential, epsilon) {
  const out = new Float64Array(points.n);
  const exponents = new Float64Array(other.n);
  for (let i = 0; i < points.n; i += 1) {
    let largest = Number.NEGATIVE_INFINITY;
    for (let j = 0; j < other.n; j += 1) {
      let dot = 0;
      for (let k = 0; k < d; k += 1) dot += points.data[i * d + k] * other.data[j * d + k];
      exponents[j] = (potential[j] + dot) / epsilon;
      largest = Math.max(largest, exponents[j]);
    }
    let sum = 0;
    for (let j = 0; j < other.n; j += 1) sum += Math.exp(exponents[j] - largest);
    out[i] = epsilon * Math.log(1 / points.n) - epsilon * (largest + Math.log(sum));
  }
  return out;
}

console.log(`${name}, n = ${n}, d = ${d}, E = ${targetEntropy}`);
console.log('| coupling | search: solves | search: iterations | at previous r: cold | warm |');
console.log('|---|---|---|---|---|');
let previous = null;
for (let k = 0; k < couplings; k += 1) {
  const x = benchmark.sampleSource(n, random);
  const y = benchmark.sampleTarget(n, random);
  const problem = await createSinkhornProblem({ x, y, cost: 'dot' });
  const search = await problem.solveForEntropy({
    targetEntropy,
    initialRelativeEpsilon: previous === null ? 0.05 : Math.max(previous.r, 0.05),
    threshold: 1e-3,
  });
  let cold = '-';
  let warm = '-';
  if (previous !== null) {
    const epsilon = relativeEpsilon(previous.r);
    const coldSolve = await problem.solve({ epsilon, threshold: 1e-3 });
    const f = extend(x, previous.y, previous.g, coldSolve.epsilon);
    const g = extend(y, previous.x, previous.f, coldSolve.epsilon);
    const warmSolve = await problem.solve({
      epsilon,
      threshold: 1e-3,
      initialPotentials: { f, g },
    });
    cold = `${coldSolve.iterations}${coldSolve.converged ? '' : ' (not converged)'}`;
    warm = `${warmSolve.iterations}${warmSolve.converged ? '' : ' (not converged)'}`;
  }
  console.log(
    `| ${k} | ${search.search.solves} | ${search.search.iterations} | ${cold} | ${warm} |`,
  );
  const { f, g } = search.solution;
  previous = { r: search.solution.relativeEpsilon, f, g, x, y };
  await problem.dispose();
}
