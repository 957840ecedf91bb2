import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { renderReport } from '../src/report/render-report.js';
import { sconesFigures } from '../src/report/scones-figures.js';
import type { RunRecord } from '../src/sweep/results-store.js';

const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const output = join(import.meta.dirname, '..', 'test-output');

function sconesRun(d: number, scones: number, projection: number): RunRecord {
  return {
    id: `scones-d${d}-seed0-benchmark0-paper`,
    sweep: 'scones',
    kind: 'scones',
    config: { benchmark: 'gaussian', d, lambda: 2 * d, budget: 'paper', seed: 0, benchmarkSeed: 0 },
    status: 'done',
    metrics: { bwUvpScones: scones, bwUvpBarycentricProjection: projection },
    seconds: 1,
    error: null,
    updatedAt: '2026-12-04 12:00:00',
  };
}

const runs = [sconesRun(2, 0.0115, 25.9), sconesRun(16, 0.079, 49.1), sconesRun(64, 0.287, 49.7)];

describe('the SCONES figure of the report', () => {
  it('has one point per run and method, and nothing without SCONES runs', () => {
    const [figure] = sconesFigures(runs);
    expect(figure?.points).toHaveLength(6);
    expect(figure?.points).toContainEqual({ d: 64, bwUvp: 49.7, method: 'barycentric projection' });
    expect(sconesFigures([{ ...runs[0], kind: 'coupling' } as RunRecord])).toEqual([]);
  });

  it.skipIf(!existsSync(executablePath))(
    'renders in headless Chromium with two lines and no console errors',
    async () => {
      const html = await renderReport({ title: 'scones browser test', runs });
      mkdirSync(output, { recursive: true });
      const file = join(output, 'scones-report.html');
      writeFileSync(file, html);
      const browser = await chromium.launch({
        executablePath,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--no-first-run',
          '--disable-background-networking',
        ],
      });
      try {
        const page = await browser.newPage();
        const problems: string[] = [];
        page.on('console', (message) => {
          if (message.type() === 'error') problems.push(message.text());
        });
        page.on('pageerror', (error) => problems.push(error.message));
        await page.goto(`file://${file}`);
        const lines = await page
          .locator('#figure-scones-bw-uvp svg g[aria-label="line"] path')
          .count();
        expect(lines).toBe(2);
        expect(problems).toEqual([]);
      } finally {
        await browser.close();
      }
    },
    60_000,
  );
});
