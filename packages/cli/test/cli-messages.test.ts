import { Writable } from 'node:stream';
import { InternalError } from '@sinkflow/core';
import { describe, expect, it } from 'vitest';
import type { Command } from '../src/cli/command.js';
import { runCli } from '../src/cli/run-cli.js';
import { sinkflow } from './run-cli-helper.js';

describe('one-line messages of the command line', () => {
  it('demo: a target entropy ot refuses exits 2 naming --target-entropy', async () => {
    const { code, stderr } = await sinkflow('demo', '--target-entropy', '1.5', '--n', '16');
    expect(code).toBe(2);
    expect(stderr).toMatch(/invalid argument '--target-entropy': must be a number in \(0, 1\)/);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });

  it('an InternalError exits 1 and says "internal error" once', async () => {
    const failing: Command = {
      name: 'fail',
      summary: 'throws an InternalError',
      help: 'Usage: sinkflow fail',
      async run() {
        throw new InternalError({ where: 'fail', message: 'an invariant broke' });
      },
    };
    let stderr = '';
    const sink = (append: (text: string) => void) =>
      new Writable({
        write(chunk, _encoding, done) {
          append(String(chunk));
          done();
        },
      });
    const code = await runCli(['fail'], [failing], {
      stdout: sink(() => {}),
      stderr: sink((text) => {
        stderr += text;
      }),
    });
    expect(code).toBe(1);
    expect(stderr).toBe('sinkflow fail: fail: an invariant broke (internal error)\n');
  });
});
