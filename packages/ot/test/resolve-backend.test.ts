import { BackendUnavailableError, createPointCloud, InvalidArgumentError } from '@sinkflow/core';
import { describe, expect, it } from 'vitest';
import {
  calibrateBackends,
  createJsBackend,
  createSinkhornProblem,
  jsBackendProvider,
  loadOptionalBackendProviders,
  OPTIONAL_BACKEND_PACKAGES,
  resolveBackend,
  type SinkhornBackend,
  type SinkhornBackendProvider,
  wasmBackendProvider,
} from '../src/index.js';

const shape = { n: 256, m: 192, d: 8, mode: 'online' } as const;

/** The js backend with a delay added to every logSumExp pass: a candidate that must lose. */
function slowProvider(name: string, delayMilliseconds: number): SinkhornBackendProvider {
  return {
    name,
    create: async (): Promise<SinkhornBackend> => {
      const inner = createJsBackend();
      return {
        ...inner,
        name,
        prepare: async (problem) => {
          const kernel = await inner.prepare(problem);
          return {
            ...kernel,
            mode: kernel.mode,
            logSumExp: async (request) => {
              await new Promise((resolve) => setTimeout(resolve, delayMilliseconds));
              await kernel.logSumExp(request);
            },
          };
        },
      };
    },
  };
}

function countingProvider(inner: SinkhornBackendProvider): {
  provider: SinkhornBackendProvider;
  calls: () => number;
} {
  let calls = 0;
  return {
    provider: {
      name: inner.name,
      create: () => {
        calls += 1;
        return inner.create();
      },
    },
    calls: () => calls,
  };
}

const unavailableProvider: SinkhornBackendProvider = {
  name: 'nowhere',
  create: async () => {
    throw new BackendUnavailableError({ backend: 'nowhere', message: 'no such device here' });
  },
};

describe("resolveBackend with backend: 'auto'", () => {
  it('calibrates every candidate, picks the fastest and explains the choice', async () => {
    const choice = await resolveBackend({
      backend: 'auto',
      providers: [slowProvider('slow', 40), unavailableProvider, jsBackendProvider],
      shape,
    });
    expect(choice.backend.name).toBe('js');
    expect(choice.calibration.map((entry) => entry.name)).toEqual(['slow', 'nowhere', 'js']);
    const slow = choice.calibration[0]?.secondsPerIteration as number;
    const js = choice.calibration[2]?.secondsPerIteration as number;
    // Two passes of at least 40 ms each.
    expect(slow).toBeGreaterThanOrEqual(0.08);
    expect(js).toBeLessThan(slow);
    expect(choice.calibration[1]?.unavailable).toMatch(/no such device here/);
    expect(choice.reason).toMatch(/^auto: js .* per iteration on a 256 x 192 x 8 online/);
    expect(choice.reason).toMatch(/faster than slow/);
    expect(choice.reason).toMatch(/skipped nowhere \(backend 'nowhere' is unavailable/);
  });

  it('calibrates once per process for the same candidates and shape', async () => {
    const counted = countingProvider(jsBackendProvider);
    const providers = [counted.provider, { ...wasmBackendProvider, name: 'wasm-cached' }];
    const cachedShape = { n: 64, m: 64, d: 3, mode: 'dense' } as const;
    const first = await resolveBackend({ backend: 'auto', providers, shape: cachedShape });
    const second = await resolveBackend({ backend: 'auto', providers, shape: cachedShape });
    expect(second).toBe(first);
    expect(counted.calls()).toBe(1);
  });

  it('caps the calibration problem at 2048 points per side', async () => {
    const choice = await resolveBackend({
      backend: 'auto',
      providers: [jsBackendProvider],
      shape: { n: 1_000_000, m: 10, d: 2, mode: 'online' },
    });
    expect(choice.reason).toMatch(/on a 2048 x 10 x 2 online calibration problem/);
  });

  it('fails with a BackendUnavailableError listing the reasons when nothing can run', async () => {
    const attempt = resolveBackend({ backend: 'auto', providers: [unavailableProvider], shape });
    await expect(attempt).rejects.toSatisfy(
      (error) =>
        BackendUnavailableError.isInstance(error) &&
        /no backend could run: nowhere \(.*no such device here\)/.test(error.message),
    );
  });
});

describe('resolveBackend by name or value', () => {
  it('forces a backend by name and uses a backend value as given', async () => {
    const byName = await resolveBackend({
      backend: 'js',
      providers: [wasmBackendProvider, jsBackendProvider],
      shape,
    });
    expect(byName.backend.name).toBe('js');
    expect(byName.reason).toBe('js: asked for by name');
    const backend = createJsBackend();
    const byValue = await resolveBackend({ backend, shape });
    expect(byValue.backend).toBe(backend);
    expect(byValue.calibration).toEqual([]);
  });

  it('rejects an unknown name with an InvalidArgumentError that lists the names', async () => {
    const attempt = resolveBackend({ backend: 'cuda', providers: [jsBackendProvider], shape });
    await expect(attempt).rejects.toSatisfy(
      (error) =>
        InvalidArgumentError.isInstance(error) &&
        error.argumentName === 'backend' &&
        error.message.includes("one of 'js'"),
    );
  });

  it('passes on the reason of a named backend that cannot run', async () => {
    const attempt = resolveBackend({ backend: 'nowhere', providers: [unavailableProvider], shape });
    await expect(attempt).rejects.toSatisfy(
      (error) => BackendUnavailableError.isInstance(error) && error.backend === 'nowhere',
    );
  });
});

describe('optional backend packages', () => {
  it('are either loaded as providers or reported missing with a reason', async () => {
    const { providers, missing } = await loadOptionalBackendProviders();
    for (const name of Object.keys(OPTIONAL_BACKEND_PACKAGES)) {
      const loaded = providers.some((provider) => provider.name === name);
      expect(loaded || typeof missing[name] === 'string').toBe(true);
      if (!loaded) expect(missing[name]).toMatch(/@sinkflow\/backend-/);
    }
  });
});

describe("createSinkhornProblem with backend: 'auto'", () => {
  it('solves on the calibrated backend and reports why it was chosen', async () => {
    const x = createPointCloud(
      new Float32Array(40 * 2).map((_, k) => Math.sin(k)),
      { d: 2 },
    );
    const y = createPointCloud(
      new Float32Array(30 * 2).map((_, k) => Math.cos(k)),
      { d: 2 },
    );
    const problem = await createSinkhornProblem({
      x,
      y,
      backend: 'auto',
      backendProviders: [slowProvider('slow', 5), jsBackendProvider],
    });
    try {
      expect(problem.backend).toBe('js');
      expect(problem.backendChoice.reason).toMatch(/^auto: js/);
      const solution = await problem.solve();
      expect(solution.converged).toBe(true);
      expect(solution.backend).toBe('js');
    } finally {
      await problem.dispose();
    }
  });

  it('keeps the default backend without calibrating when none is given', async () => {
    const x = createPointCloud(new Float32Array([0, 1, 2]), { d: 1 });
    const problem = await createSinkhornProblem({ x, y: x });
    try {
      expect(problem.backendChoice.calibration).toEqual([]);
      expect(problem.backendChoice.reason).toMatch(/the default backend$/);
    } finally {
      await problem.dispose();
    }
  });

  it('calibrates a short, fixed problem: every available candidate gets a time', async () => {
    const results = await calibrateBackends([wasmBackendProvider, jsBackendProvider], {
      n: 128,
      m: 128,
      d: 4,
      mode: 'dense',
    });
    for (const entry of results) expect(entry.secondsPerIteration).toBeGreaterThan(0);
  });
});
