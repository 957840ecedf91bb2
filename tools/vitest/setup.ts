import { beforeEach, expect } from 'vitest';

// Every test must assert something (docs/conventions.md, 11: no test that compares without asserting).
beforeEach(() => {
  expect.hasAssertions();
});
