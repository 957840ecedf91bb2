import type { TrainingWorkers } from '@sinkflow/fm';
import type { Flags } from './parse-flags.js';

/**
 * `--workers auto|N` (default `auto`): how many data-parallel replicas train a flow model
 * (`@sinkflow/fm`'s trainer option `workers`: the batch of every step split among `N` copies of
 * the model, one per thread, their gradients summed through shared memory). An integer must be
 * in [1, 64]; errors name the flag.
 *
 * @example
 * ```ts
 * workersFromFlags(parseFlags('train', ['--workers', '2'], { workers: 'string' })); // 2
 * ```
 */
export function workersFromFlags(options: Flags): TrainingWorkers {
  if (!options.has('workers') || options.string('workers') === 'auto') return 'auto';
  return options.integer('workers', { minimum: 1, maximum: 64 });
}
