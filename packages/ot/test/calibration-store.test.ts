import { describe, expect, it } from 'vitest';
import {
  type CalibrationStore,
  calibrateBackends,
  createJsBackend,
  resolveBackend,
  type SinkhornBackend,
  type SinkhornBackendProvider,
  type StoredCalibration,
  wasmBackendProvider,
} from '../src/index.js';

const shape = { n: 128, m: 96, d: 4, mode: 'online' } as const;

/** The js backend under another name, counting how often it is created. */
function countingProvider(
  name: string,
  extra: Readonly<Record<string, unknown>> = {},
): SinkhornBackendProvider & { created: number } {
  const provider = {
    name,
    created: 0,
    create: async (): Promise<SinkhornBackend> => {
      provider.created += 1;
      return { ...createJsBackend(), name, ...extra } as SinkhornBackend;
    },
  };
  return provider;
}

function memoryStore(): CalibrationStore & { records: Map<string, StoredCalibration> } {
  const records = new Map<string, StoredCalibration>();
  return {
    records,
    read: async (key) => records.get(key),
    write: async (key, value) => {
      records.set(key, value);
    },
  };
}

const keyOf = (names: readonly string[]) => `${names.join(',')}|${JSON.stringify(shape)}`;

describe('the calibration store of backend auto', () => {
  it('writes a fresh run, then reuses a stored run creating only its winner', async () => {
    const store = memoryStore();
    const a = countingProvider('store-a1');
    const b = countingProvider('store-b1');
    const fresh = await resolveBackend({
      backend: 'auto',
      providers: [a, b],
      shape,
      calibrationStore: store,
    });
    expect(fresh.storedCalibration).toBeUndefined();
    const written = store.records.get(keyOf(['store-a1', 'store-b1']));
    expect(written?.results.map((entry) => entry.name)).toEqual(['store-a1', 'store-b1']);
    expect(typeof written?.results[0]?.secondsPerIteration).toBe('number');

    // A stored run in which the second candidate won: reused as it is, nothing timed.
    const c = countingProvider('store-c1');
    const d = countingProvider('store-d1');
    store.records.set(keyOf(['store-c1', 'store-d1']), {
      shape,
      results: [
        { name: 'store-c1', secondsPerIteration: 0.5 },
        { name: 'store-d1', secondsPerIteration: 0.1 },
      ],
      measuredAt: '2026-12-01T00:00:00.000Z',
    });
    const reused = await resolveBackend({
      backend: 'auto',
      providers: [c, d],
      shape,
      calibrationStore: store,
    });
    expect(reused.backend.name).toBe('store-d1');
    expect(c.created).toBe(0);
    expect(d.created).toBe(1);
    expect(reused.reason).toMatch(/5\.0x faster than store-c1/);
    expect(reused.reason).toMatch(/calibration of 2026-12-01T00:00:00.000Z reused/);
    expect(reused.storedCalibration?.measuredAt).toBe('2026-12-01T00:00:00.000Z');
  });

  it('recalibrate times every candidate again and replaces the stored run', async () => {
    const store = memoryStore();
    const e = countingProvider('store-e1');
    const f = countingProvider('store-f1');
    const key = keyOf(['store-e1', 'store-f1']);
    store.records.set(key, {
      shape,
      results: [{ name: 'store-f1', secondsPerIteration: 1e-9 }],
      measuredAt: '2026-12-01T00:00:00.000Z',
    });
    const choice = await resolveBackend({
      backend: 'auto',
      providers: [e, f],
      shape,
      calibrationStore: store,
      recalibrate: true,
    });
    expect(choice.storedCalibration).toBeUndefined();
    expect(e.created).toBe(1);
    expect(f.created).toBe(1);
    expect(store.records.get(key)?.measuredAt).not.toBe('2026-12-01T00:00:00.000Z');
  });

  it('calibrates when the stored winner cannot be created, or the store fails', async () => {
    const gone: SinkhornBackendProvider = {
      name: 'store-gone',
      create: () => Promise.reject(new Error('no device')),
    };
    const g = countingProvider('store-g1');
    const store = memoryStore();
    store.records.set(keyOf(['store-gone', 'store-g1']), {
      shape,
      results: [{ name: 'store-gone', secondsPerIteration: 1e-9 }],
      measuredAt: '2026-12-01T00:00:00.000Z',
    });
    const choice = await resolveBackend({
      backend: 'auto',
      providers: [gone, g],
      shape,
      calibrationStore: store,
    });
    expect(choice.backend.name).toBe('store-g1');
    expect(choice.storedCalibration).toBeUndefined();

    const broken: CalibrationStore = {
      read: () => Promise.reject(new Error('unreadable')),
      write: () => Promise.reject(new Error('read-only')),
    };
    const h = countingProvider('store-h1');
    const fallback = await resolveBackend({
      backend: 'auto',
      providers: [h],
      shape,
      calibrationStore: broken,
    });
    expect(fallback.backend.name).toBe('store-h1');
  });
});

describe('candidates that cannot win', () => {
  it('gpu.js and tfjs on the CPU are not timed once wasm is', async () => {
    const gpujsCpu = countingProvider('gpujs', { mode: 'webasm' });
    const tfjsCpu = countingProvider('tfjs', { tfjsBackend: 'cpu' });
    const results = await calibrateBackends([wasmBackendProvider, gpujsCpu, tfjsCpu], shape);
    expect(results[0]?.secondsPerIteration).toBeGreaterThan(0);
    expect(results[1]).toMatchObject({
      name: 'gpujs',
      unavailable: 'not timed: gpu.js webasm mode runs on the CPU, where wasm is faster',
    });
    expect(results[2]?.unavailable).toMatch(/^not timed: tfjs on cpu runs on the CPU/);
    expect(results[1]?.secondsPerIteration).toBeUndefined();
  });

  it('a GPU mode is timed', async () => {
    const gpu = countingProvider('gpujs', { mode: 'webgpu' });
    const results = await calibrateBackends([wasmBackendProvider, gpu], shape);
    expect(results[1]?.secondsPerIteration).toBeGreaterThan(0);
  });
});
