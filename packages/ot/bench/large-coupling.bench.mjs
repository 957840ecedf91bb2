// Large couplings on one machine (issue 17): `solveForEntropy` to a target E on the paper's
// piecewise-affine task at n = m up to 65 536, d = 64, end to end (prepare, search, statistics),
// with the kernel mode `auto` picks under a memory budget and why, the peak resident memory of the
// process, and for dense16 how often the kept matrix was built and how many passes it answered.
// One problem per process (the peak RSS is then that problem's). Run from the repository root
// after a build:
//   node packages/ot/bench/large-coupling.bench.mjs --n 65536 [--d 64] [--target 0.1]
//     [--threshold 1e-3] [--mode auto] [--budget-gib 12] [--threads 2] [--json out.json]
//     [--progress-every 50] (iterations between progress lines on stderr)
//     [--task piecewise-affine|fashion-mnist] [--pca K] (fashion-mnist: noise against the first n
//     training images in d = 784, solved on K principal components)
const root = new URL('../../..', import.meta.url).pathname;
const argument = (name, fallback) => {
  const index = process.argv.indexOf(`--${name}`);
  return index < 0 ? fallback : process.argv[index + 1];
};
const n = Number(argument('n', '16384'));
const d = Number(argument('d', '64'));
const targetEntropy = Number(argument('target', '0.1'));
const threshold = Number(argument('threshold', '1e-3'));
const mode = argument('mode', 'auto');
const budget = Number(argument('budget-gib', '12')) * 2 ** 30;
const threads = Number(argument('threads', '2'));
const jsonPath = argument('json', undefined);
const every = Number(argument('progress-every', '50'));
const taskName = argument('task', 'piecewise-affine');
const pca = argument('pca', undefined);

const { createRandomGenerator } = await import(`${root}/packages/core/dist/index.js`);
const { createSinkhornProblem, createWasmBackend } = await import(
  `${root}/packages/ot/dist/index.js`
);
const { createPiecewiseAffineBenchmark } = await import(
  `${root}/packages/benchmarks/dist/index.js`
);

const random = createRandomGenerator({ seed: 2025 });
let x;
let y;
if (taskName === 'fashion-mnist') {
  // Gaussian noise in d = 784 against the first n training images ([-1, 1]).
  const { readFashionMnist } = await import(`${root}/packages/datasets/dist/node.js`);
  const images = await readFashionMnist({ split: 'train', limit: n });
  x = { data: Float32Array.from({ length: n * images.d }, () => random.normal()), n, d: images.d };
  y = { data: images.images, n, d: images.d };
} else {
  const task = createPiecewiseAffineBenchmark({ d });
  x = task.sampleSource(n, random);
  y = task.sampleTarget(n, random);
}

const started = performance.now();
const problem = await createSinkhornProblem({
  x,
  y,
  backend: createWasmBackend({ threads }),
  mode,
  memoryBudgetBytes: budget,
  ...(pca === undefined ? {} : { pcaComponents: Number(pca) }),
});
const prepared = (performance.now() - started) / 1000;
const result = await problem.solveForEntropy({
  targetEntropy,
  threshold,
  onProgress: ({ iteration, error, epsilon }) => {
    if (iteration % every === 0) {
      const seconds = ((performance.now() - started) / 1000).toFixed(0);
      const kept = problem.keptKernelReport();
      const builds =
        kept === undefined
          ? ''
          : `, builds ${kept.builds}, kept/exact passes ${kept.keptPasses}/${kept.exactPasses}`;
      process.stderr.write(
        `  ${seconds} s: eps ${epsilon.toPrecision(4)}, iteration ${iteration}, error ${error.toExponential(2)}${builds}\n`,
      );
    }
  },
});
const total = (performance.now() - started) / 1000;
const kept = problem.keptKernelReport();
const solution = result.solution;
const row = {
  task: taskName,
  pca: pca === undefined ? null : Number(pca),
  n,
  d: x.d,
  targetEntropy,
  threshold,
  mode: problem.mode,
  reason: problem.modeReason,
  threads,
  reached: result.reached,
  converged: solution.converged,
  renormalizedEntropy: solution.renormalizedEntropy,
  relativeEpsilon: solution.relativeEpsilon,
  marginalError: Math.max(solution.marginalError, solution.rowMarginalError),
  solves: result.search.solves,
  iterations: result.search.iterations,
  prepareSeconds: prepared,
  totalSeconds: total,
  peakRssGiB: process.resourceUsage().maxRSS / 2 ** 20,
  builds: kept?.builds ?? null,
  keptPasses: kept?.keptPasses ?? null,
  exactPasses: kept?.exactPasses ?? null,
};
await problem.dispose();
console.log(
  '| n | d | E target | mode | E found | converged | solves | iterations | total s | peak RSS GiB | builds | kept / exact passes |',
);
console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
console.log(
  `| ${n} | ${x.d}${pca === undefined ? '' : ` (PCA ${pca})`} | ${targetEntropy} | ${row.mode} | ${row.renormalizedEntropy.toFixed(4)} | ${row.converged} | ${row.solves} | ${row.iterations} | ${total.toFixed(0)} | ${row.peakRssGiB.toFixed(2)} | ${row.builds ?? '-'} | ${kept === undefined ? '-' : `${kept.keptPasses} / ${kept.exactPasses}`} |`,
);
console.log(`mode: ${row.mode} (${row.reason})`);
if (jsonPath !== undefined) {
  const { writeFile } = await import('node:fs/promises');
  await writeFile(jsonPath, `${JSON.stringify(row, null, 2)}\n`);
}
