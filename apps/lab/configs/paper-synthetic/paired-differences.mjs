// Paired differences between settings of the study, seed by seed (issue 22): runs with the same
// seed share the model's initialisation, the time draws and the evaluation points, so the
// difference of a metric between two settings at one seed is free of those sources of noise. For
// every group of finished train runs (benchmark, d, options) it prints the mean difference
// `second - first` over the seeds both have, its standard error `s / sqrt(k)`, and on how many
// seeds the second is lower (better), for: consecutive n at each E (and the smallest against the
// largest n), consecutive E from the largest to the smallest at each n (and the largest against the
// smallest E), I-FM and supervised against each OT setting, and the weight average (options
// `emaDecay`) against the last iterate of the same runs.
//
//   node apps/lab/configs/paper-synthetic/paired-differences.mjs RUNS_DIR [--ids FILE]
//     [--evaluation DIR] [METRIC ...]
//
// METRICs default to curvature, reconstruction and bpd; `--ids FILE` keeps only the runs whose ids
// it lists, one per line (tables.sh writes the ids of its tables); `--evaluation DIR` takes each
// run's metrics from its evaluation on other points, DIR/<id>-1000.json (reevaluate.mjs; runs
// without one are left out), so that a difference can be checked on points the sweep did not use.
// Markdown on stdout.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const [runs, ...rest] = process.argv.slice(2);
const flags = ['--ids', '--evaluation'];
const flagValue = (flag) => {
  const at = rest.indexOf(flag);
  return at < 0 ? undefined : rest[at + 1];
};
const idsFile = flagValue('--ids');
const evaluation = flagValue('--evaluation');
const only =
  idsFile === undefined ? null : new Set(readFileSync(idsFile, 'utf8').split('\n').filter(Boolean));
const chosen = rest.filter(
  (argument, index) => !flags.includes(argument) && !flags.includes(rest[index - 1]),
);
if (runs === undefined) {
  console.error(
    'usage: node paired-differences.mjs RUNS_DIR [--ids FILE] [--evaluation DIR] [METRIC ...]',
  );
  process.exit(2);
}
const metrics = chosen.length > 0 ? chosen : ['curvature', 'reconstruction', 'bpd'];
const read = (path) => JSON.parse(readFileSync(path, 'utf8'));
const finished = readdirSync(runs).flatMap((id) => {
  if (only !== null && !only.has(id)) return [];
  const directory = join(runs, id);
  if (!existsSync(join(directory, 'result.json')) || !existsSync(join(directory, 'spec.json')))
    return [];
  const spec = read(join(directory, 'spec.json'));
  const result = read(join(directory, 'result.json'));
  if (spec.kind !== 'train' || result.status !== 'done') return [];
  const { checkpointEvery: _every, coupling = 'ot', ...options } = spec.config.options;
  const other = evaluation === undefined ? undefined : join(evaluation, `${id}-1000.json`);
  if (other !== undefined && !existsSync(other)) return [];
  const metrics = other === undefined ? result.metrics : read(other);
  return [{ config: spec.config, coupling, options: JSON.stringify(options), metrics }];
});

const mean = (values) => values.reduce((sum, value) => sum + value, 0) / values.length;
const standardError = (values) => {
  const m = mean(values);
  return Math.sqrt(
    values.reduce((sum, value) => sum + (value - m) ** 2, 0) / (values.length - 1) / values.length,
  );
};
const digits = (value) => (Math.abs(value) >= 1 ? 3 : 4);

// seed -> metrics of one setting; two runs of one seed there would make the pairing ambiguous.
const bySeed = (filter, label) => {
  const map = new Map();
  for (const run of finished.filter(filter)) {
    if (map.has(run.config.seed)) {
      console.error(`paired-differences: two runs of seed ${run.config.seed} for ${label}`);
      process.exit(1);
    }
    map.set(run.config.seed, run.metrics);
  }
  return map;
};
const compare = (label, earlier, later, metric) => {
  const seeds = [...earlier.keys()].filter((seed) => later.has(seed)).sort((a, b) => a - b);
  const differences = seeds.flatMap((seed) => {
    const a = earlier.get(seed)[metric];
    const b = later.get(seed)[metric];
    return typeof a === 'number' && typeof b === 'number' ? [b - a] : [];
  });
  if (differences.length < 2) return undefined;
  const m = mean(differences);
  const se = standardError(differences);
  const lower = differences.filter((difference) => difference < 0).length;
  return `| ${label} | ${metric} | ${m.toFixed(digits(m))} ± ${se.toFixed(digits(m))} | ${(m / se).toFixed(1)} | ${lower} of ${differences.length} |`;
};

