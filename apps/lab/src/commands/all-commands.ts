import type { Command } from '../cli/command.js';
import { assignCommand } from './assign.js';
import { benchCommand } from './bench.js';
import { benchmarkCommand } from './benchmark.js';
import { demoCommand } from './demo.js';
import { distanceCommand } from './distance.js';
import { evaluateCommand } from './evaluate.js';
import { quickstartCommand } from './quickstart.js';
import { reportCommand } from './report.js';
import { runCommand } from './run.js';
import { sampleCommand } from './sample.js';
import { sconesCommand } from './scones.js';
import { solveCommand } from './solve.js';
import { sweepCommand } from './sweep.js';
import { trainCommand } from './train.js';
import { workerCommand } from './worker.js';

/** Every `sinkflow` command, in the order `--help` lists them. */
export const allCommands: readonly Command[] = [
  quickstartCommand,
  demoCommand,
  solveCommand,
  workerCommand,
  sampleCommand,
  trainCommand,
  evaluateCommand,
  assignCommand,
  distanceCommand,
  benchmarkCommand,
  sconesCommand,
  sweepCommand,
  reportCommand,
  benchCommand,
  runCommand,
];
