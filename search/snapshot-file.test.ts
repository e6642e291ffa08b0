import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

import { afterEach, beforeEach, describe, expect, test } from 'vitest'

import { openRecords, writeRecords } from './snapshot-file'

let directory: string
beforeEach(async () => {
  directory = await mkdtemp(path.join(os.tmpdir(), 'xm-records-'))
})
afterEach(async () => {
  await rm(directory, { recursive: true, force: true })
})

async function readAll(file: string, count: number) {
  const records = await openRecords(file)
  try {
    const values: unknown[] = []
    for (let index = 0; index < count; index += 1) values.push(await records.next())
    return values
  } finally {
    await records.close()
  }
}

describe('snapshot records', () => {
  test('large and small typed arrays, nested in plain objects, come back equal and in place', async () => {
    const docs = Uint32Array.from({ length: 50_000 }, (_, index) => index * 3)
    // A view into a larger buffer: only its own bytes are written.
    const frequencies = new Float32Array(60_000).map((_, index) => index / 7).subarray(5_000)
    const records = [
      { version: 4, words: ['石墨烯', '锂电池'] },
      {
        segment: { terms: ['a', 'b'], docs, frequencies, small: Uint16Array.of(1, 2, 3) },
        latent: {
          space: { terms: new Map([['电池', 0]]), vectors: new Int8Array(70_000).fill(-5) },
        },
        ids: ['x', null],
      },
    ]
    const file = path.join(directory, 'nested', 'index.bin')
    await writeRecords(
      file,
      records.map((record) => () => record),
    )
    expect(await readAll(file, 2)).toEqual(records)
  })

  test('a file cut short or with a damaged record is refused', async () => {
    const file = path.join(directory, 'index.bin')
    await writeRecords(file, [() => ({ values: new Float64Array(20_000).fill(1.5) })])
    const whole = await readFile(file)
    await writeFile(file, whole.subarray(0, whole.length - 8))
    await expect(readAll(file, 1)).rejects.toThrow('快照文件不完整')
    // A record that names an array type of its own.
    await writeRecords(file, [
      () => ({ values: { __rawArray: 0, type: 'constructor', length: 4 } }),
    ])
    await expect(readAll(file, 1)).rejects.toThrow('快照记录已损坏')
  })
})
