import type { LazyCommand } from '../cli/command.js';

/**
 * Every `sinkflow` command, in the order `--help` lists them. Each module is imported only when
 * its command runs, so the list costs nothing to print (test/lazy-commands.test.ts checks that each
 * summary here is the loaded command's own).
 */
export const allCommands: readonly LazyCommand[] = [
  {
    name: 'quickstart',
    summary:
      'the main job: I-FM vs OT-FM (E = 0.2) vs supervised on piecewise-affine, d = 32, with a report',
    load: async () => (await import('./quickstart.js')).quickstartCommand,
  },
  {
    name: 'demo',
    summary:
      'an OT coupling at a target entropy between noise and a known-map benchmark, sampled and checked',
    load: async () => (await import('./demo.js')).demoCommand,
  },
  {
    name: 'solve',
    summary: 'entropic OT (log-domain Sinkhorn) between two .npy point clouds',
    load: async () => (await import('./solve.js')).solveCommand,
  },
  {
    name: 'worker',
    summary: 'serve sharded Sinkhorn runs (sinkflow solve --nats) over a NATS server',
    load: async () => (await import('./worker.js')).workerCommand,
  },
  {
    name: 'sample',
    summary: 'draw exact (i, j) pairs from a coupling saved by solve --save-potentials',
    load: async () => (await import('./sample.js')).sampleCommand,
  },
  {
    name: 'semidiscrete',
    summary: 'fit the semidiscrete OT dual g between N(0, I) noise and a .npy point set',
    load: async () => (await import('./semidiscrete.js')).semidiscreteCommand,
  },
  {
    name: 'train',
    summary:
      'train one flow-matching model (independent, OT, exact or supervised pairs) with checkpoints',
    load: async () => (await import('./train.js')).trainCommand,
  },
  {
    name: 'evaluate',
    summary: 'curvature, reconstruction against T0 and bits per dimension of a trained model',
    load: async () => (await import('./evaluate.js')).evaluateCommand,
  },
  {
    name: 'assign',
    summary: 'exact optimal assignment (Jonker-Volgenant) between two .npy clouds of equal size',
    load: async () => (await import('./assign.js')).assignCommand,
  },
  {
    name: 'distance',
    summary: 'W2 on the line, sliced W2, Bures W2 of Gaussian fits, or the Sinkhorn divergence',
    load: async () => (await import('./distance.js')).distanceCommand,
  },
  {
    name: 'benchmark',
    summary:
      'write source/target samples or T0(x) for a named benchmark (known Monge maps, 2-D toys)',
    load: async () => (await import('./benchmark.js')).benchmarkCommand,
  },
  {
    name: 'scones',
    summary:
      "SCONES' Gaussian study at one d: BW-UVP of Langevin-sampled pairs vs barycentric projection",
    load: async () => (await import('./scones.js')).sconesCommand,
  },
  {
    name: 'images',
    summary:
      'the Fashion-MNIST study: I-FM vs OT-FM at several n and E, classifier-feature FD at 2-16 Euler steps and Dopri5',
    load: async () => (await import('./images.js')).imagesCommand,
  },
  {
    name: 'sweep',
    summary: 'run a grid of experiments from a YAML/JSON config; results in DuckDB, resumable',
    load: async () => (await import('./sweep.js')).sweepCommand,
  },
  {
    name: 'report',
    summary: "write a self-contained HTML report (the paper's figures) from a sweep database",
    load: async () => (await import('./report.js')).reportCommand,
  },
  {
    name: 'bench',
    summary:
      'run a performance benchmark (sinkhorn, assign, fm, backends) with its reference timed in the same run',
    load: async () => (await import('./bench.js')).benchCommand,
  },
  {
    name: 'run',
    summary: 'execute one sweep run from its spec file (used by sweep; useful to debug a run)',
    load: async () => (await import('./run.js')).runCommand,
  },
];
