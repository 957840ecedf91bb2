#!/usr/bin/env node
/**
 * `pnpm sinkflow <command> [options]`: builds @sinkflow/cli and what it depends on when something
 * changed (turbo, cached), then runs its `sinkflow` bin with the arguments. Turbo's log is kept
 * out of the way: it is printed on stderr only when the build fails, so stdout holds the command's
 * output alone (and `--json -` stays parseable).
 */
import { spawn, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const build = spawnSync(
  'turbo',
  ['run', 'build', '--filter=@sinkflow/cli...', '--output-logs=errors-only'],
  {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1' },
    shell: process.platform === 'win32',
  },
);
if (build.status !== 0) {
  process.stderr.write(build.stdout ?? '');
  process.stderr.write(build.stderr ?? '');
  if (build.error)
    process.stderr.write(`pnpm sinkflow: cannot run turbo: ${build.error.message}\n`);
  process.stderr.write('pnpm sinkflow: the build of @sinkflow/cli failed (log above)\n');
  process.exit(1);
}

const child = spawn(
  process.execPath,
  [join(root, 'packages/cli/dist/cli.js'), ...process.argv.slice(2)],
  { stdio: 'inherit' },
);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('close', (code, signal) => {
  if (signal !== null) process.kill(process.pid, signal);
  else process.exit(code ?? 1);
});
