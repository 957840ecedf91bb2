/**
 * Resolves like `promise`, or rejects with `Error(message)` after `milliseconds`. The timer is
 * unreferenced (it never keeps Node alive) and cleared when the promise settles; a late
 * rejection of `promise` is caught, so a probe that gave up never leaves an unhandled rejection.
 */
export function withTimeout<T>(
  promise: Promise<T>,
  milliseconds: number,
  message: string,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(message)), milliseconds);
    (timer as { unref?: () => void }).unref?.();
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
