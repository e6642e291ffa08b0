import { describe, expect, test } from 'vitest'

import { spawnTsx, userEnvironment } from '../setup/processes'

describe('process safety', () => {
  test('once started, an error escaping a handler is logged and the process carries on', async () => {
    const run = spawnTsx('tests/fixtures/escaped-errors.ts', ['started'], {
      env: userEnvironment(),
    })
    expect(await run.exited).toBe(0)
    expect(run.output()).toContain('未捕获的异常：已记录，服务器继续运行')
    expect(run.output()).toContain('one request went wrong')
    expect(run.output()).toContain('未处理的 Promise 拒绝：已记录，服务器继续运行')
    expect(run.output()).toContain('still serving')
  })

  test('during start-up the same error is fatal: cleaned up, exit code 1', async () => {
    const run = spawnTsx('tests/fixtures/escaped-errors.ts', [], { env: userEnvironment() })
    expect(await run.exited).toBe(1)
    expect(run.output()).toContain('服务器启动失败（未捕获的异常）')
    expect(run.output()).toContain('start-up failed')
    expect(run.output()).not.toContain('still serving')
  })
})
