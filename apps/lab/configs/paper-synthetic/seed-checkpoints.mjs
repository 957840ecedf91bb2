// Starts the runs of a longer-trained sweep from the final checkpoints of a shorter one (the
// training-steps part of the issue 22 investigation): for every run of CONFIG, the run of FROM_RUNS
// with the same settings but fewer steps (most steps first; `checkpointEvery` aside), if finished,
// lends a copy of its checkpoint to the run's directory in TO_RUNS (unless that already has one).
// `sinkflow sweep CONFIG --runs TO_RUNS` then resumes each run there: with a constant learning rate
// and a resumed run ending as the uninterrupted one would, a 1200-step run started from the
// 600-step run's checkpoint is the 1200-step run, at the cost of its last 600 steps only.
//
//   node apps/lab/configs/paper-synthetic/seed-checkpoints.mjs CONFIG FROM_RUNS [FROM_RUNS ...] TO_RUNS
//
// Run ids are computed as `sinkflow sweep` computes them (sha256 of [name, kind, run config]).
import { createHash } from 'node:crypto';
import { cpSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const [configPath, ...directories] = process.argv.slice(2);
const to = directories.pop();
if (configPath === undefined || to === undefined || directories.length === 0) {
  console.error('usage: node seed-checkpoints.mjs CONFIG FROM_RUNS [FROM_RUNS ...] TO_RUNS');
  process.exit(2);
}
const require = createRequire(join(import.meta.dirname, '../../../../packages/cli/package.json'));
const { parse } = require('yaml');
const config = parse(readFileSync(configPath, 'utf8'));
const regularizations = [
  ...(config.targetEntropies ?? []).map((targetEntropy) => ({
    targetEntropy,
    relativeEpsilon: null,
  })),
  ...(config.relativeEpsilons ?? []).map((relativeEpsilon) => ({
    targetEntropy: null,
    relativeEpsilon,
  })),
];
if (regularizations.length === 0)
  regularizations.push({ targetEntropy: null, relativeEpsilon: null });
const options = config.options ?? {};
const kind = config.kind ?? 'coupling';

// The settings of a run that must agree: everything but the steps and checkpointEvery.
const settings = (runConfig) => {
  const { steps: _steps, checkpointEvery: _every, ...rest } = runConfig.options ?? {};
  return JSON.stringify({
    ...runConfig,
    options: Object.keys(rest)
      .sort()
      .map((key) => [key, rest[key]]),
  });
};
const finished = directories.flatMap((directory) =>
  readdirSync(directory).flatMap((id) => {
    const run = join(directory, id);
    if (!existsSync(join(run, 'result.json')) || !existsSync(join(run, 'checkpoint'))) return [];
    const spec = JSON.parse(readFileSync(join(run, 'spec.json'), 'utf8'));
    const result = JSON.parse(readFileSync(join(run, 'result.json'), 'utf8'));
    if (result.status !== 'done' || spec.kind !== kind) return [];
    return [{ run, key: settings(spec.config), steps: spec.config.options.steps ?? 1500 }];
  }),
);
let lent = 0;
for (const benchmark of config.benchmarks) {
  for (const d of config.dimensions) {
    for (const n of config.otBatchSizes) {
      for (const regularization of regularizations) {
        for (const seed of config.seeds) {
          const runConfig = { benchmark, d, n, ...regularization, seed, options };
          const id = createHash('sha256')
            .update(JSON.stringify([config.name, kind, runConfig]))
            .digest('hex')
            .slice(0, 16);
          const target = join(to, id, 'checkpoint');
          if (existsSync(target)) continue;
          const steps = options.steps ?? 1500;
          const source = finished
            .filter((entry) => entry.key === settings(runConfig) && entry.steps < steps)
            .sort((a, b) => b.steps - a.steps)[0];
          if (source === undefined) continue;
          cpSync(join(source.run, 'checkpoint'), target, { recursive: true });
          lent += 1;
          console.log(
            `${id} (n=${n} seed ${seed}) starts from ${source.run} at ${source.steps} steps`,
          );
        }
      }
    }
  }
}
console.log(`${lent} checkpoints lent to ${to}`);
