import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

import { afterEach, beforeEach, describe, expect, test } from 'vitest'

import type { SearchDocument } from './documents'
import { createEmbeddedEngine } from './embedded-engine'
import { termFrequencies } from './segment'

function result(id: string, title: string, body: string): SearchDocument {
  return {
    kind: 'result',
    id,
    text: { title, keywords: [], body },
    facets: {
      field: '80',
      subField: null,
      region: '610113',
      local: true,
      modes: [],
      trl: 5,
      amountBand: null,
    },
    sort: { publishedAt: 0, amount: null },
    display: { title, snippet: body, orgId: 'org', orgName: '测试单位' },
  }
}

let directory: string
beforeEach(async () => {
  directory = await mkdtemp(path.join(os.tmpdir(), 'xm-snapshot-'))
})
afterEach(async () => {
  await rm(directory, { recursive: true, force: true })
})

describe('snapshots', () => {
  test('a saved index loads back whole, only for its own database, and never from a damaged file', async () => {
    const topics = ['激光焊接机器人', '锂电池回收工艺', '区块链溯源平台', '污水处理膜材料']
    const engine = createEmbeddedEngine()
    await engine.rebuild({
      words: ['区块链溯源'],
      batches: (async function* () {
        yield Array.from({ length: 400 }, (_, position) =>
          result(`d${position}`, `${topics[position % 4]}${position}`, topics[(position + 2) % 4]!),
        )
      })(),
    })
    await engine.upsert([result('late', '激光切割设备', '后来加入的成果')])
    const file = path.join(directory, 'search', 'index.bin')
    await engine.saveSnapshot(file, 'db-1', '42')

    const restored = createEmbeddedEngine()
    const loaded = await restored.loadSnapshot(file, 'db-1')
    expect(loaded?.position).toBe('42')
    for (const query of ['激光', '锂电池', 'qukuailian']) {
      expect(await restored.search('result', query, { limit: 50 })).toEqual(
        await engine.search('result', query, { limit: 50 }),
      )
    }
    const text = { title: '', keywords: [], body: '锂电池回收' }
    expect(await engine.similarity('result', text, ['d1'])).not.toBeNull()
    expect(await restored.similarity('result', text, ['d1', 'd2', 'late'])).toEqual(
      await engine.similarity('result', text, ['d1', 'd2', 'late']),
    )
    expect(termFrequencies(restored.analyzer(), text)).toEqual(
      termFrequencies(engine.analyzer(), text),
    )

    // Another database's snapshot, a missing one and a truncated one are not loaded.
    expect(await createEmbeddedEngine().loadSnapshot(file, 'db-2')).toBeNull()
    expect(
      await createEmbeddedEngine().loadSnapshot(path.join(directory, 'none'), 'db-1'),
    ).toBeNull()
    const whole = await readFile(file)
    await writeFile(file, whole.subarray(0, Math.floor(whole.length / 2)))
    expect(await createEmbeddedEngine().loadSnapshot(file, 'db-1')).toBeNull()
  })
})
