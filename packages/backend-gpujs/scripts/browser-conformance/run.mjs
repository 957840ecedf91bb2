// Runs the conformance suite on gpu.js's GPU modes in headless Chromium, where WebGPU and WebGL
// run on SwiftShader (a CPU implementation of Vulkan and GL): the WGSL and GLSL that gpu.js
// generates from our kernels are compiled and executed for real, on machines without a GPU and
// without a libstdc++ new enough for Dawn in Node. test/browser-gpu-modes.test.ts runs it under
// vitest; it needs Chromium (Debian: apt-get install chromium; .ci/run installs it) and
// playwright-core (a devDependency).
// Usage: node scripts/browser-conformance/run.mjs [modes=webgpu,webgl2,webgl] [chromium path]
import { createServer } from 'node:http';
import { builtinModules, createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const packageRoot = join(here, '..', '..');
const modes = process.argv[2] ?? 'webgpu,webgl2,webgl';
const executablePath = process.argv[3] ?? '/usr/bin/chromium';
const require = createRequire(join(packageRoot, 'package.json'));

let chromium;
try {
  const playwright = await import(require.resolve('playwright-core'));
  chromium = playwright.chromium ?? playwright.default.chromium;
} catch {
  console.error('playwright-core is not installed: npm install --no-save playwright-core');
  process.exit(2);
}
// esbuild comes with tsup, the workspace's bundler.
const esbuild = require(createRequire(require.resolve('tsup')).resolve('esbuild'));
const bundled = await esbuild.build({
  entryPoints: [join(here, 'entry.ts')],
  bundle: true,
  write: false,
  format: 'esm',
  platform: 'browser',
  mainFields: ['browser', 'module', 'main'],
  // Node built-ins are reached only in Node (the webgpu package, the gl diagnosis, and the
  // dynamic imports of @sinkflow/ot's wasm backend, which tsup writes without the node: prefix).
  external: [...builtinModules, ...builtinModules.map((name) => `node:${name}`)],
  nodePaths: [join(packageRoot, 'node_modules')],
  logLevel: 'error',
});
const script = bundled.outputFiles[0].contents;
const page = `<!doctype html><title>running</title><pre id="log"></pre><script type="module" src="/bundle.js"></script>`;
const server = createServer((request, response) => {
  const isScript = request.url === '/bundle.js';
  response.writeHead(200, { 'content-type': isScript ? 'text/javascript' : 'text/html' });
  response.end(isScript ? script : page);
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const browser = await chromium.launch({
  executablePath,
  headless: true,
  args: [
    '--no-sandbox',
    '--enable-unsafe-webgpu',
    '--enable-features=Vulkan',
    '--use-vulkan=swiftshader',
    '--use-webgpu-adapter=swiftshader',
    '--use-angle=swiftshader',
    '--enable-unsafe-swiftshader',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-quic',
  ],
});
try {
  const tab = await browser.newPage();
  await tab.goto(`http://127.0.0.1:${server.address().port}/?modes=${modes}`);
  await tab.waitForFunction(() => document.title === 'done', null, { timeout: 600_000 });
  const log = await tab.textContent('#log');
  console.log(log);
  process.exitCode = /FAIL|ERROR/.test(log ?? '') ? 1 : 0;
} finally {
  await browser.close();
  server.close();
}
