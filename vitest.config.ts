import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'adapters/**/*.test.ts', 'test/**/*.test.ts'],
    // No test depends on wall-clock speed: tests wait on events (test/support/wait-for.ts) and these
    // deadlines only catch hangs. They are long because a shared 2-core machine was measured at a load
    // average of 30 (a 5 s wait took over a minute); on a quiet machine they cost nothing.
    testTimeout: 600_000,
    hookTimeout: 600_000,
    pool: 'forks',
    // one temporary directory for the run, removed at its end (TMPDIR for every test process)
    globalSetup: ['test/support/temp-root.ts'],
  },
});
