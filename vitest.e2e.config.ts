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
          ['json', { outputFile: `test-results/e2e-${process.env.TEST_RUN_NAME ?? 'main'}.json` }],
        ]
      : ['default'],
    include: ['tests/e2e/**/*.e2e.ts'],
    globalSetup: ['tests/setup/global-setup.ts'],
    pool: 'forks',
    // One browser and one server at a time: the machine has two cores.
    maxWorkers: 1,
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    env: { NODE_ENV: 'test', LOG_LEVEL: 'silent' },
  },
})
