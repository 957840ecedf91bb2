import type {
  CouplingReport,
  PairSourceKind,
  PairSourceStatistics,
  SemidiscreteFitReport,
} from '../pairs/pair-source.js';

/** @internal Running totals of a pair source, reset by `start`. */
export class StatisticsAccumulator {
  readonly #kind: PairSourceKind;
  execution: PairSourceStatistics['execution'] = 'none';
  executionNote: string | null = null;
  #couplings = 0;
  #pairs = 0;
  #entropySum = 0;
  #lastEntropy: number | null = null;
  #otSeconds = 0;
  #coupledExamples = 0;
  #samplingSeconds = 0;
  #allConverged = true;
  #fit: SemidiscreteFitReport | null = null;

  constructor(kind: PairSourceKind) {
    this.#kind = kind;
  }

  reset(): void {
    this.#couplings = 0;
    this.#pairs = 0;
    this.#entropySum = 0;
    this.#lastEntropy = null;
    this.#otSeconds = 0;
    this.#coupledExamples = 0;
    this.#samplingSeconds = 0;
    this.#allConverged = true;
    this.#fit = null;
  }

  addCoupling(report: CouplingReport): void {
    this.#couplings += 1;
    this.#entropySum += report.renormalizedEntropy;
    this.#lastEntropy = report.renormalizedEntropy;
    this.#otSeconds += report.seconds;
    this.#coupledExamples += report.n;
    this.#allConverged &&= report.converged;
  }

  /**
   * OT work that is not a discrete coupling (the semidiscrete dual's fit): its seconds count
   * towards `otSeconds` over its `n` data points, with no entropy to report; the report itself is
   * kept for `semidiscreteFit`.
   */
  addFit(report: SemidiscreteFitReport): void {
    this.#otSeconds += report.seconds;
    this.#coupledExamples += report.n;
    this.#allConverged &&= report.converged;
    this.#fit = report;
  }

  /** Replaces the fit's report (a dual refined since), without counting its seconds again. */
  updateFit(report: SemidiscreteFitReport): void {
    this.#fit = report;
  }

  addPairs(count: number, samplingSeconds: number): void {
    this.#pairs += count;
    this.#samplingSeconds += samplingSeconds;
  }

  snapshot(): PairSourceStatistics {
    return {
      kind: this.#kind,
      execution: this.execution,
      executionNote: this.executionNote,
      couplings: this.#couplings,
      pairs: this.#pairs,
      lastRenormalizedEntropy: this.#lastEntropy,
      meanRenormalizedEntropy: this.#couplings === 0 ? null : this.#entropySum / this.#couplings,
      otSeconds: this.#otSeconds,
      otSecondsPerExample:
        this.#coupledExamples === 0 ? 0 : this.#otSeconds / this.#coupledExamples,
      samplingSeconds: this.#samplingSeconds,
      allConverged: this.#allConverged,
      ...(this.#kind === 'semidiscrete' ? { semidiscreteFit: this.#fit } : {}),
    };
  }
}
