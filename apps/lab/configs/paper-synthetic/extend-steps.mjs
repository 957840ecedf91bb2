// The training-steps part of the issue 22 investigation: the finished 600-step d = 16 runs at
// E = 0.2 (and the I-FM and supervised references) trained on to 1200 and 2400 steps with
// `sinkflow train --resume` from a copy of their final checkpoint (constant learning rate, and a
// resumed run ends as an uninterrupted one would: these are the 2400-step runs' own states at 600,
// 1200 and 2400 steps), each evaluated as the sweep did (1000 points, evaluation seed
// seed + 1000003). Seeds in order (all models of seed 0 first), resumable: what is on disk is kept.
//
//   node apps/lab/configs/paper-synthetic/extend-steps.mjs OUT/runs OUT/steps [SEEDS]
//
// SEEDS (default 3): how many seeds, from the lowest. Writes OUT/steps/<run id>/ (checkpoint,
// train-<steps>.json, evaluation-<steps>.json) and OUT/steps/summary.md (also printed).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const [runs, out, seedCount = '3'] = process.argv.slice(2);
if (runs === undefined || out === undefined) {
  console.error('usage: node extend-steps.mjs RUNS_DIR OUT_DIR [SEEDS]');
  process.exit(2);
}
const cli = join(dirname(fileURLToPath(import.meta.url)), '../../../../packages/cli/dist/cli.js');
const STEPS = [1200, 2400];
const read = (path) => JSON.parse(readFileSync(path, 'utf8'));

const models = readdirSync(runs)
  .flatMap((id) => {
    const directory = join(runs, id);
    if (!existsSync(join(directory, 'result.json')) || !existsSync(join(directory, 'spec.json')))
      return [];
    const { kind, config } = read(join(directory, 'spec.json'));
    const result = read(join(directory, 'result.json'));
    if (kind !== 'train' || result.status !== 'done' || config.d !== 16) return [];
    const { options } = config;
    if (options.steps !== 600 || options.pairsPerCoupling !== undefined) return [];
    const coupling = options.coupling ?? 'ot';
    if (coupling === 'ot' && config.targetEntropy !== 0.2) return [];
    return [{ id, directory, config, coupling, result }];
  })
  .filter((model) => model.config.seed < Number(seedCount))
  .sort(
    (a, b) =>
      a.config.seed - b.config.seed ||
      a.coupling.localeCompare(b.coupling) ||
      a.config.n - b.config.n,
  );

const cliRun = (args) => {
  const child = spawnSync(process.execPath, [cli, ...args], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return child.status;
};
for (const model of models) {
  const directory = join(out, model.id);
  if (!existsSync(join(directory, 'checkpoint'))) {
    mkdirSync(directory, { recursive: true });
    cpSync(join(model.directory, 'checkpoint'), join(directory, 'checkpoint'), {
      recursive: true,
    });
  }
  for (const steps of STEPS) {
    const evaluation = join(directory, `evaluation-${steps}.json`);
    if (existsSync(evaluation)) continue;
    const started = performance.now();
    const trained = cliRun([
      'train',
      '--out',
      directory,
      '--resume',
      '--steps',
      String(steps),
      '--checkpoint-every',
      '300',
      '--json',
      join(directory, `train-${steps}.json`),
    ]);
    if (trained !== 0) {
      console.error(`train ${model.id} to ${steps} steps exited ${trained}`);
      break;
    }
    const evaluated = cliRun([
      'evaluate',
      '--model',
      directory,
      '--n',
      String(model.config.options.evaluationPoints ?? 1000),
      '--seed',
      String(model.config.seed + 1_000_003),
      '--json',
      evaluation,
    ]);
    if (evaluated !== 0) {
      console.error(`evaluate ${model.id} at ${steps} steps exited ${evaluated}`);
      break;
    }
    console.error(
      `${model.id} (${model.coupling} n=${model.config.n} seed ${model.config.seed}) to ${steps} steps in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
  }
}

const mean = (values) => values.reduce((sum, value) => sum + value, 0) / values.length;
const standardError = (values) => {
  if (values.length < 2) return Number.NaN;
  const m = mean(values);
  return Math.sqrt(
    values.reduce((sum, value) => sum + (value - m) ** 2, 0) / (values.length - 1) / values.length,
  );
};
const show = (values, digits) =>
  values.length === 0
    ? '-'
    : `${mean(values).toFixed(digits)} ± ${standardError(values).toFixed(digits)} (${values.length})`;
const groups = new Map();
for (const model of models) {
  const key = model.coupling === 'ot' ? `ot|${model.config.n}` : `${model.coupling}|-`;
  groups.set(key, [...(groups.get(key) ?? []), model]);
}
const lines = [
  'Mean ± standard error over training seeds (number of seeds) at 600 (the sweep), 1200 and 2400 steps of batch 256; E = 0.2 for OT-FM.',
  '',
  '| coupling | n | metric | 600 steps | 1200 steps | 2400 steps |',
  '|---|---|---|---|---|---|',
];
const summary = [];
for (const [key, group] of groups) {
  const [coupling, n] = key.split('|');
  for (const [metric, digits] of [
    ['reconstruction', 3],
    ['curvature', 3],
    ['bpd', 4],
  ]) {
    const columns = [
      group.map((model) => model.result.metrics[metric]),
      ...STEPS.map((steps) =>
        group.flatMap((model) => {
          const file = join(out, model.id, `evaluation-${steps}.json`);
          return existsSync(file) ? [read(file)[metric]] : [];
        }),
      ),
    ];
    summary.push({ coupling, n, metric, steps: [600, ...STEPS], values: columns });
    lines.push(
      `| ${coupling} | ${n} | ${metric} | ${columns.map((values) => show(values, digits)).join(' | ')} |`,
    );
  }
}
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'summary.md'), `${lines.join('\n')}\n`);
writeFileSync(join(out, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
console.log(lines.join('\n'));
