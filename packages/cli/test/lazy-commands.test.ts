import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { LazyCommand } from '../src/cli/command.js';
import { runCli } from '../src/cli/run-cli.js';
import { allCommands } from '../src/commands/all-commands.js';

function capture() {
  let text = '';
  const stream = new Writable({
    write(chunk, _encoding, done) {
      text += String(chunk);
      done();
    },
  });
  return { stream, text: () => text };
}

describe('lazy command modules', () => {
  it('each entry loads the command of its name, whose summary is the one listed', async () => {
    for (const entry of allCommands) {
      const command = await entry.load();
      expect(command.name).toBe(entry.name);
      expect(command.summary).toBe(entry.summary);
      expect(command.help.trim()).toMatch(/^Usage: sinkflow /);
    }
  });

  it('--help, --version and an unknown command load no command module', async () => {
    const refusing: LazyCommand[] = allCommands.map((entry) => ({
      name: entry.name,
      summary: entry.summary,
      load: () => Promise.reject(new Error(`${entry.name} was loaded`)),
    }));
    for (const [argv, expected] of [
      [['--help'], 0],
      [['--version'], 0],
      [['nonsense'], 2],
      [[], 2],
    ] as const) {
      const stdout = capture();
      const stderr = capture();
      const code = await runCli(argv, refusing, { stdout: stdout.stream, stderr: stderr.stream });
      expect(code).toBe(expected);
      expect(stderr.text()).not.toMatch(/was loaded/);
    }
  });

  it('--version prints the version of @sinkflow/cli', async () => {
    const manifest = JSON.parse(
      readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
    ) as { version: string };
    const stdout = capture();
    const code = await runCli(['--version'], allCommands, {
      stdout: stdout.stream,
      stderr: capture().stream,
    });
    expect(code).toBe(0);
    expect(stdout.text()).toBe(`${manifest.version}\n`);
  });
});
