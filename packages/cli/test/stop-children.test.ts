import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { stopChildren } from '../src/sweep/stop-children.js';

/** A node process that prints 'ready' once its SIGTERM handler is set. */
function child(onTerm: 'ignore' | 'exit'): Promise<ChildProcess> {
  const source =
    onTerm === 'ignore'
      ? "process.on('SIGTERM', () => {}); setInterval(() => {}, 1000); console.log('ready')"
      : "process.on('SIGTERM', () => process.exit(143)); setInterval(() => {}, 1000); console.log('ready')";
  const process_ = spawn(process.execPath, ['-e', source], { stdio: ['ignore', 'pipe', 'ignore'] });
  return new Promise((resolve) => process_.stdout?.once('data', () => resolve(process_)));
}

describe('stopChildren', () => {
  it('stops a run that answers SIGTERM, and kills one that does not after the grace period', async () => {
    const polite = await child('exit');
    const stuck = await child('ignore');
    const started = performance.now();
    stopChildren([polite, stuck], 1500);
    const [politeCode] = await once(polite, 'exit');
    expect(politeCode).toBe(143);
    const [stuckCode, stuckSignal] = await once(stuck, 'exit');
    const elapsed = performance.now() - started;
    expect([stuckCode, stuckSignal]).toEqual([null, 'SIGKILL']);
    expect(elapsed).toBeGreaterThanOrEqual(1400);
    expect(elapsed).toBeLessThan(10_000);
  }, 20_000);
});
