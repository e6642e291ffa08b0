import { describe, expect, test } from 'vitest'

import { EnvError, getRuntimeNodeEnv, parseEnv, shouldSeedDemo } from './env.server'

function problemsOf(source: Record<string, string | undefined>) {
  try {
    parseEnv(source)
  } catch (error) {
    if (error instanceof EnvError) return error.problems
    throw error
  }
  return []
}

describe('parseEnv', () => {
  test('defaults give a working local set-up', () => {
    const env = parseEnv({})
    expect(env).toMatchObject({
      NODE_ENV: 'development',
      PORT: 3000,
      DATA_DIR: './.data',
      LOG_LEVEL: 'info',
      DATABASE_POOL_SIZE: 10,
    })
    expect(shouldSeedDemo(env)).toBe(true)
  })

  test('each bad value is named with its problem in Chinese', () => {
    expect(problemsOf({ PORT: 'abc' })).toEqual(['PORT: 应为端口号'])
    expect(problemsOf({ PORT: '70000' })).toEqual(['PORT: 应在 1–65535 之间'])
    expect(problemsOf({ DATABASE_URL: 'mysql://localhost/db' })[0]).toMatch(
      /^DATABASE_URL: 应为 postgresql:\/\//,
    )
    expect(problemsOf({ DEMO_SEED: 'yes' })).toEqual(['DEMO_SEED: 只能是 0 或 1'])
    expect(problemsOf({ SESSION_SECRET: 'short' })).toEqual([
      'SESSION_SECRET: 每个密钥（逗号分隔）至少 32 个字符',
    ])
    expect(problemsOf({ DATABASE_POOL_SIZE: '0' })).toEqual(['DATABASE_POOL_SIZE: 应在 1–100 之间'])
    expect(problemsOf({ DATABASE_POOL_SIZE: 'many' })).toEqual(['DATABASE_POOL_SIZE: 应为正整数'])
    expect(problemsOf({ LOG_FORMAT: 'xml' })).toEqual(['LOG_FORMAT: 只能是 pretty 或 json'])
  })

  test('production needs a session secret and never seeds by default', () => {
    expect(problemsOf({ NODE_ENV: 'production' })[0]).toMatch(/^SESSION_SECRET: 生产环境必须设置/)
    const env = parseEnv({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(32) })
    expect(shouldSeedDemo(env)).toBe(false)
    expect(shouldSeedDemo({ ...env, DEMO_SEED: '1' })).toBe(true)
    expect(shouldSeedDemo(parseEnv({ DEMO_SEED: '0' }))).toBe(false)
  })

  test('an empty variable counts as unset', () => {
    expect(parseEnv({ PORT: '', DATABASE_URL: '' })).toMatchObject({
      PORT: 3000,
      DATABASE_URL: undefined,
    })
  })
})

describe('getRuntimeNodeEnv', () => {
  test('reads the NODE_ENV the process runs with, defaulting to development', () => {
    // Typed as always set; at run time it may be anything, or missing.
    const env = process.env as Record<string, string | undefined>
    const saved = env.NODE_ENV
    try {
      env.NODE_ENV = 'production'
      expect(getRuntimeNodeEnv()).toBe('production')
      delete env.NODE_ENV
      expect(getRuntimeNodeEnv()).toBe('development')
      env.NODE_ENV = 'staging'
      expect(getRuntimeNodeEnv()).toBe('development')
    } finally {
      if (saved === undefined) delete env.NODE_ENV
      else env.NODE_ENV = saved
    }
  })
})
