// PCA acceleration at scale (issue 17): the coupling between Gaussian noise and Fashion-MNIST
// training images (d = 784, scaled to [-1, 1]) solved in full dimension and on the k leading
// principal components of both clouds (`pcaComponents: k`), at the same target renormalized
// entropy. Pairs are sampled from each coupling and measured in full dimension: the share of
// samples whose partner is the full-dimension coupling's (same rows and Gumbel noise), and the mean
// squared distance of the pairs (what a flow trained on them must move). Needs Debian's
// dataset-fashion-mnist (or --data DIR). Run from the repository root after a build:
//   node packages/ot/bench/pca-coupling.bench.mjs [--n 4096] [--components 16,32,64,128]
//     [--target 0.1] [--threshold 1e-3] [--pairs 50000] [--data DIR]
const root = new URL('../../..', import.meta.url).pathname;
const argument = (name, fallback) => {
  const index = process.argv.indexOf(`--${name}`);
  return index < 0 ? fallback : process.argv[index + 1];
};
const n = Number(argument('n', '4096'));
const componentCounts = argument('components', '16,32,64,128').split(',').map(Number);
const targetEntropy = Number(argument('target', '0.1'));
const threshold = Number(argument('threshold', '1e-3'));
const pairCount = Number(argument('pairs', '50000'));
const dataDirectory = argument('data', undefined);

const { createRandomGenerator } = await import(`${root}/packages/core/dist/index.js`);
const { createSinkhornProblem } = await import(`${root}/packages/ot/dist/index.js`);
const { readFashionMnist } = await import(`${root}/packages/datasets/dist/node.js`);

const data = await readFashionMnist({
  split: 'train',
  limit: n,
  ...(dataDirectory ? { directory: dataDirectory } : {}),
});
const d = 784;
const images = data.images;
const random = createRandomGenerator({ seed: 11 });
const noise = Float32Array.from({ length: n * d }, () => random.normal());
const x = { data: noise, n, d };
const y = { data: Float32Array.from(images), n, d };

/** Mean squared full-dimension distance of sampled pairs. */
function pairCost(pairs) {
  let total = 0;
  for (let k = 0; k < pairs.rows.length; k += 1) {
    const i = pairs.rows[k];
    const j = pairs.columns[k];
    let distance = 0;
    for (let c = 0; c < d; c += 1) {
      const delta = noise[i * d + c] - y.data[j * d + c];
      distance += delta * delta;
    }
    total += distance;
  }
  return total / pairs.rows.length;
}

async function coupling(pcaComponents) {
  const started = performance.now();
  const problem = await createSinkhornProblem({
    x,
    y,
    ...(pcaComponents === undefined ? {} : { pcaComponents }),
  });
  const { solution } = await problem.solveForEntropy({ targetEntropy, threshold });
  const pairs = await problem.samplePairs({ potentials: solution, count: pairCount, seed: 5 });
  const seconds = (performance.now() - started) / 1000;
  const explained = solution.pca?.explainedVarianceRatio;
  await problem.dispose();
  return { solution, pairs, seconds, explained, mode: problem.mode };
}

const independentCost = (() => {
  // Independent pairs: the mean squared distance of random pairs (E = 1).
  let total = 0;
  const count = 20000;
  for (let k = 0; k < count; k += 1) {
    const i = Math.floor(random.uniform() * n);
    const j = Math.floor(random.uniform() * n);
    let distance = 0;
    for (let c = 0; c < d; c += 1) {
      const delta = noise[i * d + c] - y.data[j * d + c];
      distance += delta * delta;
    }
    total += distance;
  }
  return total / count;
})();

const full = await coupling(undefined);
console.log(
  `Fashion-MNIST train[0:${n}] vs N(0, I_784), E target ${targetEntropy}, threshold ${threshold}, ${pairCount} pairs; independent pairs: mean squared distance ${independentCost.toFixed(1)}`,
);
console.log(
  '| components | explained variance | mode | E found | solve + sampling s | same partner as d = 784 | pair mean squared distance (d = 784) |',
);
console.log('|---|---|---|---|---|---|---|');
console.log(
  `| 784 (none) | 1 | ${full.mode} | ${full.solution.renormalizedEntropy.toFixed(4)} | ${full.seconds.toFixed(1)} | 100 % | ${pairCost(full.pairs).toFixed(1)} |`,
);
for (const components of componentCounts) {
  const reduced = await coupling(components);
  let same = 0;
  for (let k = 0; k < pairCount; k += 1)
    if (reduced.pairs.columns[k] === full.pairs.columns[k]) same += 1;
  const explained = reduced.explained ?? Number.NaN;
  console.log(
    `| ${components} | ${explained.toFixed(3)} | ${reduced.mode} | ${reduced.solution.renormalizedEntropy.toFixed(4)} | ${reduced.seconds.toFixed(1)} | ${((100 * same) / pairCount).toFixed(1)} % | ${pairCost(reduced.pairs).toFixed(1)} |`,
  );
}
