import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
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

/**
 * Writes `html` to test-output/NAME.html, opens it in headless Chromium, runs `check` on the page,
 * screenshots it to NAME.png and expects no page or console error.
 */
async function checkInBrowser(
  name: string,
  html: string,
  check: (page: Page) => Promise<void>,
): Promise<void> {
  mkdirSync(output, { recursive: true });
  const file = join(output, `${name}.html`);
  writeFileSync(file, html);
  const browser = await chromium.launch({
    executablePath,
    args: ['--no-sandbox', '--disable-gpu'],
  });
  try {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    await page.goto(`file://${file}`);
    await check(page);
    await page.screenshot({ path: join(output, `${name}.png`), fullPage: true });
    expect(problems).toEqual([]);
  } finally {
    await browser.close();
  }
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
      for (const id of ['time-n', 'pair-error-n', 'projection-error-n']) {
        // Against n: one line per relative epsilon (4), two sizes each.
        expect(await page.locator(`#figure-${id} svg g[aria-label="line"] path`).count()).toBe(4);
      }
      expect(await page.locator('#figure-time-n .plot').textContent()).toContain(
        'OT batch size n (points per side)',
      );
      expect(await page.locator('#figure-time-entropy .plot').textContent()).toContain(
        'Sinkhorn time per example (s)',
      );
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
      expect(await page.locator('figure[id^="figure-"]').count()).toBe(8);
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

  it('draws the comparison of the runs, their samples and trajectories (the quickstart report)', async () => {
    const point = (k: number) => [Math.cos(k), Math.sin(k)];
    const trainRun = (name: string, coupling: string, curvature: number): RunRecord => ({
      id: name,
      sweep: 'quickstart',
      kind: 'train',
      config: { benchmark: 'piecewise-affine', d: 4, n: null, coupling, targetEntropy: null },
      status: 'done',
      metrics: {
        name,
        coupling,
        curvature,
        reconstruction: 2 * curvature,
        bpd: 2.8,
        trainSeconds: 20,
        renormalizedEntropy: name === 'ot-fm' ? 0.2 : null,
        samples: JSON.stringify({
          generated: Array.from({ length: 50 }, (_, k) => point(k)),
          target: Array.from({ length: 40 }, (_, k) => point(k + 0.5)),
          projected: true,
        }),
        trajectories: JSON.stringify([
          [
            [0, 0],
            [1, 1],
          ],
          [
            [1, 0],
            [0, 1],
          ],
        ]),
      },
      seconds: 21,
      error: null,
      updatedAt: '2026-12-07 08:00:00',
    });
    const runs = [
      trainRun('i-fm', 'independent', 24.4),
      trainRun('ot-fm', 'precomputed', 3.9),
      trainRun('supervised', 'supervised', 0.93),
    ];
    const html = await renderReport({ title: 'quickstart report', runs });
    await checkInBrowser('quickstart-report', html, async (page) => {
      // One bar chart per metric, three bars each; the table gives the differences against I-FM.
      expect(await page.locator('#comparison .bar').count()).toBe(4);
      expect(
        await page.locator('#comparison .bar[data-metric="curvature"] svg rect').count(),
      ).toBeGreaterThanOrEqual(3);
      const table = (await page.locator('table.comparison').textContent()) ?? '';
      expect(table).toContain('-84 %');
      expect(table).toContain('curvature of the flow');
      // Samples against the target: 90 dots a figure; trajectories: one line a path.
      for (const name of ['i-fm', 'ot-fm', 'supervised']) {
        expect(await page.locator(`#figure-samples-${name} svg circle`).count()).toBe(90);
        expect(
          await page.locator(`#figure-trajectories-${name} svg g[aria-label="line"] path`).count(),
        ).toBe(2);
      }
      // One point per run against E says nothing: no such figure.
      expect(await page.locator('#figure-curvature-entropy').count()).toBe(0);
    });
  }, 60_000);
  it('draws the means over seeds with their error bars and the references labelled', async () => {
    const trainRun = (n: number, entropy: number | null, seed: number): RunRecord => ({
      id: `${n}-${entropy}-${seed}`,
      sweep: 'seeds-test',
      kind: 'train',
      config: {
        benchmark: 'piecewise-affine',
        d: 16,
        n,
        targetEntropy: entropy,
        relativeEpsilon: null,
        seed,
        options: entropy === null ? { coupling: 'independent' } : {},
      },
      status: 'done',
      metrics: {
        renormalizedEntropy: entropy,
        curvature: entropy === null ? 8 + seed : 0.5 + entropy + 0.1 * seed,
        reconstruction: 1 + n / 4096 + 0.2 * seed,
        bpd: 2.8 + 0.001 * seed,
        sinkhornSecondsPerExample: entropy === null ? null : 1e-4 * (n / 256),
      },
      seconds: 1,
      error: null,
      updatedAt: '2026-12-07 10:00:00',
    });
    const runs = [
      ...[256, 1024, 4096].flatMap((n) =>
        [0.05, 0.2].flatMap((entropy) => [0, 1, 2].map((seed) => trainRun(n, entropy, seed))),
      ),
      trainRun(256, null, 0),
      trainRun(256, null, 1),
    ];
    const html = await renderReport({ title: 'seeds report', runs });
    await checkInBrowser('seeds-report', html, async (page) => {
      // Against n: 2 lines (E), 3 points each, each with its bar; I-FM dashed, labelled, with its bar.
      const figure = '#figure-reconstruction-n';
      expect(await page.locator(`${figure} svg g[aria-label="line"] path`).count()).toBe(2);
      expect(await page.locator(`${figure} svg g.error-bar line`).count()).toBe(6);
      expect(await page.locator(`${figure} svg g.reference line`).count()).toBe(1);
      expect(await page.locator(`${figure} svg g.reference-error line`).count()).toBe(2);
      expect(await page.locator(`${figure} svg g.reference-label`).textContent()).toBe('I-FM');
      // Against E: one line per n.
      expect(
        await page.locator('#figure-curvature-entropy svg g[aria-label="line"] path').count(),
      ).toBe(3);
      expect(await page.locator('#figure-curvature-entropy figcaption').textContent()).toContain(
        'Mean over 3 seeds',
      );
      // The log n axis is ticked at the batch sizes, in plain numbers (not 1k, 4.1k); the log
      // E axis has plain labels (0.05, not 50m); the legend lists n in numeric order.
      const ticks = async (selector: string) =>
        (
          await page
            .locator(`${selector} svg g[aria-label="x-axis tick label"] text`)
            .allTextContents()
        ).map((text) => text.trim());
      expect(await ticks(figure)).toEqual(['256', '1024', '4096']);
      const entropyTicks = await ticks('#figure-curvature-entropy');
      expect(entropyTicks).toContain('0.05');
      expect(entropyTicks.join(' ')).not.toMatch(/[0-9]m\b/);
      const legend = await page
        .locator('#figure-curvature-entropy [class$="-swatch"]')
        .allTextContents();
      expect(legend.map((text) => text.trim())).toEqual([
        'piecewise-affine d=16 n=256',
        'piecewise-affine d=16 n=1024',
        'piecewise-affine d=16 n=4096',
      ]);
      // Decimals compare as numbers too: E = 0.05 before E = 0.2.
      const entropyLegend = await page.locator(`${figure} [class$="-swatch"]`).allTextContents();
      expect(entropyLegend.map((text) => text.trim())).toEqual([
        'piecewise-affine d=16, E = 0.05',
        'piecewise-affine d=16, E = 0.2',
      ]);
    });
  }, 60_000);

  it('names a reference far off the lines at the frame edge instead of squashing them', async () => {
    // W2-like values: OT-FM between 9.4 and 10.4, supervised 8.9 (near), I-FM 22.6 (far above).
    const run = (id: string, n: number, coupling: string, reconstruction: number): RunRecord => ({
      id,
      sweep: 'off-scale-test',
      kind: 'train',
      config: {
        benchmark: 'w2-mix3to10',
        d: 32,
        n,
        targetEntropy: coupling === 'ot' ? 0.2 : null,
        relativeEpsilon: null,
        seed: 0,
        options: coupling === 'ot' ? {} : { coupling },
      },
      status: 'done',
      metrics: { renormalizedEntropy: coupling === 'ot' ? 0.2 : null, reconstruction },
      seconds: 1,
      error: null,
      updatedAt: '2026-12-07 10:00:00',
    });
    const runs = [
      run('a', 256, 'ot', 10.4),
      run('b', 1024, 'ot', 9.9),
      run('c', 4096, 'ot', 9.4),
      run('i', 256, 'independent', 22.6),
      run('s', 256, 'supervised', 8.9),
    ];
    const html = await renderReport({ title: 'off-scale report', runs });
    await checkInBrowser('off-scale-report', html, async (page) => {
      const figure = '#figure-reconstruction-n';
      // supervised is drawn as a line; I-FM is named at the top edge with its value.
      expect(await page.locator(`${figure} svg g.reference line`).count()).toBe(1);
      expect(await page.locator(`${figure} svg g.reference-label`).textContent()).toBe(
        'supervised',
      );
      expect(await page.locator(`${figure} svg g.reference-off-scale`).textContent()).toBe(
        'I-FM 22.6 \u2191',
      );
      const yTicks = (
        await page.locator(`${figure} svg g[aria-label="y-axis tick label"] text`).allTextContents()
      ).map(Number);
      expect(Math.max(...yTicks)).toBeLessThan(11);
    });
  }, 60_000);

  it('draws Dopri5 as a diamond in its model colour, and 12 models in 12 colours', async () => {
    // 12 Fashion-MNIST models (I-FM and 11 OT-FM): more than the default 10 colours.
    const runs: RunRecord[] = Array.from({ length: 12 }, (_, k) => ({
      id: `images-${k}`,
      sweep: 'images',
      kind: 'images',
      config:
        k === 0
          ? { coupling: 'independent', n: null, targetEntropy: 1 }
          : { coupling: 'sinkhorn', n: 1024 * k, targetEntropy: 0.1 },
      status: 'done',
      metrics: {
        'frechet-euler-2': 200 - k,
        'frechet-euler-4': 150 - k,
        'frechet-euler-8': 120 - k,
        'frechet-euler-16': 110 - k,
        'frechet-dopri5': 100 - k,
        'functionEvaluations-dopri5': 40 + k,
      },
      seconds: 1,
      error: null,
      updatedAt: '2026-12-07 10:00:00',
    }));
    const html = await renderReport({ title: 'images report', runs });
    await checkInBrowser('images-report', html, async (page) => {
      const figure = '#figure-images-frechet-steps';
      expect(await page.locator(`${figure} svg g[aria-label="line"] path`).count()).toBe(12);
      const colour = (selector: string) =>
        page
          .locator(selector)
          .evaluateAll((nodes) => nodes.map((node) => node.getAttribute('stroke')));
      const lineColours = await colour(`${figure} svg g[aria-label="line"] path`);
      const dotColours = await colour(`${figure} svg g.dot-point path`);
      expect(new Set(lineColours).size).toBe(12);
      // One diamond per model, each in the colour of that model's line (same order: the runs').
      expect(dotColours).toHaveLength(12);
      expect(new Set(dotColours)).toEqual(new Set(lineColours));
    });
  }, 60_000);
});
