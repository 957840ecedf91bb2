// Prints the markdown table of docs/images.md from the finished models of a `sinkflow images`
// output folder (OUT/models/NAME/evaluation.json), in the study's order (I-FM, then by n and E):
//   node scripts/images-table.mjs OUT
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const out = process.argv[2];
if (out === undefined) {
  console.error('usage: node scripts/images-table.mjs OUT');
  process.exit(2);
}
const runs = readdirSync(join(out, 'models')).flatMap((name) => {
  try {
    return [JSON.parse(readFileSync(join(out, 'models', name, 'evaluation.json'), 'utf8'))];
  } catch {
    return [];
  }
});
// I-FM, the large couplings by n and E, then batch OT-FM and semidiscrete OT-FM.
const order = { independent: 0, sinkhorn: 1, 'batch-sinkhorn': 2, semidiscrete: 3 };
runs.sort(
  (a, b) =>
    (order[a.coupling] ?? 1) - (order[b.coupling] ?? 1) ||
    (a.n ?? 0) - (b.n ?? 0) ||
    a.targetEntropy - b.targetEntropy,
);
const samplers = ['euler-2', 'euler-4', 'euler-8', 'euler-16', 'dopri5'];
console.log(
  '| model | E reached | Euler 2 | Euler 4 | Euler 8 | Euler 16 | Dopri5 (NFE) | curvature (median, diverged) | Sinkhorn s/example | train s |',
);
console.log('|---|---|---|---|---|---|---|---|---|---|');
for (const run of runs) {
  const fit = run.semidiscreteFit;
  const name =
    run.coupling === 'independent'
      ? 'I-FM'
      : run.coupling === 'batch-sinkhorn'
        ? `batch OT-FM n = ${run.n}, E = ${run.targetEntropy}`
        : run.coupling === 'semidiscrete'
          ? `semidiscrete OT-FM (N = ${run.n}, ${fit?.steps} steps, chi-square ${fit?.marginalError?.toPrecision(2)})`
          : `OT-FM n = ${run.n}, E = ${run.targetEntropy}`;
  const fd = samplers.map((sampler) => run.frechet[sampler].toFixed(2));
  fd[4] = `${fd[4]} (${run.functionEvaluations.dopri5})`;
  const curvature =
    run.curvatureMedian === undefined
      ? run.curvature.toFixed(2)
      : `${run.curvature.toFixed(2)} (${run.curvatureMedian.toFixed(2)}, ${run.divergedTrajectories})`;
  console.log(
    `| ${name} | ${run.renormalizedEntropy === null ? '-' : run.renormalizedEntropy.toFixed(3)} | ${fd.join(' | ')} | ${curvature} | ${run.sinkhornSecondsPerExample === null ? '-' : run.sinkhornSecondsPerExample.toExponential(2)} | ${run.trainSeconds.toFixed(0)} |`,
  );
}
