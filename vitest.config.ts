import { fileURLToPath } from 'node:url'

import { defineConfig } from 'vitest/config'

export default defineConfig({
  resolve: {
    alias: { '~': fileURLToPath(new URL('./app', import.meta.url)) },
  },
  test: {
    // CI adds a JSON report so that .ci/run can print one pass/fail total for every run.
    reporters: process.env.CI
      ? [
          'default',
          ['json', { outputFile: `test-results/unit-${process.env.TEST_RUN_NAME ?? 'main'}.json` }],
        ]
      : ['default'],
    include: [
      'app/**/*.test.{ts,tsx}',
      'seeds/**/*.test.ts',
      'search/**/*.test.ts',
      'tests/integration/**/*.test.ts',
    ],
    globalSetup: ['tests/setup/global-setup.ts'],
    setupFiles: ['tests/setup/database.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    env: {
      NODE_ENV: 'test',
      SESSION_SECRET: 'test-session-secret-that-is-at-least-32-characters-long',
      LOG_LEVEL: 'silent',
    },
  },
})
