import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openResultsStore } from '../src/sweep/results-store.js';

describe('the DuckDB results store', () => {
  it('adds runs once, tracks status and metrics, resets interrupted runs, exports CSV and Parquet', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'sinkflow-store-'));
    const path = join(directory, 'results.duckdb');
    const store = await openResultsStore(path);
    const runs = [
      { id: 'a', sweep: 's', kind: 'coupling', config: { d: 2, n: 64 } },
      { id: 'b', sweep: 's', kind: 'coupling', config: { d: 4, n: 64 } },
    ];
    await store.addRuns(runs);
    await store.addRuns(runs); // idempotent
    await store.setStatus('a', 'done', {
      metrics: { renormalizedEntropy: 0.2, converged: true },
      seconds: 1.5,
    });
    await store.setStatus('b', 'running');
    store.close();

    const reopened = await openResultsStore(path);
    expect(await reopened.resetInterrupted('s')).toBe(1);
    const listed = await reopened.list('s');
    expect(listed.map((run) => [run.id, run.status])).toEqual([
      ['a', 'done'],
      ['b', 'pending'],
    ]);
    expect(listed[0]?.metrics).toEqual({ renormalizedEntropy: 0.2, converged: true });
    expect(listed[0]?.seconds).toBe(1.5);
    expect(listed[0]?.config).toEqual({ d: 2, n: 64 });
    await reopened.exportTo(join(directory, 'runs.csv'), 'csv');
    await reopened.exportTo(join(directory, 'runs.parquet'), 'parquet');
    reopened.close();
    const csv = readFileSync(join(directory, 'runs.csv'), 'utf8');
    expect(csv.split('\n')[0]).toMatch(
      /^id,sweep,kind,status,seconds,error,config,metrics,updated_at/,
    );
    expect(csv).toMatch(/renormalizedEntropy/);
    expect(readFileSync(join(directory, 'runs.parquet')).subarray(0, 4).toString()).toBe('PAR1');
  });
});
