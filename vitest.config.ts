import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'adapters/**/*.test.ts', 'test/**/*.test.ts'],
    // generous for a loaded 2-core machine: tests wait on events (test/support/wait-for.ts), these only catch hangs
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
