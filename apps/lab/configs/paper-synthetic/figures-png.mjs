// PNG images of figures of a `sinkflow report` HTML file, for docs: each `#figure-<id>` element
// drawn by headless Chromium (Debian's `chromium`, or CHROMIUM_PATH) and saved as OUT_DIR/<id>.png.
//
//   node apps/lab/configs/paper-synthetic/figures-png.mjs report.html OUT_DIR ID [ID ...]
//
// IDs are the report's figure ids (`reconstruction-n-piecewise-affine-d16`); `--list` prints them.
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

const [report, out, ...ids] = process.argv.slice(2);
if (report === undefined || out === undefined) {
  console.error('usage: node figures-png.mjs REPORT.html OUT_DIR ID [ID ...] | --list');
  process.exit(2);
}
// playwright-core is a development dependency of @sinkflow/cli (its browser tests).
const require = createRequire(join(import.meta.dirname, '../../../../packages/cli/package.json'));
const { chromium } = require('playwright-core');
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
  await page.goto(`file://${resolve(report)}`);
  const all = await page
    .locator('figure[id^="figure-"]')
    .evaluateAll((figures) => figures.map((figure) => figure.id.slice('figure-'.length)));
  if (out === '--list' || ids.length === 0) {
    console.log(all.join('\n'));
  } else {
    mkdirSync(out, { recursive: true });
    for (const id of ids) {
      if (!all.includes(id)) {
        console.error(`no figure ${id} in ${report}`);
        process.exitCode = 2;
        continue;
      }
      const file = join(out, `${id}.png`);
      await page.locator(`#figure-${id}`).screenshot({ path: file });
      console.log(file);
    }
  }
} finally {
  await browser.close();
}
