import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRandomGenerator, InvalidArgumentError } from '@sinkflow/core';
import { writeNpyFile } from '@sinkflow/core/node';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseFlags } from '../src/cli/parse-flags.js';
import { sinkflow } from './run-cli-helper.js';

const spec = { epsilon: 'string', x: 'string', json: 'string', quiet: 'boolean' } as const;

/** The InvalidArgumentError that `parse` throws. */
function refusal(parse: () => unknown): InvalidArgumentError {
  try {
    parse();
  } catch (error) {
    if (InvalidArgumentError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected an InvalidArgumentError');
}

describe('parseFlags', () => {
  it('takes a negative number as the value of a flag, with or without =', () => {
    expect(parseFlags('solve', ['--epsilon', '-1'], spec).number('epsilon')).toBe(-1);
    expect(parseFlags('solve', ['--epsilon', '-1e-3'], spec).number('epsilon')).toBe(-1e-3);
    expect(parseFlags('solve', ['--epsilon=-.5'], spec).number('epsilon')).toBe(-0.5);
  });

  it('takes - as a value (--json -)', () => {
    expect(parseFlags('solve', ['--json', '-', '--quiet'], spec).string('json')).toBe('-');
  });

  it('refuses a flag given twice, naming it', () => {
    const error = refusal(() => parseFlags('solve', ['--x', 'a.npy', '--x', 'b.npy'], spec));
    expect(error.argumentName).toBe('--x');
    expect(error.message).toMatch(/given more than once/);
    expect(refusal(() => parseFlags('solve', ['--quiet', '--quiet'], spec)).argumentName).toBe(
      '--quiet',
    );
  });

  it('refuses a stray argument, naming it', () => {
    const error = refusal(() => parseFlags('solve', ['--x', 'a.npy', 'b.npy'], spec));
    expect(error.argumentName).toBe('b.npy');
    expect(error.message).toMatch(/takes no other arguments/);
    const extra = refusal(() =>
      parseFlags('sweep', ['a.yaml', 'b.yaml'], spec, { positionals: ['CONFIG'] }),
    );
    expect(extra.argumentName).toBe('b.yaml');
    expect(extra.message).toMatch(/one argument too many \(this command takes CONFIG\)/);
    expect(
      parseFlags('sweep', ['a.yaml', '--quiet'], spec, { positionals: ['CONFIG'] }).positionals,
    ).toEqual(['a.yaml']);
  });

  it('refuses an unknown flag, a missing value and a value on a boolean flag', () => {
    expect(refusal(() => parseFlags('solve', ['--frobnicate', '1'], spec)).argumentName).toBe(
      '--frobnicate',
    );
    expect(refusal(() => parseFlags('solve', ['--x'], spec)).message).toMatch(/needs a value/);
    expect(refusal(() => parseFlags('solve', ['--x', '--quiet'], spec)).message).toMatch(
      /needs a value/,
    );
    expect(refusal(() => parseFlags('solve', ['--quiet=yes'], spec)).message).toMatch(
      /takes no value/,
    );
  });

  it('takes what follows -- as positional', () => {
    expect(
      parseFlags('sweep', ['--', '--odd-name.yaml'], spec, { positionals: ['CONFIG'] }).positionals,
    ).toEqual(['--odd-name.yaml']);
  });
});

describe('the command line on these arguments', () => {
  const directory = mkdtempSync(join(tmpdir(), 'sinkflow-flags-'));
  const path = (name: string) => join(directory, name);

  beforeAll(async () => {
    const random = createRandomGenerator({ seed: 3 });
    const cloud = () => Float64Array.from({ length: 20 }, () => random.normal());
    await writeNpyFile(path('x.npy'), { dtype: 'float64', shape: [10, 2], data: cloud() });
    await writeNpyFile(path('y.npy'), { dtype: 'float64', shape: [10, 2], data: cloud() });
  });

  it('--epsilon -1 reaches the validation: exit 2 naming --epsilon', async () => {
    const result = await sinkflow(
      'solve',
      '--x',
      path('x.npy'),
      '--y',
      path('y.npy'),
      '--epsilon',
      '-1',
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/'--epsilon': must be a positive finite number/);
    expect(result.stderr).not.toMatch(/ambiguous/);
  });

  it('--json - writes the JSON alone on stdout and the human text on stderr', async () => {
    const result = await sinkflow(
      'assign',
      '--x',
      path('x.npy'),
      '--y',
      path('y.npy'),
      '--json',
      '-',
    );
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout) as { n: number; cost: number };
    expect(summary.n).toBe(10);
    expect(result.stderr).toMatch(/^n = 10: mean 1\/2 \|\|x - y\|\|\^2 = /);
    expect(readdirSync(process.cwd())).not.toContain('-');
  });

  it('a repeated flag and a stray argument exit 2 naming them', async () => {
    const repeated = await sinkflow('assign', '--x', path('x.npy'), '--x', path('y.npy'));
    expect(repeated.code).toBe(2);
    expect(repeated.stderr).toMatch(/'--x': is given more than once/);
    const stray = await sinkflow('assign', '--x', path('x.npy'), '--y', path('y.npy'), 'extra');
    expect(stray.code).toBe(2);
    expect(stray.stderr).toMatch(/'extra': is not a flag/);
    expect(stray.stderr.trim().split('\n')).toHaveLength(1);
  });
});
