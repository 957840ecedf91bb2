import { InvalidArgumentError } from '@sinkflow/core';
import { absoluteEpsilon, relativeEpsilon } from '@sinkflow/entropy';
import { describe, expect, it } from 'vitest';
import { SINKHORN_DEFAULTS, validateSinkhornSettings } from '../src/index.js';

function rejection(settings: unknown): InvalidArgumentError {
  try {
    validateSinkhornSettings(settings as never, 'caller');
  } catch (error) {
    if (InvalidArgumentError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected an InvalidArgumentError');
}

describe('validateSinkhornSettings and SINKHORN_DEFAULTS', () => {
  it('fills in every default from SINKHORN_DEFAULTS', () => {
    expect(validateSinkhornSettings({}, 'caller')).toEqual({
      epsilon: SINKHORN_DEFAULTS.epsilon,
      targetEntropy: null,
      entropyTolerance: SINKHORN_DEFAULTS.entropyTolerance,
      initialRelativeEpsilon: SINKHORN_DEFAULTS.initialRelativeEpsilon,
      maxSolves: SINKHORN_DEFAULTS.maxSolves,
      threshold: SINKHORN_DEFAULTS.threshold,
      maxIterations: SINKHORN_DEFAULTS.maxIterations,
      innerIterations: SINKHORN_DEFAULTS.innerIterations,
      momentumStart: SINKHORN_DEFAULTS.momentumStart,
    });
    expect(SINKHORN_DEFAULTS.epsilon).toEqual(relativeEpsilon(0.05));
    expect(Object.isFrozen(SINKHORN_DEFAULTS)).toBe(true);
  });

  it('keeps given values; a target entropy leaves epsilon null', () => {
    const settings = validateSinkhornSettings(
      { targetEntropy: 0.2, maxIterations: 0, momentumStart: Number.POSITIVE_INFINITY },
      'caller',
    );
    expect(settings).toMatchObject({ epsilon: null, targetEntropy: 0.2, maxIterations: 0 });
    expect(settings.momentumStart).toBe(Number.POSITIVE_INFINITY);
    expect(validateSinkhornSettings({ epsilon: absoluteEpsilon(0.3) }, 'caller').epsilon).toEqual(
      absoluteEpsilon(0.3),
    );
  });

  it.each([
    [{ targetEntropy: 1 }, 'targetEntropy', /must be a number in \(0, 1\)/],
    [{ targetEntropy: 0 }, 'targetEntropy', /must be a number in \(0, 1\)/],
    [{ epsilon: relativeEpsilon(0.1), targetEntropy: 0.2 }, 'targetEntropy', /not both/],
    [{ momentumStart: 2.5 }, 'momentumStart', /non-negative integer or Infinity/],
    [{ maxIterations: -1 }, 'maxIterations', /./],
    [{ innerIterations: 0 }, 'innerIterations', /./],
    [{ threshold: 0 }, 'threshold', /positive finite/],
    [{ entropyTolerance: Number.NaN }, 'entropyTolerance', /positive finite/],
    [{ maxSolves: 0 }, 'maxSolves', /./],
    [{ epsilon: { kind: 'relative', relative: -1 } }, 'epsilon.relative', /positive finite/],
  ])('refuses %j naming %s and the caller', (settings, argumentName, message) => {
    const error = rejection(settings);
    expect(error.argumentName).toBe(argumentName);
    expect(error.functionName).toBe('caller');
    expect(error.message).toMatch(message);
  });
});
