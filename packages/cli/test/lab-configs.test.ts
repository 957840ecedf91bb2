import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expandSweep, parseSweepConfig } from '../src/sweep/sweep-config.js';

// The lab's committed studies (apps/lab/configs/<study>/*.yaml): each folder's sweeps share one
// runs folder and one database, so a run id expanded by two files would make one sweep's run stand
// in for another's (a file may extend a sweep of the same name with new seeds, as
// pa-d16-e02-more.yaml does); and a driver script that names a missing file stops the study hours in.
const configsRoot = join(import.meta.dirname, '..', '..', '..', 'apps', 'lab', 'configs');
const studies = readdirSync(configsRoot, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

function yamlFiles(study: string): string[] {
  return readdirSync(join(configsRoot, study))
    .filter((name) => name.endsWith('.yaml'))
    .sort();
}

describe('the lab configs', () => {
  it('has the studies the docs describe', () => {
    expect(studies).toEqual(expect.arrayContaining(['paper-synthetic', 'semidiscrete-comparison']));
  });

  for (const study of studies) {
    it(`${study}: every sweep parses and expands to run ids of its own`, () => {
      const files = yamlFiles(study);
      expect(files.length).toBeGreaterThan(0);
      const owners = new Map<string, string>();
      for (const file of files) {
        const config = parseSweepConfig(readFileSync(join(configsRoot, study, file), 'utf8'), file);
        const runs = expandSweep(config);
        expect(runs.length, file).toBeGreaterThan(0);
        for (const run of runs) {
          expect(owners.get(run.id), `run ${run.id} of ${file}`).toBeUndefined();
          owners.set(run.id, file);
        }
      }
    });
  }

  it('paper-synthetic: run-study.sh names every sweep of the folder, and only existing ones', () => {
    const script = readFileSync(join(configsRoot, 'paper-synthetic', 'run-study.sh'), 'utf8');
    const steps = [...script.matchAll(/"(?:sweep|longer|w2) ([A-Za-z0-9-]+\.yaml)"/g)].map(
      (match) => match[1],
    );
    const optional = [...script.matchAll(/&& w2 ([A-Za-z0-9-]+\.yaml)/g)].map((match) => match[1]);
    const files = yamlFiles('paper-synthetic');
    expect(steps.length).toBeGreaterThan(20);
    expect(optional).toEqual(['w2-n4096-optional.yaml']);
    // Equal as sorted lists: no step names a missing file, none runs twice, none is forgotten.
    expect([...steps, ...optional].sort()).toEqual(files);
  });

  it('semidiscrete-comparison: run.sh runs every sweep of the folder', () => {
    const script = readFileSync(join(configsRoot, 'semidiscrete-comparison', 'run.sh'), 'utf8');
    const couplings = script
      .match(/for coupling in ([a-z -]+); do/)?.[1]
      ?.trim()
      .split(/\s+/);
    expect(couplings?.map((name) => `${name}.yaml`).sort()).toEqual(
      yamlFiles('semidiscrete-comparison'),
    );
  });
});