const lines = [
  '| comparison | metric | mean difference ± SE | difference / SE | seeds where the second is lower |',
  '|---|---|---|---|---|',
];
// Consecutive values, then the first against the last when there are more than two.
const steps = (values) => {
  const pairs = values.slice(1).map((value, index) => [values[index], value]);
  if (values.length > 2) pairs.push([values[0], values.at(-1)]);
  return pairs;
};
const distinct = (runs, key) => [...new Set(runs.map(key))];
const settings = distinct(
  finished,
  (run) => `${run.config.benchmark}|${run.config.d}|${run.options}`,
).sort();
for (const setting of settings) {
  const [benchmark, d, options] = setting.split('|');
  const inSetting = finished.filter(
    (run) =>
      run.config.benchmark === benchmark && String(run.config.d) === d && run.options === options,
  );
  const {
    steps: trainingSteps,
    batchSize: _batch,
    hiddenLayers: _layers,
    width: _width,
    ...rest
  } = JSON.parse(options);
  const extra = Object.entries(rest).map(([key, value]) => `, ${key} ${value}`);
  const tag = `${benchmark} d=${d}, ${trainingSteps} steps${extra.join('')}`;
  const ot = inSetting.filter((run) => run.coupling === 'ot');
  const at = (entropy, n) =>
    bySeed(
      (run) => ot.includes(run) && run.config.targetEntropy === entropy && run.config.n === n,
      `${tag}, E = ${entropy}, n = ${n}`,
    );
  // A reference (I-FM, supervised) of the same n where the study has one, else its only run per seed.
  const reference = (coupling, n) => {
    const label = `${tag}, ${coupling}`;
    const own = inSetting.filter((run) => run.coupling === coupling);
    const sameN = bySeed((run) => own.includes(run) && run.config.n === n, `${label}, n = ${n}`);
    return sameN.size > 0 ? sameN : bySeed((run) => own.includes(run), label);
  };
  const entropies = distinct(ot, (run) => run.config.targetEntropy).sort((a, b) => b - a);
  const sizes = distinct(ot, (run) => run.config.n).sort((a, b) => a - b);
  const cells = ot.map((run) => `${run.config.targetEntropy}|${run.config.n}`);
  const has = (entropy, n) => cells.includes(`${entropy}|${n}`);
  for (const metric of metrics) {
    const push = (line) => {
      if (line !== undefined) lines.push(line);
    };
    for (const entropy of [...entropies].reverse()) {
      const present = sizes.filter((n) => has(entropy, n));
      for (const [a, b] of steps(present)) {
        push(
          compare(
            `${tag}, E = ${entropy}: n = ${a} -> ${b}`,
            at(entropy, a),
            at(entropy, b),
            metric,
          ),
        );
      }
    }
    for (const n of sizes) {
      const present = entropies.filter((entropy) => has(entropy, n));
      for (const [a, b] of steps(present)) {
        push(compare(`${tag}, n = ${n}: E = ${a} -> ${b}`, at(a, n), at(b, n), metric));
      }
    }
    for (const coupling of ['independent', 'supervised']) {
      for (const entropy of [...entropies].reverse()) {
        for (const n of sizes.filter((size) => has(entropy, size))) {
          push(
            compare(
              `${tag}, E = ${entropy}: ${coupling} -> n = ${n}`,
              reference(coupling, n),
              at(entropy, n),
              metric,
            ),
          );
        }
      }
    }
  }
}
// The weight average against the last iterate: a setting with `emaDecay` against the same
// setting without it, cell by cell (one seed trains the same weights in both: only what is
// evaluated differs).
for (const setting of settings) {
  const [benchmark, d, options] = setting.split('|');
  const { emaDecay, ...base } = JSON.parse(options);
  if (emaDecay === undefined) continue;
  const baseOptions = JSON.stringify(base);
  const of = (optionsText) =>
    finished.filter(
      (run) =>
        run.config.benchmark === benchmark &&
        String(run.config.d) === d &&
        run.options === optionsText,
    );
  const averaged = of(options);
  const last = of(baseOptions);
  const cellOf = (run) => `${run.coupling}|${run.config.targetEntropy}|${run.config.n}`;
  const cells = distinct(averaged, cellOf).sort();
  for (const metric of metrics) {
    for (const cell of cells) {
      const [coupling, entropy, n] = cell.split('|');
      const where = coupling === 'ot' ? `E = ${entropy}, n = ${n}` : coupling;
      const label = `${benchmark} d=${d}, ${base.steps} steps, ${where}: last iterate -> emaDecay ${emaDecay}`;
      const line = compare(
        label,
        bySeed((run) => last.includes(run) && cellOf(run) === cell, `${label} (last)`),
        bySeed((run) => averaged.includes(run) && cellOf(run) === cell, `${label} (average)`),
        metric,
      );
      if (line !== undefined) lines.push(line);
    }
  }
}
console.log(lines.join('\n'));
