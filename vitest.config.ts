import { defineConfig } from 'vitest/config';

// Two projects: fast pure/unit tests, and lab tests that start real sshd and HAProxy in network
// namespaces (root only). Lab files run one at a time: each brings up its own lab.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['shared/**/*.test.ts', 'electron/**/*.test.ts', 'renderer/**/*.test.ts', 'e2e/lab/**/*.test.ts', 'e2e/support/**/*.test.ts', 'scripts/**/*.test.ts'],
          exclude: ['**/*.lab.test.ts', 'node_modules/**'],
          environment: 'node',
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'lab',
          include: ['**/*.lab.test.ts'],
          exclude: ['node_modules/**'],
          environment: 'node',
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
