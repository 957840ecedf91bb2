import { describe, expect, it } from 'vitest';
import {
  BackendUnavailableError,
  DisposedError,
  InternalError,
  NumericalFailureError,
  ProtocolError,
  SinkflowError,
} from '../src/index.js';
import { assertClose, CheckFailedError, compareClose } from '../src/testing.js';

describe('DisposedError, InternalError, NumericalFailureError, ProtocolError, CheckFailedError', () => {
  it('are SinkflowErrors that name what they are about', () => {
    const disposed = new DisposedError({
      functionName: 'createJsBackend',
      resource: 'kernel',
      operation: 'logSumExp',
    });
    expect(disposed.message).toBe('createJsBackend: logSumExp on a disposed kernel');
    expect(new DisposedError({ functionName: 'f', resource: 'collective' }).message).toBe(
      'f: use of a disposed collective',
    );
    const internal = new InternalError({ where: 'networkSimplex', message: 'unbounded cycle' });
    expect(internal.message).toBe('networkSimplex: unbounded cycle (internal error)');
    const protocol = new ProtocolError({ channel: 'shard frame', message: 'bad magic' });
    expect(protocol.message).toBe('shard frame: protocol error: bad magic');
    const numerical = new NumericalFailureError({
      functionName: 'flowMap',
      status: 'non-finite',
      message: 'the euler solver stopped at t = 0.3',
    });
    expect(numerical.message).toBe('flowMap: the euler solver stopped at t = 0.3 (non-finite)');
    expect(NumericalFailureError.isInstance(numerical)).toBe(true);
    expect(NumericalFailureError.isInstance(internal)).toBe(false);
    for (const error of [disposed, internal, protocol, numerical]) {
      expect(SinkflowError.isInstance(error)).toBe(true);
      expect(error).toBeInstanceOf(Error);
    }
    expect(DisposedError.isInstance(disposed)).toBe(true);
    expect(DisposedError.isInstance(internal)).toBe(false);
    expect(InternalError.isInstance(internal)).toBe(true);
    expect(InternalError.isInstance(protocol)).toBe(false);
    expect(ProtocolError.isInstance(protocol)).toBe(true);
    expect(ProtocolError.isInstance(new Error('x'))).toBe(false);
  });

  it('BackendUnavailableError keeps the reason apart from the backend prefix', () => {
    const error = new BackendUnavailableError({ backend: 'tfjs:webgpu', message: 'no adapter' });
    expect(error.message).toBe("backend 'tfjs:webgpu' is unavailable: no adapter");
    expect(error.reason).toBe('no adapter');
    expect(error.backend).toBe('tfjs:webgpu');
  });

  it('assertClose throws a CheckFailedError, compareClose an InvalidArgumentError on lengths', () => {
    let thrown: unknown;
    try {
      assertClose([1, 2], [1, 3], { label: 'values' });
    } catch (error) {
      thrown = error;
    }
    expect(CheckFailedError.isInstance(thrown)).toBe(true);
    expect(SinkflowError.isInstance(thrown)).toBe(true);
    expect((thrown as CheckFailedError).check).toBe('assertClose');
    expect((thrown as Error).message).toMatch(/^values: 1 of 2 entries not close/);
    expect(() => compareClose([1], [1, 2])).toThrow(
      "compareClose: invalid argument 'expected': length mismatch (actual 1, expected 2)",
    );
  });
});
