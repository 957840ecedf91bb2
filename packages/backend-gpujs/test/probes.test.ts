import { BackendUnavailableError, InvalidArgumentError } from '@sinkflow/core';
import { describe, expect, it } from 'vitest';
import {
  createGpujsBackend,
  GPUJS_MODES,
  type GpujsModeProbe,
  probeGpujsMode,
  sinkhornBackendProvider,
} from '../src/index.js';
import { describeDawnLoadError } from '../src/internal/webgpu-binding.js';
import { withTimeout } from '../src/internal/with-timeout.js';

describe('probing the gpu.js modes', async () => {
  const probes = new Map<string, GpujsModeProbe>();
  for (const mode of GPUJS_MODES) probes.set(mode, await probeGpujsMode({ mode }));
  const unavailable = [...probes.values()].filter((probe) => !probe.available);

  it('finds the CPU modes available in Node', () => {
    expect(probes.get('cpu')).toEqual({ mode: 'cpu', available: true });
    expect(probes.get('webasm')).toEqual({ mode: 'webasm', available: true });
  });

  it('says why WebGPU is unavailable, when it is (here: Dawn needs a newer libstdc++)', () => {
    const probe = probes.get('webgpu');
    if (probe?.available === false) {
      expect(probe.reason).toMatch(/webgpu|WebGPU|Dawn|adapter/);
      if (/GLIBCXX/.test(probe.reason)) {
        expect(probe.reason).toMatch(/needs GLIBCXX_[0-9.]+, which this system's libstdc\+\+/);
      }
    } else {
      expect(probe?.available).toBe(true);
    }
  });

  it('turns the loader error of the Dawn binary into advice', () => {
    const error = new Error(
      "/lib/x86_64-linux-gnu/libstdc++.so.6: version `GLIBCXX_3.4.32' not found (required by /x/webgpu/dist/linux-x64.dawn.node)",
    );
    expect(describeDawnLoadError(error)).toBe(
      "the 'webgpu' package's Dawn binary needs GLIBCXX_3.4.32, which this system's libstdc++ " +
        '(/lib/x86_64-linux-gnu/libstdc++.so.6) lacks: install a newer libstdc++ (GCC 13 or later) ' +
        'or put one on LD_LIBRARY_PATH',
    );
    expect(describeDawnLoadError(new Error('boom\nat somewhere'))).toBe(
      "the 'webgpu' package's Dawn binary did not load: boom",
    );
  });

  it.skipIf(unavailable.length === 0)(
    'a named mode that cannot run rejects with a BackendUnavailableError naming it',
    async () => {
      for (const probe of unavailable) {
        const error: unknown = await createGpujsBackend({ mode: probe.mode }).catch((e) => e);
        expect(BackendUnavailableError.isInstance(error)).toBe(true);
        expect((error as BackendUnavailableError).backend).toBe(`gpujs:${probe.mode}`);
        expect((error as Error).message).toContain(`gpu.js mode '${probe.mode}' cannot run here`);
        if (!probe.available) expect((error as Error).message).toContain(probe.reason);
      }
    },
  );

  it('the provider picks the first mode that works and lists the skipped ones with reasons', async () => {
    const backend = await sinkhornBackendProvider.create();
    const first = GPUJS_MODES.find((mode) => probes.get(mode)?.available);
    expect(backend.name).toBe('gpujs');
    expect(backend.specificationVersion).toBe('v1');
    expect(backend.description).toContain(`gpu.js ${first} mode`);
    const gpujs = backend as Awaited<ReturnType<typeof createGpujsBackend>>;
    expect(gpujs.mode).toBe(first);
    expect(gpujs.skipped.map((entry) => entry.mode)).toEqual(
      GPUJS_MODES.slice(0, GPUJS_MODES.indexOf(gpujs.mode)),
    );
    for (const entry of gpujs.skipped) {
      const probe = probes.get(entry.mode);
      expect(probe?.available).toBe(false);
      if (probe?.available === false) expect(entry.reason).toBe(probe.reason);
    }
  });
});

describe('argument checks and safety', () => {
  it('rejects bad options with an InvalidArgumentError naming them', async () => {
    for (const [options, name] of [
      [{ mode: 'webgl' }, 'options.mode'],
      [{ tile: 0 }, 'options.tile'],
      [{ tile: 1.5 }, 'options.tile'],
      [{ threads: 0 }, 'options.threads'],
      [{ probeTimeout: -1 }, 'options.probeTimeout'],
    ] as const) {
      const error: unknown = await createGpujsBackend(options as never).catch((e) => e);
      expect(InvalidArgumentError.isInstance(error)).toBe(true);
      expect((error as InvalidArgumentError).argumentName).toBe(name);
    }
    await expect(probeGpujsMode({ mode: 'gpu' as never })).rejects.toThrow(/options\.mode/);
  });

  it('a probe that does not answer in time gives up with a reason, leaving nothing behind', async () => {
    const never = new Promise<never>(() => undefined);
    await expect(withTimeout(never, 5, 'no answer within 5 ms')).rejects.toThrow(
      'no answer within 5 ms',
    );
    // A late rejection after the timeout is caught (no unhandled rejection).
    const late = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('late')), 20));
    await expect(withTimeout(late, 5, 'timed out')).rejects.toThrow('timed out');
    await new Promise((resolve) => setTimeout(resolve, 30));
  });
});
