// Paired differences between settings of the study, seed by seed (issue 22): runs with the same
// seed share the model's initialisation, the time draws and the evaluation points, so the
// difference of a metric between two settings at one seed is free of those sources of noise. For
// every group of finished train runs (d, options, E) it prints, for each pair of consecutive n (and
// for each n against I-FM and supervised), the mean difference `later - earlier` over the seeds both
// have, its standard error `s / sqrt(k)`, and how many seeds the larger n (the OT coupling) is lower
// (better) on.
//
//   node apps/lab/configs/paper-synthetic/paired-differences.mjs RUNS_DIR [METRIC ...]
//
// METRICs default to curvature, reconstruction and bpd. Markdown on stdout.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const [runs, ...chosen] = process.argv.slice(2);
if (runs === undefined) {
  console.error('usage: node paired-differences.mjs RUNS_DIR [METRIC ...]');
  process.exit(2);
}
const metrics = chosen.length > 0 ? chosen : ['curvature', 'reconstruction', 'bpd'];
const read = (path) => JSON.parse(readFileSync(path, 'utf8'));
const finished = readdirSync(runs).flatMap((id) => {
  const directory = join(runs, id);
  if (!existsSync(join(directory, 'result.json')) || !existsSync(join(directory, 'spec.json')))
    return [];
  const spec = read(join(directory, 'spec.json'));
  const result = read(join(directory, 'result.json'));
  if (spec.kind !== 'train' || result.status !== 'done') return [];
  const { checkpointEvery: _every, coupling = 'ot', ...options } = spec.config.options;
  return [
    { config: spec.config, coupling, options: JSON.stringify(options), metrics: result.metrics },
  ];
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
const settings = [...new Set(finished.map((run) => `${run.config.d}|${run.options}`))].sort();
for (const setting of settings) {
  const [d, options] = setting.split('|');
  const inSetting = (run) => String(run.config.d) === d && run.options === options;
  const entropies = [
    ...new Set(
      finished
        .filter((run) => inSetting(run) && run.coupling === 'ot')
        .map((run) => run.config.targetEntropy),
    ),
  ].sort((a, b) => a - b);
  const tag = `d=${d} ${options.replaceAll('"', '')}`;
  for (const entropy of entropies) {
    const sizes = [
      ...new Set(
        finished
          .filter(
            (run) =>
              inSetting(run) && run.coupling === 'ot' && run.config.targetEntropy === entropy,
          )
          .map((run) => run.config.n),
      ),
    ].sort((a, b) => a - b);
    const at = (n) =>
      bySeed(
        (run) =>
          inSetting(run) &&
          run.coupling === 'ot' &&
          run.config.targetEntropy === entropy &&
          run.config.n === n,
        `${tag}, E = ${entropy}, n = ${n}`,
      );
    // A reference (I-FM, supervised) of the same n where the study has one, else its only run per seed.
    const reference = (coupling, n) => {
      const label = `${tag}, ${coupling}`;
      const sameN = bySeed(
        (run) => inSetting(run) && run.coupling === coupling && run.config.n === n,
        `${label}, n = ${n}`,
      );
      return sameN.size > 0
        ? sameN
        : bySeed((run) => inSetting(run) && run.coupling === coupling, label);
    };
    const pairs = sizes.slice(1).map((n, index) => [sizes[index], n]);
    if (sizes.length > 2) pairs.push([sizes[0], sizes.at(-1)]);
    for (const metric of metrics) {
      for (const [a, b] of pairs) {
        const line = compare(`${tag}, E = ${entropy}: n = ${a} -> ${b}`, at(a), at(b), metric);
        if (line !== undefined) lines.push(line);
      }
      for (const coupling of ['independent', 'supervised']) {
        for (const n of sizes) {
          const line = compare(
            `${tag}, E = ${entropy}: ${coupling} -> n = ${n}`,
            reference(coupling, n),
            at(n),
            metric,
          );
          if (line !== undefined) lines.push(line);
        }
      }
    }
  }
}
console.log(lines.join('\n'));
