import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProgress } from '../src/io/progress.js';
import { marginalErrorFraction, sinkhornProgress } from '../src/io/sinkhorn-progress.js';

/** A stream that says it is a terminal and keeps what is written (escape codes removed). */
function terminal() {
  let text = '';
  const stream = Object.assign(
    new Writable({
      write(chunk, _encoding, done) {
        text += String(chunk);
        done();
      },
    }),
    { isTTY: true, columns: 200 },
  );
  // biome-ignore lint/suspicious/noControlCharactersInRegex: terminal escape codes
  return { stream, text: () => text.replace(/\u001b(\[[0-9;?]*[A-Za-z]|[78])/g, '\n') };
}

const frames = (text: string) =>
  text
    .split(/[\r\n]+/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);

describe('the progress of a Sinkhorn solve', () => {
  it('measures the marginal error against the threshold on a log scale', () => {
    expect(marginalErrorFraction({ error: 1, threshold: 1e-3 })).toBe(0);
    expect(marginalErrorFraction({ error: 0.1, threshold: 1e-3 })).toBeCloseTo(1 / 3, 12);
    expect(marginalErrorFraction({ error: 1e-2, threshold: 1e-3 })).toBeCloseTo(2 / 3, 12);
    expect(marginalErrorFraction({ error: 1e-2, threshold: 1e-4 })).toBeCloseTo(1 / 2, 12);
    expect(marginalErrorFraction({ error: 5e-4, threshold: 1e-3 })).toBe(1);
    expect(marginalErrorFraction({ error: 1e30, threshold: 1e-3 })).toBe(0);
    expect(marginalErrorFraction({ error: Number.NaN, threshold: 1e-3 })).toBe(0);
  });

  it('never prints a literal placeholder, and shows the error, the threshold and the search step', () => {
    const stderr = terminal();
    const display = sinkhornProgress(
      { stdout: terminal().stream, stderr: stderr.stream },
      { threshold: 1e-3, search: true },
    );
    const potentials = () => ({ f: new Float64Array(0), g: new Float64Array(0) });
    for (const [iteration, error, epsilon] of [
      [10, 1, 0.2],
      [20, 1e-2, 0.2],
      [10, 0.5, 0.1],
    ] as const)
      display.onProgress({ iteration, error, epsilon, momentum: 1, potentials });
    display.stop();
    const shown = frames(stderr.text());
    expect(shown.join('\n')).not.toMatch(/\{\w+\}/);
    expect(shown[0]).toMatch(/^sinkhorn \[.*\] error - -> 1e-3 \| iteration 0 \| search step 1$/);
    expect(shown.at(-1)).toMatch(
      /error 5\.00e-1 -> 1e-3 \| iteration 10 \| search step 2, eps 0\.100$/,
    );
  });

  it('fills the bar by the log of the error: 2/3 of it at 1e-2 with threshold 1e-3', () => {
    const stderr = terminal();
    const display = sinkhornProgress(
      { stdout: terminal().stream, stderr: stderr.stream },
      { threshold: 1e-3, search: false },
    );
    const potentials = () => ({ f: new Float64Array(0), g: new Float64Array(0) });
    display.onProgress({ iteration: 10, error: 1, epsilon: 0.1, momentum: 1, potentials });
    display.onProgress({ iteration: 5000, error: 1e-2, epsilon: 0.1, momentum: 1, potentials });
    display.stop();
    const last = frames(stderr.text()).at(-1) as string;
    const bar = /\[(.*)\]/.exec(last)?.[1] ?? '';
    expect(bar.length).toBe(40);
    expect([...bar].filter((char) => char === '=').length).toBe(27);
    expect(last).toMatch(/error 1\.00e-2 -> 1e-3 \| iteration 5000$/);
  });

  it('fills every payload placeholder of a format in the first frame', () => {
    const stderr = terminal();
    const bar = createProgress(
      { stdout: terminal().stream, stderr: stderr.stream },
      { total: 10, format: '{bar} {value}/{total} steps, loss {loss}' },
    );
    bar.stop();
    expect(frames(stderr.text())[0]).toMatch(/0\/10 steps, loss -$/);
  });
});
