#!/usr/bin/env node
/**
 * The wasm backend in headless Chromium against Node, on the same problem and threads (issue 20):
 * seconds per Sinkhorn iteration (a columns and a rows log-sum-exp pass) at n = m = 4096,
 * d = 16 and 64, dense and online kernels, 1 and 2 threads. The page is bundled with esbuild
 * from @sinkflow/ot's browser build and served twice: cross-origin isolated (COOP / COEP
 * headers: Web Workers over shared memory) and not (one thread). For each case the same kernel is
 * prepared in Node and in the page(s), then blocks of about `--seconds` alternate between them
 * `--rounds` times, so that load from other processes hits both alike; each side reports its
 * fastest block.
 *
 *   npx --yes pnpm@10.34.9 --filter @sinkflow/ot build
 *   node tools/browser-bundles/bench/wasm-browser.bench.mjs [--n 4096] [--d 16,64]
 *     [--modes dense,online] [--threads 1,2] [--seconds 0.5] [--rounds 6]
 *     [--chromium /usr/bin/chromium]
 */
import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { prepareTiming } from './iteration-timing.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
const option = (name, fallback) => {
  const index = argv.indexOf(`--${name}`);
  return index >= 0 ? argv[index + 1] : fallback;
};
const n = Number(option('n', '4096'));
const dimensions = option('d', '16,64').split(',').map(Number);
const modes = option('modes', 'dense,online').split(',');
const threadCounts = option('threads', '1,2').split(',').map(Number);
const seconds = Number(option('seconds', '0.5'));
const rounds = Number(option('rounds', '6'));
const executablePath = option('chromium', process.env.CHROMIUM_PATH ?? '/usr/bin/chromium');

const bundle = await build({
  entryPoints: [join(here, 'page-entry.mjs')],
  bundle: true,
  platform: 'browser',
  format: 'esm',
  write: false,
  logLevel: 'warning',
});
const script = bundle.outputFiles[0].text;
const html = '<!doctype html><meta charset="utf-8"><script type="module" src="/page.js"></script>';
const server = createServer((request, response) => {
  const headers = request.url.startsWith('/isolated')
    ? {
        'cross-origin-opener-policy': 'same-origin',
        'cross-origin-embedder-policy': 'require-corp',
      }
    : {};
  const isScript = request.url.endsWith('/page.js');
  response.writeHead(200, {
    ...headers,
    'content-type': isScript ? 'text/javascript' : 'text/html',
  });
  response.end(isScript ? script : html);
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const origin = `http://127.0.0.1:${server.address().port}`;

const browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
const pages = {};
for (const kind of ['isolated', 'plain']) {
  const page = await browser.newPage();
  page.on('pageerror', (error) => console.error(`page error (${kind}): ${error.message}`));
  await page.goto(`${origin}/${kind}/`);
  await page.waitForFunction(() => typeof globalThis.prepareTiming === 'function');
  pages[kind] = page;
}
const isolated = await pages.isolated.evaluate(() => globalThis.crossOriginIsolated);
console.log(
  `Chromium ${browser.version()}, page cross-origin isolated: ${isolated}; Node ${process.version}`,
);

const ms = (value) => (value * 1000).toFixed(1);
const rows = [];
for (const d of dimensions) {
  for (const mode of modes) {
    for (const threads of threadCounts) {
      const config = { n, d, mode, threads };
      const sides = { node: await prepareTiming(config) };
      const descriptions = { node: sides.node.description };
      const used = threads === 1 ? ['isolated', 'plain'] : ['isolated'];
      for (const kind of used) {
        descriptions[kind] = await pages[kind].evaluate((c) => globalThis.prepareTiming(c), config);
      }
      const first = await sides.node.block(1);
      const count = Math.max(2, Math.min(100, Math.round(seconds / Math.max(first, 1e-4))));
      const best = { node: Number.POSITIVE_INFINITY };
      for (const kind of used) best[kind] = Number.POSITIVE_INFINITY;
      for (let round = 0; round < rounds; round += 1) {
        best.node = Math.min(best.node, await sides.node.block(count));
        for (const kind of used) {
          const time = await pages[kind].evaluate((k) => globalThis.timeBlock(k), count);
          best[kind] = Math.min(best[kind], time);
        }
      }
      await sides.node.dispose();
      for (const kind of used) await pages[kind].evaluate(() => globalThis.disposeTiming());
      rows.push({ d, mode, threads, best, descriptions });
      console.log(
        `n = ${n}, d = ${d}, ${mode}, ${threads} thread(s): Node ${ms(best.node)} ms, ` +
          `Chromium ${ms(best.isolated)} ms (${(best.isolated / best.node).toFixed(2)}x)` +
          (best.plain === undefined ? '' : `, not isolated ${ms(best.plain)} ms`),
      );
    }
  }
}
console.log(`\nnot isolated: ${rows.find((row) => row.descriptions.plain)?.descriptions.plain}`);
console.log(`isolated: ${rows.at(-1)?.descriptions.isolated}`);
await browser.close();
server.close();
