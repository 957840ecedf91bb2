import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidArgumentError } from '@sinkflow/core';
import { describe, expect, it } from 'vitest';
import { combineLogSumExp, readNatsSecurity, rowBlocks } from '../src/index.js';
import { ChunkAssembler, splitIntoChunks } from '../src/internal/chunking.js';
import { decodeFrame, encodeFrame } from '../src/internal/frame-codec.js';

describe('combineLogSumExp', () => {
  it('combines partial log-sum-exps exactly, whatever the split', () => {
    const epsilon = 0.3;
    const values = Array.from({ length: 50 }, (_, k) => Math.sin(k) * 40);
    const lse = (terms: number[]) => {
      const top = Math.max(...terms);
      return (
        top + epsilon * Math.log(terms.reduce((sum, t) => sum + Math.exp((t - top) / epsilon), 0))
      );
    };
    const whole = lse(values);
    for (const cuts of [[25], [1, 2, 49], [10, 20, 30, 40]]) {
      const bounds = [0, ...cuts, values.length];
      const parts = bounds
        .slice(1)
        .map((end, p) => Float64Array.of(lse(values.slice(bounds[p], end))));
      const out = combineLogSumExp(parts, epsilon, new Float64Array(1));
      expect(Math.abs(out[0]! - whole)).toBeLessThan(1e-12 * Math.abs(whole));
    }
  });

  it('returns a single part unchanged, skips -Infinity parts and propagates NaN', () => {
    const single = Float64Array.of(1.25, -3, Number.NEGATIVE_INFINITY);
    expect(Array.from(combineLogSumExp([single], 0.1, new Float64Array(3)))).toEqual(
      Array.from(single),
    );
    const out = combineLogSumExp(
      [
        Float64Array.of(Number.NEGATIVE_INFINITY, 2, Number.NaN),
        Float64Array.of(Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY, 0),
      ],
      1,
      new Float64Array(3),
    );
    expect(out[0]).toBe(Number.NEGATIVE_INFINITY);
    expect(out[1]).toBe(2);
    expect(out[2]).toBeNaN();
  });

  it('does not overflow for values far above epsilon', () => {
    const out = combineLogSumExp(
      [Float64Array.of(1e6), Float64Array.of(1e6)],
      1e-3,
      new Float64Array(1),
    );
    expect(out[0]).toBeCloseTo(1e6 + 1e-3 * Math.log(2), 6);
  });
});

describe('frames and chunks', () => {
  it('round-trips a header and vectors of every type', () => {
    const vectors = {
      a: Float64Array.of(1.5, -0, Number.NEGATIVE_INFINITY, Number.NaN),
      b: Float32Array.of(0.1, 2),
      c: Int32Array.of(-7),
      d: Uint32Array.of(4_000_000_000, 1, 2),
      e: new Float64Array(0),
    };
    const frame = decodeFrame<{ op: string }>(encodeFrame({ header: { op: 'x' }, vectors }));
    expect(frame.header).toEqual({ op: 'x' });
    for (const [name, vector] of Object.entries(vectors)) {
      expect(frame.vectors[name]!.constructor).toBe(vector.constructor);
      expect(Array.from(frame.vectors[name]!)).toEqual(Array.from(vector));
    }
    expect(() => decodeFrame(new Uint8Array(16))).toThrow('bad magic');
  });

  it('reassembles chunks that arrive in any order', () => {
    const frame = encodeFrame({
      header: { op: 'y' },
      vectors: { v: Float64Array.from({ length: 1000 }, (_, k) => k / 7) },
    });
    const chunks = splitIntoChunks(frame, 777);
    expect(chunks.length).toBe(Math.ceil(frame.byteLength / 777));
    const assembler = new ChunkAssembler();
    const order = chunks.map((_, k) => k).reverse();
    let whole: Uint8Array | undefined;
    for (const k of order) {
      expect(whole).toBeUndefined();
      whole = assembler.add('m1', k, chunks.length, chunks[k]!);
    }
    expect(Array.from(decodeFrame(whole!).vectors.v!)).toEqual(
      Array.from({ length: 1000 }, (_, k) => k / 7),
    );
  });
});

describe('rowBlocks', () => {
  it('splits rows into contiguous blocks whose sizes differ by at most one', () => {
    expect(rowBlocks(10, 3)).toEqual([
      { start: 0, count: 3 },
      { start: 3, count: 3 },
      { start: 6, count: 4 },
    ]);
    expect(rowBlocks(1, 3).map((block) => block.count)).toEqual([0, 0, 1]);
  });
});

describe('readNatsSecurity', () => {
  it('reads a token, a user and password, creds and TLS from variables or a file', () => {
    const directory = mkdtempSync(join(tmpdir(), 'sinkflow-security-'));
    try {
      const tokenFile = join(directory, 'token');
      writeFileSync(tokenFile, 's3cret\n');
      expect(readNatsSecurity({ env: { SINKFLOW_NATS_TOKEN_FILE: tokenFile } }).token).toBe(
        's3cret',
      );
      expect(readNatsSecurity({ env: {} })).toEqual({
        token: undefined,
        user: undefined,
        password: undefined,
        credsFile: undefined,
        tls: undefined,
      });
      const config = join(directory, 'nats.json');
      writeFileSync(
        config,
        JSON.stringify({ user: 'ann', passwordFile: tokenFile, tls: { caFile: '/ca.pem' } }),
      );
      expect(readNatsSecurity({ env: { SINKFLOW_NATS_CONFIG: config } })).toMatchObject({
        user: 'ann',
        password: 's3cret',
        tls: { caFile: '/ca.pem' },
      });
      expect(readNatsSecurity({ env: { SINKFLOW_NATS_TLS: '1' } }).tls).toEqual({
        caFile: undefined,
        certFile: undefined,
        keyFile: undefined,
      });
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('rejects two methods at once, a password without user and unreadable files, naming the variable', () => {
    const both = () =>
      readNatsSecurity({ env: { SINKFLOW_NATS_TOKEN: 't', SINKFLOW_NATS_USER: 'u' } });
    expect(both).toThrow(InvalidArgumentError);
    expect(both).toThrow('give only one');
    expect(() => readNatsSecurity({ env: { SINKFLOW_NATS_PASSWORD: 'p' } })).toThrow(
      'SINKFLOW_NATS_USER',
    );
    expect(() =>
      readNatsSecurity({ env: { SINKFLOW_NATS_CREDS: '/nonexistent/x.creds' } }),
    ).toThrow('SINKFLOW_NATS_CREDS');
  });
});
