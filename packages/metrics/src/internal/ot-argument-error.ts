import { InvalidArgumentError } from '@sinkflow/core';

/**
 * Runs `compute`, a call into `@sinkflow/ot`, and re-throws its {@link InvalidArgumentError} as one
 * of `functionName`, with ot's argument name replaced by the caller's (`names`; an indexed name
 * such as `covariance1[3]` keeps its index), so that the error names what the user passed.
 */
export function withCallerArgumentNames<T>(
  compute: () => T,
  functionName: string,
  names: Readonly<Record<string, string>>,
): T {
  try {
    return compute();
  } catch (error) {
    if (!InvalidArgumentError.isInstance(error)) throw error;
    const [, base = error.argumentName, index = ''] =
      /^([^[]*)(\[.*)?$/.exec(error.argumentName) ?? [];
    throw new InvalidArgumentError({
      functionName,
      argumentName: `${names[base] ?? base}${index}`,
      message: error.message.replace(/^[^:]*: invalid argument '[^']*': /, ''),
      cause: error,
    });
  }
}
