/** The shared vitest wrapper of the core tolerance helper. */
export { expectClose } from '../../../tools/vitest/expect-close.js';
