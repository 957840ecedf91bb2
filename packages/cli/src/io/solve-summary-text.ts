import { formatShardingLine } from './sharding-flags.js';
import type { SolveSummary } from './solve-record.js';

/**
 * The table `sinkflow solve` prints: the problem, epsilon, the status (converged, NOT converged or
 * DIVERGED), costs and E ('not finite' where they are not), the whole entropy search under
 * `--target-entropy`, the time, the backend and the sharding.
 *
 * @example
 * ```ts
 * io.stdout.write(formatSolveSummary(summary));
 * ```
 */
export function formatSolveSummary(summary: SolveSummary): string {
  const number = (value: number | null, format: (value: number) => string) =>
    value === null ? 'not finite' : format(value);
  const status = summary.diverged ? 'DIVERGED' : summary.converged ? 'converged' : 'NOT converged';
  const search = summary.search;
  const rows: Array<[string, string]> = [
    ['problem', `n = ${summary.n}, m = ${summary.m}, d = ${summary.d}, cost ${summary.cost}`],
    [
      'epsilon',
      `${summary.epsilon.toPrecision(4)} (relative ${summary.relativeEpsilon.toPrecision(4)}, std(C) ${summary.costStd.toPrecision(4)})`,
    ],
    [
      'status',
      `${status} after ${summary.iterations} iterations, marginal error ${number(summary.marginalError, (value) => value.toExponential(2))}`,
    ],
    [
      'transport cost',
      `${number(summary.transportCost, (value) => value.toPrecision(6))} (1/2||x-y||^2: ${number(summary.transportCostSqEuclidean, (value) => value.toPrecision(6))})`,
    ],
    ['renormalized entropy', number(summary.renormalizedEntropy, (value) => value.toFixed(4))],
    ...(search === null
      ? []
      : [
          [
            'entropy search',
            `target ${summary.targetEntropy} ${search.reached ? 'reached' : 'NOT reached'}: ${search.solves} solves, ${search.iterations} iterations in all`,
          ] as [string, string],
        ]),
    [
      'time',
      `${summary.totalSeconds.toFixed(2)} s in all: ${summary.backendSeconds.toFixed(2)} s choosing the backend, ${summary.seconds.toFixed(2)} s solving on ${summary.backend} (${summary.mode})${search === null ? '' : ', the whole search'}`,
    ],
    ['backend', summary.backendReason],
    ...(summary.sharding === null
      ? []
      : [['sharded', formatShardingLine(summary.sharding)] as [string, string]]),
  ];
  return `${rows.map(([key, value]) => `${key.padEnd(22)}${value}`).join('\n')}\n`;
}
