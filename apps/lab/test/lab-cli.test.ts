import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';

// The lab runs its experiments with the `sinkflow` bin of its @sinkflow/cli dependency (built by
// `pnpm build`), as a user who installed the package would.
const require = createRequire(import.meta.url);
const manifestPath = require.resolve('@sinkflow/cli/package.json');
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
  version: string;
  bin: Record<string, string>;
};
const bin = join(dirname(manifestPath), manifest.bin.sinkflow as string);

describe('the lab runs the sinkflow command line of @sinkflow/cli', () => {
  it('sinkflow --version prints the version of @sinkflow/cli', () => {
    expect(execFileSync(process.execPath, [bin, '--version'], { encoding: 'utf8' }).trim()).toBe(
      manifest.version,
    );
  });

  it('sinkflow --help lists the commands the lab uses', () => {
    const help = execFileSync(process.execPath, [bin, '--help'], { encoding: 'utf8' });
    for (const command of ['quickstart', 'solve', 'sweep', 'report', 'bench'])
      expect(help).toMatch(new RegExp(`^  ${command} `, 'm'));
  });
});
