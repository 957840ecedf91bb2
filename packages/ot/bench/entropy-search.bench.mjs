// The cost of `solveForEntropy` against one solve (issue 17): for each problem and target E, the
// search's solves and iterations, and the iterations of ONE cold solve (zero potentials) at the
// relative epsilon the search found, with the same threshold: the ratio is what the search costs in
// units of "one solve at the target". Run from the repository root after a build:
//   node packages/ot/bench/entropy-search.bench.mjs [--sizes 1024,4096] [--dims 16,64]
//     [--targets 0.05,0.1,0.2,0.5] [--problems gauss,affine] [--threshold 1e-3] [--json out.json]
// Pass a checkout's root as SINKFLOW_ROOT to measure another version the same way.
const root = process.env.SINKFLOW_ROOT ?? new URL('../../..', import.meta.url).pathname;
const argument = (name, fallback) => {
  const index = process.argv.indexOf(`--${name}`);
  return index < 0 ? fallback : process.argv[index + 1];
};
const list = (name, fallback) => argument(name, fallback).split(',');
const sizes = list('sizes', '1024,4096').map(Number);
const dims = list('dims', '16,64').map(Number);
const targets = list('targets', '0.05,0.1,0.2,0.5').map(Number);
const problems = list('problems', 'gauss,affine');
const threshold = Number(argument('threshold', '1e-3'));
const jsonPath = argument('json', undefined);

const { createPointCloud, createRandomGenerator } = await import(
  `${root}/packages/core/dist/index.js`
);
const { createSinkhornProblem } = await import(`${root}/packages/ot/dist/index.js`);
const { relativeEpsilon } = await import(`${root}/packages/entropy/dist/index.js`);
const { createPiecewiseAffineBenchmark } = await import(
  `${root}/packages/benchmarks/dist/index.js`
);

/** Source and target clouds of a named problem, deterministic in (name, n, d). */
function clouds(name, n, d) {
  const random = createRandomGenerator({ seed: 17 * n + d });
  if (name === 'gauss') {
    // N(0, I_d) against N(1, 0.8^2 I_d).
    const x = createPointCloud(
      Float32Array.from({ length: n * d }, () => random.normal()),
      { d },
    );
    const y = createPointCloud(
      Float32Array.from({ length: n * d }, () => 1 + 0.8 * random.normal()),
      { d },
    );
    return { x, y };
  }
  const benchmark = createPiecewiseAffineBenchmark({ d });
  return { x: benchmark.sampleSource(n, random), y: benchmark.sampleTarget(n, random) };
}

const rows = [];
console.log(
  '| problem | n | d | E | rel. eps found | E found | solves | search iterations | one solve | ratio | search s | one solve s |',
);
console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
for (const name of problems) {
  for (const n of sizes) {
    for (const d of dims) {
      const { x, y } = clouds(name, n, d);
      const problem = await createSinkhornProblem({ x, y });
      for (const targetEntropy of targets) {
        const result = await problem.solveForEntropy({ targetEntropy, threshold });
        const found = result.solution.relativeEpsilon;
        const cold = await problem.solve({ epsilon: relativeEpsilon(found), threshold });
        const row = {
          problem: name,
          n,
          d,
          targetEntropy,
          relativeEpsilon: found,
          entropy: result.solution.renormalizedEntropy,
          reached: result.reached,
          solves: result.search.solves,
          searchIterations: result.search.iterations,
          subsampleIterations: result.search.subsampleIterations ?? 0,
          oneSolveIterations: cold.iterations,
          ratio: result.search.iterations / cold.iterations,
          searchSeconds: result.search.seconds,
          oneSolveSeconds: cold.seconds,
          steps: result.steps,
        };
        rows.push(row);
        const sub = row.subsampleIterations > 0 ? ` (${row.subsampleIterations} sub)` : '';
        console.log(
          `| ${name} | ${n} | ${d} | ${targetEntropy} | ${found.toPrecision(3)} | ${row.entropy.toFixed(4)}${row.reached ? '' : ' (not reached)'} | ${row.solves} | ${row.searchIterations}${sub} | ${row.oneSolveIterations} | ${row.ratio.toFixed(2)} | ${row.searchSeconds.toFixed(1)} | ${row.oneSolveSeconds.toFixed(1)} |`,
        );
      }
      await problem.dispose();
    }
  }
}
if (jsonPath !== undefined) {
  const { writeFileSync } = await import('node:fs');
  writeFileSync(jsonPath, JSON.stringify(rows, null, 2));
}
