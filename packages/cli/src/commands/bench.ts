import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvalidArgumentError, SinkflowError } from '@sinkflow/core';
import type { Command } from '../cli/command.js';

/** The benchmarks `sinkflow bench` runs: the repository's root scripts of the same name. */
const BENCHMARKS = {
  sinkhorn: 'bench:sinkhorn',
  assign: 'bench:assign',
  fm: 'bench:fm',
  backends: 'bench:backends',
} as const;

/** `sinkflow bench NAME`: the performance benchmarks, each against its reference in the same run. */
export const benchCommand: Command = {
  name: 'bench',
  summary:
    'run a performance benchmark (sinkhorn, assign, fm, backends) with its reference timed in the same run',
  help: `
Usage: sinkflow bench sinkhorn|assign|fm|backends [benchmark options]

Runs one of the repository's benchmarks (the same as 'pnpm bench:<name>' at the repository root;
they build what they need first) and prints seconds or examples per second with ratios against a
reference measured in the same run:
  sinkhorn  seconds per Sinkhorn iteration of the wasm backend (1 and 2 threads, dense and online)
            against the JS reference, POT sinkhorn_log float32 and a torch online-block kernel
            (options: --sizes 2048,4096 --dims 2,64,256 --modes online,dense --threads 1,2 ...)
  assign    exact assignment at n = 2000 against SciPy and munkres-js (options: --n, --no-munkres ...)
  fm        training examples per second of the paper's MLP against PyTorch CPU
  backends  every Sinkhorn backend available here (js, wasm, tfjs, gpu.js in each of their modes)
            against a torch online-block kernel, then the E and cost each one reaches on the same
            problem (options: --sizes 2048,4096 --dims 64 --mode online --device cuda --only ...)
The Python references run with Debian's /usr/bin/python3 when POT, SciPy or PyTorch are installed.
Record results in docs/performance.md with the machine and the command.

Example:
  sinkflow bench sinkhorn --sizes 4096 --dims 64 --threads 1,2
`,
  async run(args, io) {
    const [name, ...rest] = args;
    if (name === undefined || !(name in BENCHMARKS)) {
      throw new InvalidArgumentError({
        functionName: 'sinkflow bench',
        argumentName: 'NAME',
        message: `must be one of ${Object.keys(BENCHMARKS).join(', ')}`,
        value: name ?? '',
      });
    }
    const root = repositoryRoot();
    const script = BENCHMARKS[name as keyof typeof BENCHMARKS];
    const runWith = ([command, prefix]: readonly [string, readonly string[]]) =>
      new Promise<number | 'not found'>((resolve) => {
        const child = spawn(command, [...prefix, 'run', '--silent', script, ...rest], {
          cwd: root,
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        child.stdout.on('data', (chunk: Buffer) => io.stdout.write(chunk));
        child.stderr.on('data', (chunk: Buffer) => io.stderr.write(chunk));
        child.on('error', (error: NodeJS.ErrnoException) =>
          resolve(error.code === 'ENOENT' ? 'not found' : 127),
        );
        child.on('close', (status) => resolve(status ?? 1));
      });
    // The pnpm that runs us (npm_execpath) when there is one, else pnpm from PATH, else the
    // repository's pinned pnpm (packageManager) through npx, as .ci/run installs it.
    const execPath = process.env.npm_execpath;
    let code =
      execPath !== undefined && /pnpm/.test(execPath)
        ? await runWith([process.execPath, [execPath]])
        : await runWith(['pnpm', []]);
    if (code === 'not found') code = await runWith(['npx', ['--yes', pinnedPnpm(root)]]);
    if (code === 'not found') {
      throw new BenchmarkRunError('sinkflow bench needs pnpm (or npx) on PATH: neither was found');
    }
    if (code !== 0) throw new BenchmarkRunError(`benchmark '${name}' exited with code ${code}`);
  },
};

/** The repository's `packageManager` (`pnpm@10.34.9`), or the latest pnpm when it names none. */
function pinnedPnpm(root: string): string {
  try {
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      packageManager?: unknown;
    };
    const pinned = manifest.packageManager;
    if (typeof pinned === 'string' && /^pnpm@[\w.+-]+$/.test(pinned)) return pinned;
  } catch {
    // An unreadable manifest: the latest pnpm below.
  }
  return 'pnpm';
}

/** The monorepo root (the benchmarks live in its packages, not in the published builds). */
function repositoryRoot(): string {
  let directory = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(directory, 'pnpm-workspace.yaml'))) {
    const parent = dirname(directory);
    if (parent === directory)
      throw new BenchmarkRunError(
        'sinkflow bench runs from the sinkflow repository (no pnpm-workspace.yaml found)',
      );
    directory = parent;
  }
  return directory;
}

const benchmarkRunSymbol = Symbol.for('sinkflow.lab.BenchmarkRunError');

/**
 * A benchmark that could not run or failed (outside the repository, a non-zero exit): the command
 * line reports it as a failure (exit 1), not as bad input.
 */
class BenchmarkRunError extends SinkflowError {
  readonly [benchmarkRunSymbol] = true;

  constructor(message: string) {
    super(message);
    this.name = 'BenchmarkRunError';
  }
}
