import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { renderReport } from '../src/report/render-report.js';
import type { RunRecord } from '../src/sweep/results-store.js';

const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const output = join(import.meta.dirname, '..', 'test-output');

function couplingRun(id: string, n: number, relativeEpsilon: number, entropy: number): RunRecord {
  return {
    id,
    sweep: 'browser-test',
    kind: 'coupling',
    config: {
      benchmark: 'piecewise-affine',
      d: 8,
      n,
      targetEntropy: null,
      relativeEpsilon,
      seed: 0,
    },
    status: 'done',
    metrics: {
      renormalizedEntropy: entropy,
      relativeEpsilon,
      sinkhornSecondsPerExample: 1e-4 * (1 - entropy) + 1e-5,
      pairMapError: 0.1 + entropy,
      projectionError: 0.05 + entropy / 2,
    },
    seconds: 1,
    error: null,
    updatedAt: '2026-11-23 12:00:00',
  };
}

if (!existsSync(executablePath)) {
  console.warn(
    `report browser test skipped: no Chromium at ${executablePath} (apt-get install chromium, or set CHROMIUM_PATH)`,
  );
}

describe.skipIf(!existsSync(executablePath))('the HTML report in headless Chromium', () => {
  it('renders every figure with its marks, offline and without console errors', async () => {
    const runs = [
      ...[0.01, 0.03, 0.1, 0.3].map((epsilon, k) =>
        couplingRun(`a${k}`, 256, epsilon, 0.05 + 0.2 * k),
      ),
      ...[0.01, 0.03, 0.1, 0.3].map((epsilon, k) =>
        couplingRun(`b${k}`, 1024, epsilon, 0.04 + 0.2 * k),
      ),
      {
        ...couplingRun('c0', 256, 0.5, 0.9),
        status: 'failed' as const,
        metrics: null,
        error: 'out of memory <script>',
      },
      {
        ...couplingRun('t0', 256, 0.1, 0.2),
        kind: 'train',
        config: {
          benchmark: 'moons',
          d: 2,
          n: 256,
          targetEntropy: 0.2,
          relativeEpsilon: null,
          seed: 0,
        },
        metrics: {
          coupling: 'ot',
          trajectories: JSON.stringify([
            [
              [0, 0],
              [0.5, 0.5],
              [1, 1],
            ],
            [
              [1, 0],
              [1, 0.5],
              [1, 1.2],
            ],
            [
              [-1, 0],
              [-0.5, -0.2],
              [0, -0.3],
            ],
          ]),
        },
      },
    ];
    const html = await renderReport({ title: 'browser test', runs });
    mkdirSync(output, { recursive: true });
    const file = join(output, 'report.html');
    writeFileSync(file, html);
    const browser = await chromium.launch({
      executablePath,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    try {
      const page = await browser.newPage();
      const problems: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(message.text());
      });
      page.on('pageerror', (error) => problems.push(error.message));
      // Offline: any request leaving the file would be a dependency on the network.
      const requests: string[] = [];
      page.on('request', (request) => {
        if (!request.url().startsWith('file:')) requests.push(request.url());
      });
      await page.goto(`file://${file}`);
      for (const id of [
        'entropy-epsilon',
        'time-entropy',
        'pair-error-entropy',
        'projection-error-entropy',
      ]) {
        const lines = await page.locator(`#figure-${id} svg g[aria-label="line"] path`).count();
        const dots = await page
          .locator(`#figure-${id} svg g[aria-label="line"] marker, #figure-${id} svg marker`)
          .count();
        expect(lines, `${id} draws one line per series`).toBe(2);
        expect(dots, `${id} marks its points`).toBeGreaterThan(0);
      }
      expect(await page.locator('figure[id^="figure-"]').count()).toBe(5);
      // The 2-D training run's trajectories: one line per path.
      expect(
        await page.locator('#figure-trajectories-t0 svg g[aria-label="line"] path').count(),
      ).toBe(3);
      expect(await page.locator('tbody tr').count()).toBe(10);
      expect(await page.locator('tbody').innerHTML()).toContain('out of memory &lt;script&gt;');
      await page.screenshot({ path: join(output, 'report.png'), fullPage: true });
      expect(problems).toEqual([]);
      expect(requests).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
