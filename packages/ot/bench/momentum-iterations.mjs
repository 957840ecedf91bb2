// Iterations to converge (threshold 1e-3) with Lehmann momentum from iteration 2000, from 200, and
// without momentum, on two Gaussian clouds (the second shifted by 1), d = 4, three seeds, relative
// epsilon 1e-1 down to 1e-4. A trailing D marks a diverged solve, N one that did not converge, *
// one where momentum was abandoned at least once. Run from the repository root after a build:
//   node packages/ot/bench/momentum-iterations.mjs [n=200] [backends=js,wasm]
// Pass a checkout's root as SINKFLOW_ROOT to measure another version the same way.
const root = process.env.SINKFLOW_ROOT ?? new URL('../../..', import.meta.url).pathname;
const n = Number(process.argv[2] ?? 200);
const backends = (process.argv[3] ?? 'js,wasm').split(',');
const { createPointCloud, createRandomGenerator } = await import(
  `${root}/packages/core/dist/index.js`
);
const { createSinkhornProblem, createJsBackend, createWasmBackend } = await import(
  `${root}/packages/ot/dist/index.js`
);
const { relativeEpsilon } = await import(`${root}/packages/entropy/dist/index.js`);
const d = 4;
console.log(`| backend | seed | relative epsilon | momentum from 2000 | from 200 | off |`);
console.log('|---|---|---|---|---|---|');
for (const backend of backends) {
  for (const seed of [0, 1, 2]) {
    const random = createRandomGenerator({ seed });
    const x = createPointCloud(
      Float32Array.from({ length: n * d }, () => random.normal()),
      { d },
    );
    const y = createPointCloud(
      Float32Array.from({ length: n * d }, () => 1 + random.normal()),
      {
        d,
      },
    );
    const problem = await createSinkhornProblem({
      x,
      y,
      cost: 'dot',
      backend: backend === 'js' ? createJsBackend() : createWasmBackend({ threads: 1 }),
    });
    for (const epsilon of [1e-1, 3e-2, 1e-2, 3e-3, 1e-3, 3e-4, 1e-4]) {
      const cells = [];
      for (const momentumStart of [2000, 200, Number.POSITIVE_INFINITY]) {
        const solution = await problem.solve({
          epsilon: relativeEpsilon(epsilon),
          momentumStart,
          maxIterations: 100_000,
        });
        const status = solution.converged ? '' : solution.diverged ? ' D' : ' N';
        const abandoned =
          solution.momentum?.abandonedAt != null || /abandoned/.test(solution.momentum?.note ?? '')
            ? '*'
            : '';
        cells.push(`${solution.iterations}${status}${abandoned}`);
      }
      console.log(`| ${backend} | ${seed} | ${epsilon} | ${cells.join(' | ')} |`);
    }
    await problem.dispose();
  }
}
