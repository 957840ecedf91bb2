// The browser side of run.mjs: the conformance suite of @sinkflow/ot on the gpu.js GPU modes
// (webgpu, webgl2, webgl: the GLSL of headless GL), with the default caps and with tiny ones
// (many blocks, tiles and chunks), then one larger soft-min pass against a float64 reference.
import { backendConformanceCases } from '@sinkflow/ot/testing';
import { createGpujsBackend, probeGpujsMode } from '../../src/index.js';
import { loadGpujs } from '../../src/internal/gpujs-module.js';
import { prepareGpujsKernel } from '../../src/internal/prepare-gpujs-kernel.js';

const lines: string[] = [];
function say(line: string): void {
  lines.push(line);
  const log = document.getElementById('log');
  if (log !== null) log.textContent = lines.join('\n');
}

async function main(): Promise<void> {
  const probe = await probeGpujsMode({ mode: 'webgpu', timeout: 20_000 });
  say(`probe webgpu: ${JSON.stringify(probe)}`);
  const gpujs = await loadGpujs();
  if (typeof gpujs === 'string') throw new Error(gpujs);
  const modes = (new URLSearchParams(location.search).get('modes') ?? 'webgpu,webgl2,webgl').split(
    ',',
  );
  for (const mode of modes) {
    for (const tile of [5, 256]) {
      const limits =
        tile === 5 ? { maxCells: 96, maxDimension: 12, maxArgumentLength: 512 } : undefined;
      const backend = {
        specificationVersion: 'v1' as const,
        name: `gpujs-${mode}-tile-${tile}`,
        // webgl2 and webgl are gpu.js modes of the browser, not GpujsMode values.
        prepare: (problem: Parameters<typeof prepareGpujsKernel>[0]) =>
          prepareGpujsKernel(problem, {
            gpujs,
            mode: mode as 'webgpu',
            tile,
            threads: undefined,
            ...(limits === undefined ? {} : { limits }),
          }),
      };
      const failures: string[] = [];
      for (const conformance of backendConformanceCases()) {
        try {
          await conformance.run(backend);
        } catch (error) {
          failures.push(`${conformance.name}: ${(error as Error).message.slice(0, 300)}`);
        }
      }
      const total = backendConformanceCases().length;
      say(`${mode}, tile ${tile}: ${total - failures.length} passed, ${failures.length} failed`);
      for (const failure of failures) say(`  FAIL ${failure}`);
    }
  }
  if (!probe.available) return;
  const backend = await createGpujsBackend({ mode: 'webgpu' });
  const [n, m, d, epsilon] = [3000, 2500, 16, 0.05];
  const x = new Float32Array(n * d).map((_, k) => 0.5 * Math.sin(k * 0.37));
  const y = new Float32Array(m * d).map((_, k) => 0.5 * Math.cos(k * 0.11));
  const g = new Float64Array(m).map((_, j) => 0.3 * Math.sin(j));
  const kernel = await backend.prepare({ x, y, n, m, d, mode: 'online' });
  const out = new Float64Array(n);
  const started = performance.now();
  await kernel.logSumExp({ side: 'rows', offsets: g, epsilon, out });
  const seconds = (performance.now() - started) / 1000;
  await kernel.dispose();
  let worst = 0;
  for (const i of [0, 1, 777, n - 1]) {
    const values = Array.from({ length: m }, (_, j) => {
      let dot = 0;
      for (let c = 0; c < d; c += 1) dot += (x[i * d + c] as number) * (y[j * d + c] as number);
      return (g[j] as number) + dot;
    });
    const top = Math.max(...values);
    const sum = values.reduce((total, value) => total + Math.exp((value - top) / epsilon), 0);
    worst = Math.max(worst, Math.abs(top + epsilon * Math.log(sum) - (out[i] as number)));
  }
  say(`webgpu rows pass n=${n} m=${m} d=${d}: ${seconds.toFixed(3)} s, worst error ${worst}`);
}

main().then(
  () => {
    say('DONE');
    document.title = 'done';
  },
  (error: unknown) => {
    say(`ERROR ${error instanceof Error ? error.stack : String(error)}`);
    document.title = 'done';
  },
);
