import { InvalidArgumentError } from '@sinkflow/core';
import type {
  PairBatch,
  PairSource,
  PairSourceKind,
  PairSourceState,
  PairSourceStatistics,
} from '../pairs/pair-source.js';
import { ChunkedPairStream, type PairChunk, type SubmitChunk } from './chunked-pair-stream.js';
import { StatisticsAccumulator } from './statistics-accumulator.js';

/** @internal The parts that differ between pair sources. */
export interface StreamPairSourceParts {
  readonly kind: PairSourceKind;
  readonly d: number;
  readonly functionName: string;
  /** Chunks prepared beyond the current one. */
  readonly prefetch: number;
  /** Prepares chunk `index` (see {@link SubmitChunk}). */
  readonly submit: SubmitChunk;
  /** Called by `start` before the stream restarts (set up a runner, solve or load a coupling). */
  readonly prepare?: (
    state: PairSourceState | undefined,
    statistics: StatisticsAccumulator,
  ) => Promise<void>;
  /** Called when the consumer enters a chunk. */
  readonly entered?: (index: number, chunk: PairChunk) => void;
  /** Source-specific parts of the state at `position` (the chunk holding the next pair). */
  readonly saveExtra?: (position: {
    readonly chunk: number;
    readonly offset: number;
  }) => Pick<PairSourceState, 'extra' | 'arrays'>;
  readonly dispose?: () => Promise<void>;
}

/** @internal A {@link PairSource} over a {@link ChunkedPairStream}. */
export function createStreamPairSource(parts: StreamPairSourceParts): PairSource {
  const { kind, d, functionName } = parts;
  const statistics = new StatisticsAccumulator(kind);
  let started = false;
  let disposed = false;
  const stream = new ChunkedPairStream({
    d,
    prefetch: parts.prefetch,
    submit: parts.submit,
    functionName: `${functionName}.next`,
    onEnter: (index, chunk) => {
      if (chunk.coupling !== null) statistics.addCoupling(chunk.coupling);
      statistics.addPairs(0, chunk.samplingSeconds);
      parts.entered?.(index, chunk);
    },
  });
  return {
    kind,
    d,
    async start({ state }: { readonly state?: PairSourceState } = {}) {
      if (disposed) throw disposedError(functionName, 'start');
      if (state !== undefined) validateState(state, kind, `${functionName}.start`);
      statistics.reset();
      await parts.prepare?.(state, statistics);
      stream.reset(state?.chunk ?? 0, state?.offset ?? 0);
      started = true;
    },
    async next({ count }: { readonly count: number }): Promise<PairBatch> {
      if (disposed) throw disposedError(functionName, 'next');
      if (!started) {
        throw new InvalidArgumentError({
          functionName: `${functionName}.next`,
          argumentName: 'this',
          message: 'call start() first',
        });
      }
      const batch = await stream.next(count);
      statistics.addPairs(count, 0);
      return batch;
    },
    getState(): PairSourceState {
      const { chunk, offset } = stream.position;
      const { extra, arrays } = parts.saveExtra?.(stream.position) ?? { extra: {}, arrays: {} };
      return { kind, version: 1, chunk, offset, extra, arrays };
    },
    statistics(): PairSourceStatistics {
      return statistics.snapshot();
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      stream.stop();
      await parts.dispose?.();
    },
  };
}

function disposedError(functionName: string, method: string): InvalidArgumentError {
  return new InvalidArgumentError({
    functionName: `${functionName}.${method}`,
    argumentName: 'this',
    message: 'the pair source was disposed',
  });
}

function validateState(state: PairSourceState, kind: PairSourceKind, functionName: string): void {
  const fail = (argumentName: string, message: string, value: unknown): never => {
    throw new InvalidArgumentError({ functionName, argumentName, message, value });
  };
  if (typeof state !== 'object' || state === null) fail('state', 'must be an object', state);
  if (state.kind !== kind) fail('state.kind', `must be '${kind}'`, state.kind);
  if (state.version !== 1) fail('state.version', 'must be 1', state.version);
  for (const key of ['chunk', 'offset'] as const) {
    if (!Number.isSafeInteger(state[key]) || state[key] < 0) {
      fail(`state.${key}`, 'must be an integer >= 0', state[key]);
    }
  }
}
