import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { build } from 'esbuild';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain module shared with the page (no declarations)
import { solveExample } from './solve-example.mjs';

// The wasm backend of @sinkflow/ot's browser build in Debian's headless Chromium: the same
// kernels as in Node (same iterations and results), Web Workers over shared memory on a
// cross-origin isolated page (from the page's main thread, which polls, and from a worker, which
// blocks), one thread elsewhere, and `backend: 'auto'` saying which and why.
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

interface Solved {
  readonly reason: string;
  readonly description: string;
  readonly converged: boolean;
  readonly iterations: number;
  readonly transportCost: number;
  readonly renormalizedEntropy: number;
  readonly f: number[];
}

let browser: Browser;
let server: Server;
let origin: string;

async function bundle(contents: string): Promise<string> {
  const result = await build({
    stdin: { contents, resolveDir: join(import.meta.dirname), loader: 'js' },
    bundle: true,
    platform: 'browser',
    format: 'esm',
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0]?.text ?? '';
}

beforeAll(async () => {
  if (!existsSync(executablePath)) return;
  const page = await bundle(
    "import { solveExample } from './solve-example.mjs';\nglobalThis.solveExample = solveExample;\n",
  );
  const worker = await bundle(
    "import { solveExample } from './solve-example.mjs';\nself.onmessage = async (event) => self.postMessage(await solveExample(event.data));\n",
  );
  server = createServer((request, response) => {
    const url = request.url ?? '/';
    const isolation = url.startsWith('/isolated/')
      ? {
          'cross-origin-opener-policy': 'same-origin',
          'cross-origin-embedder-policy': 'require-corp',
        }
      : {};
    const script = url.endsWith('/page.js') ? page : url.endsWith('/worker.js') ? worker : null;
    response.writeHead(200, {
      'content-type': script === null ? 'text/html' : 'text/javascript',
      ...isolation,
    });
    response.end(
      script ??
        '<!doctype html><meta charset="utf-8"><script type="module" src="page.js"></script>',
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  origin = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
  browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
});

afterAll(async () => {
  await browser?.close();
  server?.close();
});

async function inPage(
  kind: 'isolated' | 'plain',
  where: 'main' | 'worker',
  options: { threads: number },
) {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  try {
    await page.goto(`${origin}/${kind}/`);
    await page.waitForFunction(() => 'solveExample' in globalThis);
    const solved = (await page.evaluate(
      ({ where, options }) => {
        const run = (globalThis as unknown as { solveExample: (o: object) => Promise<unknown> })
          .solveExample;
        if (where === 'main') return run(options);
        return new Promise((resolve, reject) => {
          const worker = new Worker('worker.js', { type: 'module' });
          worker.onmessage = (event) => resolve(event.data);
          worker.onerror = (event) => reject(new Error(event.message));
          worker.postMessage(options);
        });
      },
      { where, options },
    )) as Solved;
    return { solved, errors, isolated: await page.evaluate(() => crossOriginIsolated) };
  } finally {
    await page.close();
  }
}

describe.skipIf(!existsSync(executablePath))('the wasm backend in headless Chromium', () => {
  it('gives Node results on 2 threads, from the main thread and from a worker, when isolated', async () => {
    const node = (await solveExample({ threads: 2 })) as Solved;
    expect(node.converged).toBe(true);
    for (const where of ['main', 'worker'] as const) {
      const { solved, errors, isolated } = await inPage('isolated', where, { threads: 2 });
      expect(isolated).toBe(true);
      expect(errors).toEqual([]);
      expect(solved.description).toBe('WebAssembly SIMD128 on 2 threads');
      expect(solved.iterations, where).toBe(node.iterations);
      expect(solved.transportCost).toBeCloseTo(node.transportCost, 10);
      expect(solved.renormalizedEntropy).toBeCloseTo(node.renormalizedEntropy, 10);
      for (const [index, value] of solved.f.entries()) {
        expect(value).toBeCloseTo(node.f[index] as number, 8);
      }
    }
  });

  it("runs on one thread, and backend 'auto' says why, when the page is not isolated", async () => {
    const auto = await inPage('isolated', 'worker', { threads: 0 });
    expect(auto.solved.reason).toMatch(
      /^auto: wasm \(WebAssembly SIMD128 on all available threads\) at [\d.]+ ms per iteration/,
    );
    const plain = await inPage('plain', 'main', { threads: 0 });
    expect(plain.isolated).toBe(false);
    expect(plain.errors).toEqual([]);
    expect(plain.solved.reason).toMatch(
      /^auto: wasm \(WebAssembly SIMD128 on 1 thread: the page is not cross-origin isolated/,
    );
    const node = (await solveExample({ threads: 1 })) as Solved;
    expect(plain.solved.iterations).toBe(node.iterations);
    expect(plain.solved.transportCost).toBeCloseTo(node.transportCost, 10);
  });
});
