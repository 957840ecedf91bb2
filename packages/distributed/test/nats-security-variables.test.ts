import { describe, expect, it } from 'vitest';
import { NATS_SECURITY_VARIABLES, readNatsSecurity } from '../src/index.js';

describe('NATS_SECURITY_VARIABLES', () => {
  it('names every variable readNatsSecurity reads: the filtered environment gives the same security', () => {
    const env: Record<string, string> = {
      SINKFLOW_NATS_TOKEN: 's3cret',
      SINKFLOW_NATS_TLS: '1',
      HOME: '/root',
      PATH: '/usr/bin',
      SINKFLOW_OTHER: 'x',
    };
    const only = Object.fromEntries(
      NATS_SECURITY_VARIABLES.flatMap((name) =>
        env[name] === undefined ? [] : [[name, env[name]]],
      ),
    );
    expect(Object.keys(only).sort()).toEqual(['SINKFLOW_NATS_TLS', 'SINKFLOW_NATS_TOKEN']);
    expect(readNatsSecurity({ env: only })).toEqual(readNatsSecurity({ env }));
    expect(readNatsSecurity({ env: only }).token).toBe('s3cret');
    for (const name of NATS_SECURITY_VARIABLES) expect(name).toMatch(/^SINKFLOW_NATS_[A-Z_]+$/);
  });
});
