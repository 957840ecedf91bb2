// The evaluation-points part of the issue 22 investigation: every finished 600-step train run of
// the study evaluated again by `sinkflow evaluate`, on 1000 other held-out points (and on 10 000
// at d = 16 on piecewise-affine, the investigation's grid) (evaluation seed 7000001; the sweep
// evaluated on 1000 points with seed + 1000003; bits per dimension on 256 other points either way),
// then the reconstruction, curvature and BPD of each (coupling, n, E, last iterate or averaged
// weights: `sinkflow evaluate` evaluates the average of a run with emaDecay) over the training seeds:
// mean and standard error for each evaluation, and the mean absolute change of a model's value
// between evaluations (the noise of the evaluation itself). Resumable: evaluations on disk are kept.
//
//   node apps/lab/configs/paper-synthetic/reevaluate.mjs OUT/runs OUT/reevaluation
//
// Writes OUT/reevaluation/<run id>-<points>.json and summary.md (also printed).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const [runs, out] = process.argv.slice(2);
if (runs === undefined || out === undefined) {
  console.error('usage: node reevaluate.mjs RUNS_DIR OUT_DIR');
  process.exit(2);
}
const cli = join(dirname(fileURLToPath(import.meta.url)), '../../../../packages/cli/dist/cli.js');
const EVALUATION_SEED = 7000001;
const POINTS = [1000, 10000];
mkdirSync(out, { recursive: true });

const read = (path) => JSON.parse(readFileSync(path, 'utf8'));
const models = readdirSync(runs).flatMap((id) => {
  const directory = join(runs, id);
  if (!existsSync(join(directory, 'result.json')) || !existsSync(join(directory, 'spec.json')))
    return [];
  const spec = read(join(directory, 'spec.json'));
  const result = read(join(directory, 'result.json'));
  const { config } = spec;
  if (spec.kind !== 'train' || result.status !== 'done') return [];
  // The runs tables.sh leaves out: W2 runs of the first configs (last iterate only), pa-d32.
  if (config.benchmark === 'w2-mix3to10' && config.options.emaDecay === undefined) return [];
  if (spec.sweep === 'pa-d32') return [];
  if ((config.options.steps ?? 1500) !== 600 || config.options.pairsPerCoupling !== undefined)
    return [];
  return [{ id, directory, config, result }];
});

// The 10 000-point evaluation answers the investigation's question at d = 16 only.
const pointsOf = (config) =>
  config.d === 16 && config.benchmark === 'piecewise-affine' ? POINTS : [POINTS[0]];
for (const model of models) {
  for (const points of pointsOf(model.config)) {
    const file = join(out, `${model.id}-${points}.json`);
    if (existsSync(file)) continue;
    const started = performance.now();
    const child = spawnSync(
      process.execPath,
      [
        cli,
        'evaluate',
        '--model',
        model.directory,
        // a sweep's run directory names no benchmark (W2 runs need SINKFLOW_W2_CHECKPOINTS)
        '--benchmark',
        model.config.benchmark,
        '--d',
        String(model.config.d),
        '--n',
        String(points),
        '--seed',
        String(EVALUATION_SEED),
        '--json',
        file,
      ],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    if (child.status !== 0) {
      console.error(`evaluate ${model.id} on ${points} points exited ${child.status}`);
      continue;
    }
    console.error(
      `${model.id} (${points} points) in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
  }
}

const mean = (values) => values.reduce((sum, value) => sum + value, 0) / values.length;
const standardError = (values) => {
  if (values.length < 2) return Number.NaN;
  const m = mean(values);
  const variance = values.reduce((sum, value) => sum + (value - m) ** 2, 0) / (values.length - 1);
  return Math.sqrt(variance / values.length);
};
const show = (values, digits) =>
  values.length === 0
    ? '-'
    : `${mean(values).toFixed(digits)} ± ${standardError(values).toFixed(digits)} (${values.length})`;

const groups = new Map();
for (const model of models) {
  const coupling = model.config.options.coupling ?? 'ot';
  // Averaged weights (emaDecay: `sinkflow evaluate` evaluates the average) apart from the last iterate.
  const weights =
    model.config.options.emaDecay === undefined ? 'last' : `EMA ${model.config.options.emaDecay}`;
  const task = `${model.config.benchmark} d=${model.config.d}`;
  const key = `${task}|${coupling}|${coupling === 'ot' ? model.config.n : '-'}|${model.config.targetEntropy ?? '-'}|${weights}`;
  const group = groups.get(key) ?? [];
  group.push(model);
  groups.set(key, group);
}
const metrics = [
  ['reconstruction', 3],
  ['curvature', 3],
  ['bpd', 4],
];
const lines = [
  `Re-evaluation of ${models.length} models (evaluation seed ${EVALUATION_SEED}); mean ± standard error over training seeds (number of seeds); "change" is the mean |value - value of the sweep's evaluation| of a model.`,
  '',
  `| task | coupling | n | E | weights | metric | sweep (1000 points) | other 1000 points | 10 000 points | change, 1000 | change, 10 000 |`,
  '|---|---|---|---|---|---|---|---|---|---|---|',
];
const order = (key) =>
  key.split('|').map((part) => (Number.isNaN(Number(part)) ? part : Number(part)));
const sorted = [...groups.keys()].sort((a, b) => {
  const [ta, ca, na, ea, wa] = order(a);
  const [tb, cb, nb, eb, wb] = order(b);
  return (
    String(ta).localeCompare(String(tb), 'en', { numeric: true }) ||
    String(wa).localeCompare(String(wb)) ||
    String(ca).localeCompare(String(cb)) ||
    (na > nb ? 1 : na < nb ? -1 : 0) ||
    (ea > eb ? 1 : ea < eb ? -1 : 0)
  );
});
const summary = [];
for (const key of sorted) {
  const [task, coupling, n, entropy, weights] = key.split('|');
  const group = groups.get(key);
  for (const [metric, digits] of metrics) {
    const sweepValues = group.map((model) => model.result.metrics[metric]);
    const again = POINTS.map((points) =>
      group.flatMap((model, index) => {
        const file = join(out, `${model.id}-${points}.json`);
        if (!existsSync(file)) return [];
        return [{ value: read(file)[metric], before: sweepValues[index] }];
      }),
    );
    const values = again.map((entries) => entries.map((entry) => entry.value));
    const changes = again.map((entries) =>
      entries.map((entry) => Math.abs(entry.value - entry.before)),
    );
    summary.push({
      task,
      coupling,
      n,
      targetEntropy: entropy,
      weights,
      metric,
      sweep: sweepValues,
      again: values,
    });
    lines.push(
      `| ${task} | ${coupling} | ${n} | ${entropy} | ${weights} | ${metric} | ${show(sweepValues, digits)} | ${show(values[0], digits)} | ${show(values[1], digits)} | ${changes[0].length === 0 ? '-' : mean(changes[0]).toFixed(digits)} | ${changes[1].length === 0 ? '-' : mean(changes[1]).toFixed(digits)} |`,
    );
  }
}
writeFileSync(join(out, 'summary.md'), `${lines.join('\n')}\n`);
writeFileSync(join(out, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
console.log(lines.join('\n'));
