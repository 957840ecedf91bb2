import { readFileSync } from 'node:fs';

/** Reads a JSON fixture written by scripts/fixtures/entropy_fixtures.py. */
export function readFixture<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')) as T;
}

export interface CostStatistics {
  readonly mean: number;
  readonly std: number;
  /** std of the doubly centred matrix (row and column means removed). */
  readonly interactionStd: number;
}

export interface CostStdCase {
  readonly name: string;
  readonly precision: 'float32' | 'float64';
  readonly n: number;
  readonly m: number;
  readonly d: number;
  readonly x: number[];
  readonly y: number[];
  readonly expected: { readonly dot: CostStatistics; readonly sqeuclidean: CostStatistics };
}

export interface EntropyFixtures {
  readonly weights: readonly {
    readonly name: string;
    readonly weights: number[];
    readonly entropy: number;
  }[];
  readonly couplings: readonly {
    readonly name: string;
    readonly n: number;
    readonly m: number;
    readonly coupling: number[];
    readonly couplingEntropy: number;
    readonly sourceEntropy: number;
    readonly targetEntropy: number;
    readonly renormalizedEntropy: number;
  }[];
}
