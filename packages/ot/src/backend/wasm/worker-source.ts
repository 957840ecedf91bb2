/** Slots of the pool's control block (an Int32Array over a SharedArrayBuffer). @internal */
export const CONTROL = {
  /** Job generation: the main thread increments it to start a job. */
  generation: 0,
  /** Workers still running the current job. */
  pending: 1,
  /** Index of the kernel export to call (in the op list), or -1 to exit. */
  operation: 2,
  /** The kernel (memory) the job runs on. */
  kernel: 3,
  /** 0, or 1 + the index of the first worker whose call threw. */
  error: 4,
  /** Number of float64 arguments. */
  argumentCount: 5,
} as const;

/** Operation codes that are not kernel exports: stop the worker, read the message port. */
export const OPERATION_EXIT = -1;
export const OPERATION_RECEIVE = -2;

/** Byte offset of the float64 job arguments in the control buffer, and their maximum count. */
export const ARGUMENTS_OFFSET = 64;
export const MAXIMUM_ARGUMENTS = 32;
/** Where a failing worker writes its error message (UTF-8, zero-padded). */
export const ERROR_TEXT_OFFSET = ARGUMENTS_OFFSET + 8 * MAXIMUM_ARGUMENTS;
export const ERROR_TEXT_BYTES = 1024;
/** Size of the control buffer. */
export const CONTROL_BYTES = ERROR_TEXT_OFFSET + ERROR_TEXT_BYTES;

/**
 * How long an idle worker (and the main thread at the end of a job) polls before it blocks in
 * `Atomics.wait` (milliseconds). Passes come back to back in a Sinkhorn loop, so a short poll
 * saves the futex wake-up (tens of microseconds); a long one would steal the core from the other
 * threads when the machine is oversubscribed.
 */
export const SPIN_MILLISECONDS = 0.05;

/**
 * The body of every pool worker's program (plain JavaScript, run as a classic script: a
 * `worker_threads` worker in Node, a Web Worker from a Blob URL in browsers, so that bundlers need
 * no extra entry). The host part, written by each platform, defines `control` (the control
 * SharedArrayBuffer), `tid`, `operations` and `receive()`, which handles the messages of an
 * OPERATION_RECEIVE job and returns true when the job is done (false: it finishes later, from the
 * host's message handler). This part defines `kernels` (id to exports), `handleMessage(message)`
 * (attach: instantiate the kernels module on a kernel's shared memory; detach), `finishJob()` and
 * `runJobs()`: a synchronous loop that waits for a new generation (poll, then `Atomics.wait`),
 * calls the requested export with the job's arguments and the worker's thread index, decrements
 * `pending` and wakes the main thread when it was the last. Errors are recorded in the control
 * block. `runJobs()` returns on OPERATION_EXIT, and on an OPERATION_RECEIVE job that `receive()`
 * leaves to finish later.
 *
 * @internal
 */
export const WORKER_LOOP_SOURCE = `
const kernels = new Map();
let seen = 0; // the generation when the pool was created
function handleMessage(message) {
  if (message.type === 'attach') {
    const instance = new WebAssembly.Instance(message.module, { env: { memory: message.memory, log: Math.log } });
    kernels.set(message.kernel, instance.exports);
  } else if (message.type === 'detach') {
    kernels.delete(message.kernel);
  }
}
function recordError(error) {
  const ctl = new Int32Array(control, 0, 16);
  Atomics.compareExchange(ctl, ${CONTROL.error}, 0, tid + 1);
  const text = String((error && error.stack) || error);
  const bytes = new TextEncoder().encode(text.slice(0, ${ERROR_TEXT_BYTES / 4}));
  const target = new Uint8Array(control, ${ERROR_TEXT_OFFSET}, ${ERROR_TEXT_BYTES});
  target.fill(0);
  target.set(bytes.subarray(0, ${ERROR_TEXT_BYTES}));
}
function finishJob() {
  const ctl = new Int32Array(control, 0, 16);
  if (Atomics.sub(ctl, ${CONTROL.pending}, 1) === 1) Atomics.notify(ctl, ${CONTROL.pending});
}
function runJobs() {
  const ctl = new Int32Array(control, 0, 16);
  const args = new Float64Array(control, ${ARGUMENTS_OFFSET}, ${MAXIMUM_ARGUMENTS});
  for (;;) {
    let generation = Atomics.load(ctl, ${CONTROL.generation});
    if (generation === seen) {
      const deadline = performance.now() + ${SPIN_MILLISECONDS};
      let spins = 0;
      while ((generation = Atomics.load(ctl, ${CONTROL.generation})) === seen) {
        if ((++spins & 63) === 0 && performance.now() > deadline) {
          Atomics.wait(ctl, ${CONTROL.generation}, seen);
        }
      }
    }
    seen = generation;
    const operation = ctl[${CONTROL.operation}];
    if (operation === ${OPERATION_EXIT}) return;
    try {
      if (operation === ${OPERATION_RECEIVE}) {
        if (!receive()) return;
      } else {
        const exports = kernels.get(ctl[${CONTROL.kernel}]);
        const count = ctl[${CONTROL.argumentCount}];
        const list = new Array(count + 1);
        for (let k = 0; k < count; k += 1) list[k] = args[k];
        list[count] = tid;
        exports[operations[operation]](...list);
      }
    } catch (error) {
      recordError(error);
    }
    finishJob();
  }
}
`;
