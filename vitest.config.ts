import { defineConfig } from 'vitest/config';

// Two groups: everything pure or file-based runs in parallel first; then the tests that drive
// real network namespaces, keepalived and live capture run one file at a time, so their
// timing measurements (failover gaps within 0.1 s) never share the CPU with the fuzzers.
const LAB = ['test/lab/**/*.test.ts', 'test/live/capture.test.ts'];

export default defineConfig({
  test: {
    environment: 'node',
    pool: 'forks',
    testTimeout: 20_000,
    restoreMocks: true,
    globalSetup: ['test/setup/build.ts'],
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: LAB, sequence: { groupOrder: 0 } },
      },
      {
        extends: true,
        test: { name: 'lab', include: LAB, fileParallelism: false, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
