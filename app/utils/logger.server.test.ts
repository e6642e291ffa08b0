import { describe, expect, test } from 'vitest'

import { formatReadableLine } from './logger.server'

const at = new Date(2026, 11, 1, 9, 5, 7).getTime()

describe('formatReadableLine', () => {
  test('one line with the clock, a Chinese level, the component, the message and the fields', () => {
    const line = JSON.stringify({
      level: 30,
      time: at,
      component: 'embedded-postgres',
      msg: '嵌入式 PostgreSQL 已启动',
      port: 5433,
      migrations: ['a', 'b'],
    })
    expect(formatReadableLine(line, { color: false })).toBe(
      '09:05:07 信息 [embedded-postgres] 嵌入式 PostgreSQL 已启动 port=5433 migrations=["a","b"]\n',
    )
  })

  test('an error brings its stack, a warning only its reason', () => {
    const err = {
      type: 'Error',
      message: 'connect ECONNREFUSED',
      stack: 'Error: connect ECONNREFUSED\n    at x (y.js:1:1)',
    }
    expect(
      formatReadableLine(JSON.stringify({ level: 50, time: at, msg: '出错', err }), {
        color: false,
      }),
    ).toBe('09:05:07 错误 出错\n    Error: connect ECONNREFUSED\n        at x (y.js:1:1)\n')
    expect(
      formatReadableLine(JSON.stringify({ level: 40, time: at, msg: '重试', err }), {
        color: false,
      }),
    ).toBe('09:05:07 警告 重试\n    connect ECONNREFUSED\n')
  })

  test('colours only for a terminal, and text that is not JSON passes through', () => {
    expect(
      formatReadableLine(JSON.stringify({ level: 40, time: at, msg: 'x' }), { color: true }),
    ).toContain('\x1b[33m警告\x1b[0m')
    expect(formatReadableLine('plain text', { color: false })).toBe('plain text\n')
  })
})
