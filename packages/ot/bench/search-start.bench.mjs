// Where should the entropy search of a training run's next coupling start (issue 22)? Fresh
// piecewise-affine clouds per coupling, as a batch-OT pair source draws them; after the first
// coupling, `solveForEntropy` is started at the default 0.05, at the previous coupling's relative
// epsilon r, and at 4 r, and its solves, iterations, seconds and E are printed. Run from the
// repository root after a build:
//   node packages/ot/bench/search-start.bench.mjs [--n 1024] [--d 16] [--target 0.05] [--couplings 3]
const root = process.env.SINKFLOW_ROOT ?? new URL('../../..', import.meta.url).pathname;
const argument = (name, fallback) => {
  const index = process.argv.indexOf(`--${name}`);
  return index < 0 ? fallback : process.argv[index + 1];
};
const n = Number(argument('n', '1024'));
const d = Number(argument('d', '16'));
const targetEntropy = Number(argument('target', '0.05'));
const couplings = Number(argument('couplings', '3'));
const { createRandomGenerator } = await import(`${root}/packages/core/dist/index.js`);
const { createSinkhornProblem } = await import(`${root}/packages/ot/dist/index.js`);
const { createPiecewiseAffineBenchmark } = await import(
  `${root}/packages/benchmarks/dist/index.js`
);
const benchmark = createPiecewiseAffineBenchmark({ d });
const random = createRandomGenerator({ seed: 5 });
console.log(`n = ${n}, d = ${d}, E = ${targetEntropy}`);
console.log('| coupling | start | solves | iterations | seconds | E | relative epsilon |');
console.log('|---|---|---|---|---|---|---|');
let previous = null;
for (let k = 0; k < couplings; k += 1) {
  const x = benchmark.sampleSource(n, random);
  const y = benchmark.sampleTarget(n, random);
  const problem = await createSinkhornProblem({ x, y });
  const starts = [['0.05', 0.05]];
  if (previous !== null) starts.push(['r', previous], ['4 r', 4 * previous]);
  let found = null;
  for (const [label, start] of starts) {
    const result = await problem.solveForEntropy({
      targetEntropy,
      initialRelativeEpsilon: start,
      threshold: 1e-3,
    });
    const { solves, iterations, seconds } = result.search;
    const { renormalizedEntropy, relativeEpsilon } = result.solution;
    found ??= relativeEpsilon;
    console.log(
      `| ${k} | ${label} | ${solves} | ${iterations} | ${seconds.toFixed(2)} | ${renormalizedEntropy.toFixed(4)} | ${relativeEpsilon.toExponential(3)} |`,
    );
  }
  previous = found;
  await problem.dispose();
}
