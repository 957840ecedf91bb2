import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { serveStatic } from './serve-static.js';

// The built playground in real headless Chromium (Debian's /usr/bin/chromium driven by
// playwright-core, no browser download): a coupling and a short training of both flows, the
// drawn result, and a page that logged no error. The screenshot is kept in test-output/.
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const built = join(import.meta.dirname, '..', 'dist');
const output = join(import.meta.dirname, '..', 'test-output');
const available = existsSync(executablePath) && existsSync(join(built, 'index.html'));

if (!available) {
  console.warn(
    `playground browser test skipped: needs ${executablePath} (apt-get install chromium, or set CHROMIUM_PATH) and a built playground (pnpm build)`,
  );
}

/** What a pixel of the figures is: a grey line over white, a blue source dot, an orange target dot. */
type Ink = 'grey' | 'blue' | 'orange';

/** Pixels of a canvas drawn in the given ink. */
async function countPixels(page: Page, id: string, ink: Ink): Promise<number> {
  return page.evaluate(
    ({ id, ink }) => {
      const canvas = document.getElementById(id) as HTMLCanvasElement;
      const context = canvas.getContext('2d') as CanvasRenderingContext2D;
      const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
      let count = 0;
      for (let k = 0; k < data.length; k += 4) {
        const r = data[k] as number;
        const g = data[k + 1] as number;
        const b = data[k + 2] as number;
        const grey = Math.max(r, g, b) - Math.min(r, g, b) < 16 && r > 120 && r < 232;
        if (ink === 'grey' ? grey : ink === 'blue' ? b - r > 60 : r - b > 60) count += 1;
      }
      return count;
    },
    { id, ink },
  );
}

describe.skipIf(!available)('the playground in headless Chromium', () => {
  it('couples two clouds, trains I-FM and OT-FM, draws them, and logs no error', async () => {
    const { origin, server } = await serveStatic(built);
    const browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
    const problems: string[] = [];
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(`console: ${message.text()}`);
      });
      page.on('pageerror', (error) => problems.push(`page: ${error.message}`));
      await page.goto(`${origin}/`);
      await page.waitForSelector('body[data-coupling="idle"]');
      expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);

      // The coupling: 512 points of 8 Gaussians to two moons at E = 0.1.
      await page.click('#couple');
      await page.waitForSelector('body[data-coupling="done"], body[data-coupling="error"]', {
        timeout: 120_000,
      });
      const status = await page.textContent('#status');
      expect(await page.getAttribute('body', 'data-coupling'), status ?? '').toBe('done');
      expect(status).toMatch(/^auto: wasm \(WebAssembly SIMD128 on all available threads\)/);
      const result = (await page.textContent('#coupling-result')) ?? '';
      const entropy = Number(/E (\d\.\d+)/.exec(result)?.[1]);
      expect(Math.abs(entropy - 0.1), result).toBeLessThan(0.01);
      expect(result).toMatch(/^epsilon \d/);
      // Lines between pairs are grey on white (the axes, #eee, are lighter); the clouds blue and orange.
      expect(await countPixels(page, 'coupling-canvas', 'grey')).toBeGreaterThan(2000);
      expect(await countPixels(page, 'coupling-canvas', 'blue')).toBeGreaterThan(300);
      expect(await countPixels(page, 'coupling-canvas', 'orange')).toBeGreaterThan(300);
      // The plan's density: blue cells where sampled pairs fell, white elsewhere.
      expect(await countPixels(page, 'plan-canvas', 'blue')).toBeGreaterThan(500);

      // A short training of both flows, then their animation.
      await page.fill('#steps', '60');
      await page.click('#train');
      await page.waitForSelector('body[data-training="done"], body[data-training="error"]', {
        timeout: 180_000,
      });
      expect(
        await page.getAttribute('body', 'data-training'),
        (await page.textContent('#status')) ?? '',
      ).toBe('done');
      expect(await page.textContent('#ifm-result')).toMatch(/loss \d/);
      expect(await page.textContent('#otfm-result')).toMatch(/loss \d.*E 0\.\d/);
      await page.waitForTimeout(3000); // the animation reaches t = 1
      mkdirSync(output, { recursive: true });
      await page.screenshot({ path: join(output, 'playground.png'), fullPage: true });
      for (const id of ['ifm-canvas', 'otfm-canvas']) {
        expect(await countPixels(page, id, 'blue'), `${id} ${problems.join('; ')}`).toBeGreaterThan(
          100,
        );
      }
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
      server.close();
    }
  });
});
