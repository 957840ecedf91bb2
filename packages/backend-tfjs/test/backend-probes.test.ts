import { BackendUnavailableError, InvalidArgumentError } from '@sinkflow/core';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createTfjsBackend, sinkhornBackendProvider } from '../src/index.js';
import { describeWebGpuLoadFailure } from '../src/internal/webgpu-for-node.js';

/** How `import('webgpu')` fares on this machine: undefined when it loads. */
async function webgpuLoadError(): Promise<string | undefined> {
  try {
    const specifier: string = 'webgpu';
    await import(specifier);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

async function outcome<T>(promise: Promise<T>): Promise<{ value?: T; error?: unknown }> {
  try {
    return { value: await promise };
  } catch (error) {
    return { error };
  }
}

describe('variant probes', () => {
  it('a forced webgpu backend rejects with a BackendUnavailableError naming it and the reason', async () => {
    const loadError = await webgpuLoadError();
    const { value, error } = await outcome(createTfjsBackend({ tf, backend: 'webgpu' }));
    if (value !== undefined) {
      // A machine with a recent libstdc++ and a GPU adapter: WebGPU runs.
      expect(value.tfjsBackend).toBe('webgpu');
      return;
    }
    expect(BackendUnavailableError.isInstance(error)).toBe(true);
    const unavailable = error as BackendUnavailableError;
    expect(unavailable.backend).toBe('tfjs:webgpu');
    expect(unavailable.message).toMatch(/^backend 'tfjs:webgpu' is unavailable: webgpu: /);
    const glibcxx = /GLIBCXX_[0-9.]+/.exec(loadError ?? '');
    if (glibcxx !== null) {
      // This machine: Dawn's binary needs a newer libstdc++ than the system's.
      expect(unavailable.message).toContain(`needs ${glibcxx[0]}`);
      expect(unavailable.message).toContain('libstdc++');
      expect(unavailable.message).toContain('too old');
    }
  });

  it('an existing navigator.gpu without an adapter gives a clear reason (the browser path)', async () => {
    const global = globalThis as { navigator?: unknown };
    const saved = Object.getOwnPropertyDescriptor(globalThis, 'navigator');
    Object.defineProperty(globalThis, 'navigator', {
      value: { gpu: { requestAdapter: async () => null } },
      configurable: true,
      writable: true,
    });
    try {
      const { error } = await outcome(createTfjsBackend({ tf, backend: 'webgpu' }));
      expect(BackendUnavailableError.isInstance(error)).toBe(true);
      expect((error as Error).message).toContain('requestAdapter() found no adapter');
    } finally {
      if (saved === undefined) delete global.navigator;
      else Object.defineProperty(globalThis, 'navigator', saved);
    }
  });

  it('a forced tensorflow backend without tfjs-node names both packages', async () => {
    const { value, error } = await outcome(createTfjsBackend({ tf, backend: 'tensorflow' }));
    if (value !== undefined) {
      expect(value.tfjsBackend).toBe('tensorflow');
      return;
    }
    expect(BackendUnavailableError.isInstance(error)).toBe(true);
    const unavailable = error as BackendUnavailableError;
    expect(unavailable.backend).toBe('tfjs:tensorflow');
    expect(unavailable.message).toContain('tfjs-node-gpu:');
    expect(unavailable.message).toContain("'@tensorflow/tfjs-node' is not installed");
  });

  it('the provider picks the best available variant and says why it skipped the others', async () => {
    expect(sinkhornBackendProvider.name).toBe('tfjs');
    const backend = await sinkhornBackendProvider.create();
    expect(backend.name).toBe('tfjs');
    expect(backend.specificationVersion).toBe('v1');
    const order = ['tfjs-node-gpu', 'tfjs-node', 'webgpu', 'wasm', 'cpu'];
    // Every variant before the chosen one was tried and skipped, in order, each with a reason.
    expect(backend.skipped.map((entry) => entry.variant)).toEqual(
      order.slice(0, order.indexOf(backend.variant)),
    );
    for (const { variant, reason } of backend.skipped) {
      expect(reason.length).toBeGreaterThan(10);
      expect(backend.description).toContain(`${variant}: ${reason}`);
    }
    expect(backend.description).toMatch(new RegExp(`^tfjs on ${backend.tfjsBackend} \\(`));
    if ((await webgpuLoadError())?.includes('GLIBCXX')) {
      expect(backend.variant).toBe('wasm');
      expect(backend.skipped.at(-1)?.reason).toContain('libstdc++');
    }
  });

  it('provider.create() does not throw synchronously', () => {
    const pending = sinkhornBackendProvider.create();
    expect(pending).toBeInstanceOf(Promise);
    return pending;
  });

  it('bad options reject with an InvalidArgumentError naming the option', async () => {
    for (const [options, argumentName] of [
      [{ backend: 'webgl' }, 'backend'],
      [{ rowBlock: 0 }, 'rowBlock'],
      [{ columnBlock: 1.5 }, 'columnBlock'],
      [{ tf: {} }, 'tf'],
    ] as const) {
      const { error } = await outcome(
        createTfjsBackend(options as Parameters<typeof createTfjsBackend>[0]),
      );
      expect(InvalidArgumentError.isInstance(error)).toBe(true);
      expect((error as InvalidArgumentError).argumentName).toBe(argumentName);
    }
  });
});

describe('describeWebGpuLoadFailure', () => {
  it('explains an old libstdc++', () => {
    const message = describeWebGpuLoadFailure(
      Object.assign(
        new Error(
          "/lib/x86_64-linux-gnu/libstdc++.so.6: version `GLIBCXX_3.4.32' not found (required by /x/node_modules/webgpu/dist/linux-x64.dawn.node)",
        ),
        { code: 'ERR_DLOPEN_FAILED' },
      ),
    );
    expect(message).toBe(
      "the 'webgpu' package's native Dawn binary needs GLIBCXX_3.4.32, which the system's libstdc++ (/lib/x86_64-linux-gnu/libstdc++.so.6) lacks: it is too old (install the libstdc++ of a newer GCC, or use another backend)",
    );
  });

  it('explains a missing package and other load failures', () => {
    expect(
      describeWebGpuLoadFailure(
        Object.assign(new Error("Cannot find package 'webgpu' imported from /x.js"), {
          code: 'ERR_MODULE_NOT_FOUND',
        }),
      ),
    ).toContain("the optional peer 'webgpu' is not installed");
    // The same failure as reported by a bundler or vite-node.
    expect(
      describeWebGpuLoadFailure(
        new Error(
          'Could not resolve "webgpu" imported by "@sinkflow/backend-tfjs". Is it installed?',
        ),
      ),
    ).toContain("the optional peer 'webgpu' is not installed");
    expect(
      describeWebGpuLoadFailure(
        Object.assign(new Error('libvulkan.so.1: cannot open shared object file\nmore'), {
          code: 'ERR_DLOPEN_FAILED',
        }),
      ),
    ).toBe(
      "the 'webgpu' package's native Dawn binary did not load: libvulkan.so.1: cannot open shared object file",
    );
  });
});
