import { Writable } from 'node:stream'

import { describe, expect, test } from 'vitest'

import { createProgressBar } from './progress'

/** A stream that is not a terminal, as stderr is in CI and behind a pipe. */
function createLog() {
  const chunks: string[] = []
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString())
      callback()
    },
  })
  return { stream, text: () => chunks.join('') }
}

describe('createProgressBar', () => {
  test('in a log, prints whole lines: where it starts and where it ends', () => {
    const log = createLog()
    const bar = createProgressBar('写入', 12_000, log.stream)
    bar.update(5000)
    bar.update(12_000)
    bar.done()
    const lines = log.text().split('\n')
    expect(lines[0]).toMatch(/^写入 \[-{30}\] 0\/12000 0% 0\/秒/)
    expect(lines.at(-2)).toMatch(/^写入 \[#{30}\] 12000\/12000 100% \d+\/秒 剩余约 0秒$/)
    // No blank lines and no terminal control sequences in a log.
    expect(lines.at(-1)).toBe('')
    expect(lines.slice(0, -1).every((line) => line.length > 0)).toBe(true)
    expect(log.text()).not.toContain('\u001b')
  })
})
