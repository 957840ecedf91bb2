import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { backendConformanceCases } from '@sinkflow/ot/testing';
import { describe, expect, it } from 'vitest';

// gpu.js's GPU modes (WebGPU's WGSL, WebGL2's and WebGL's GLSL, the code headless GL runs too)
// cannot run in Node here: Dawn needs a newer libstdc++ and the gl addon is not built. Headless
// Chromium runs them on SwiftShader (a CPU Vulkan / GL), so the kernels gpu.js generates from ours
// are compiled and executed for real and must pass the conformance suite.
const CHROMIUM = process.env.SINKFLOW_CHROMIUM ?? '/usr/bin/chromium';
const script = fileURLToPath(new URL('../scripts/browser-conformance/run.mjs', import.meta.url));

describe.skipIf(!existsSync(CHROMIUM))(
  `gpu.js GPU modes in headless Chromium (skipped without ${CHROMIUM})`,
  () => {
    it('pass the conformance suite in webgpu and webgl2 modes, with default and tiny tiles', () => {
      const run = spawnSync(process.execPath, [script, 'webgpu,webgl2', CHROMIUM], {
        encoding: 'utf8',
        timeout: 280_000,
      });
      const output = `${run.stdout}\n${run.stderr}`;
      // Every case of the suite (a gpu.js kernel refuses dense16 with the error the suite asks for).
      const cases = backendConformanceCases().length;
      for (const mode of ['webgpu, tile 5', 'webgpu, tile 256', 'webgl2, tile 256']) {
        expect(output).toContain(`${mode}: ${cases} passed, 0 failed`);
      }
      expect(output).not.toMatch(/FAIL|ERROR/);
      expect(run.status, output).toBe(0);
    }, 300_000);
  },
);
