import fc from 'fast-check'
import { describe, expect, test } from 'vitest'

import { createAnalyzer } from './analyzer'
import { buildIndexes } from './bulk-build'
import type { SearchDocument } from './documents'
import { createEmbeddedIndex, indexFromSegment, type SearchPage } from './embedded-index'
import { createSegmentBuilder, termFrequencies } from './segment'

const analyzer = createAnalyzer({ words: ['区块链'] })

function doc(
  id: string,
  title: string,
  body = '',
  facets: Partial<SearchDocument['facets']> = {},
  publishedAt = 0,
  amount: number | null = null,
): SearchDocument {
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
      amountBand: 'negotiable',
      ...facets,
    },
    sort: { publishedAt, amount },
    display: { title, snippet: body, orgId: 'o1', orgName: '' },
  }
}

function market() {
  const index = createEmbeddedIndex(analyzer)
  index.add(
    doc('laser', '激光焊接机器人', '用于汽车车身的激光焊接', { field: '80', trl: 7 }, 3, 500_000),
  )
  index.add(
    doc(
      'battery',
      '锂离子电池梯次利用',
      '退役动力电池检测与重组',
      { field: '60', local: false },
      2,
      80_000,
    ),
  )
  index.add(
    doc('chain', '区块链溯源平台', '农产品供应链溯源', { field: '10', modes: ['license'] }, 1),
  )
  index.add(
    doc('print', '钛合金3D打印工艺', 'Ti-6Al-4V 构件的增材制造', { field: '80', trl: 4 }, 4),
  )
  return index
}

const idsOf = (page: { hits: { id: string }[] }) => page.hits.map((hit) => hit.id)

describe('the embedded index', () => {
  test('ranks the document about the query first, and explains it', () => {
    const page = market().search('激光焊接')
    expect(page.hits[0]).toMatchObject({ id: 'laser', score: 1 })
    expect(page.hits[0]!.matched).toEqual(expect.arrayContaining(['激光', '焊接']))
    expect(page.total).toBe(1)
  })

  test('finds words inside longer words, synonyms, alloy names and pinyin', () => {
    const index = market()
    expect(idsOf(index.search('区块'))).toEqual(['chain'])
    expect(idsOf(index.search('电池'))).toEqual(['battery'])
    expect(idsOf(index.search('锂电池'))).toEqual(['battery'])
    expect(idsOf(index.search('增材制造'))).toEqual(['print'])
    expect(idsOf(index.search('3D打印'))).toEqual(['print'])
    expect(idsOf(index.search('Ti-6Al-4V'))).toEqual(['print'])
    expect(idsOf(index.search('jiguang hanjie'))[0]).toBe('laser')
    expect(idsOf(index.search('jghj'))[0]).toBe('laser')
    expect(index.search('量子通信').total).toBe(0)
    expect(index.search('，。！？ 的').total).toBe(0)
  })

  test('completes the last word as it is typed', () => {
    const index = market()
    expect(index.search('区块链溯', { prefix: true }).hits[0]?.id).toBe('chain')
    expect(idsOf(index.search('钛合', { prefix: true }))).toContain('print')
  })

  test('filters, counts facets over every match, sorts and pages', () => {
    const index = market()
    const manufacturing = index.search('', { filters: { field: '80' } })
    expect(idsOf(manufacturing)).toEqual(['print', 'laser'])
    expect(manufacturing.facets.field).toEqual({ '80': 2 })
    expect(manufacturing.facets.trl).toEqual({ '4': 1, '7': 1 })
    const all = index.search('')
    expect(all.total).toBe(4)
    expect(all.facets.local).toEqual({ true: 3, false: 1 })
    expect(idsOf(index.search('', { filters: { trlMin: 5 } }))).toEqual([
      'laser',
      'battery',
      'chain',
    ])
    expect(idsOf(index.search('', { filters: { mode: 'license' } }))).toEqual(['chain'])
    expect(idsOf(index.search('', { sort: 'amount', limit: 2 }))).toEqual(['laser', 'battery'])
    expect(idsOf(index.search('', { offset: 3 }))).toEqual(['chain'])
    expect(index.search('', { offset: 10 }).hits).toEqual([])
  })

  test('a removed or replaced document is found only as it is now', () => {
    const index = market()
    index.remove('chain')
    expect(index.search('区块链').total).toBe(0)
    index.add(doc('laser', '超声波清洗设备', '工业清洗'))
    expect(index.search('激光焊接').total).toBe(0)
    expect(idsOf(index.search('清洗'))).toEqual(['laser'])
    expect(index.size).toBe(3)
  })

  test('whatever is added and removed, a search returns only live documents that pass', () => {
    const titles = ['激光焊接', '锂电池回收', '区块链平台', '钛合金构件', '污水处理']
    const operation = fc.oneof(
      fc.record({
        add: fc.nat(19),
        title: fc.constantFrom(...titles),
        field: fc.constantFrom('10', '80'),
      }),
      fc.record({ remove: fc.nat(19) }),
    )
    fc.assert(
      fc.property(
        fc.array(operation, { maxLength: 60 }),
        fc.constantFrom('', ...titles),
        (operations, query) => {
          const index = createEmbeddedIndex(analyzer)
          const live = new Map<string, { title: string; field: string }>()
          for (const op of operations) {
            if ('add' in op) {
              index.add(doc(`d${op.add}`, op.title, '', { field: op.field }))
              live.set(`d${op.add}`, { title: op.title, field: op.field })
            } else {
              index.remove(`d${op.remove}`)
              live.delete(`d${op.remove}`)
            }
          }
          const page = index.search(query, { filters: { field: '80' }, limit: 100 })
          const expected = [...live].filter(
            ([, value]) => value.field === '80' && (query === '' || value.title === query),
          )
          expect(page.total).toBe(expected.length)
          expect(new Set(idsOf(page))).toEqual(new Set(expected.map(([id]) => id)))
          expect(index.size).toBe(live.size)
        },
      ),
    )
  })

  test('a bulk build, a snapshot and live additions answer alike', () => {
    const titles = [
      '激光焊接机器人',
      '锂电池回收',
      '区块链平台',
      '钛合金构件',
      '污水处理膜',
      '激光切割',
    ]
    const operation = fc.oneof(
      fc.record({
        add: fc.nat(29),
        title: fc.constantFrom(...titles),
        trl: fc.integer({ min: 1, max: 9 }),
      }),
      fc.record({ remove: fc.nat(29) }),
    )
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ title: fc.constantFrom(...titles), trl: fc.integer({ min: 1, max: 9 }) }),
          { maxLength: 20 },
        ),
        fc.array(operation, { maxLength: 30 }),
        fc.constantFrom('', '激光', '锂电池', 'jiguang', '处理'),
        (initial, operations, query) => {
          const documents = initial.map((value, position) =>
            doc(`d${position}`, value.title, '', { trl: value.trl }, position),
          )
          // The same documents twice: added one by one, and built in bulk as a segment.
          const live = createEmbeddedIndex(analyzer)
          for (const document of documents) live.add(document)
          const builder = createSegmentBuilder(analyzer)
          for (const document of documents) builder.add(document.text)
          const bulk = indexFromSegment(analyzer, builder.finish(), documents)
          for (const op of operations) {
            for (const index of [live, bulk]) {
              if ('add' in op)
                index.add(doc(`d${op.add}`, op.title, '', { trl: op.trl }, 100 + op.add))
              else index.remove(`d${op.remove}`)
            }
          }
          const restored = createEmbeddedIndex(analyzer, bulk.state())
          const options = { filters: { trlMin: 3 }, limit: 100, prefix: true }
          // Removed documents weigh on term statistics until their postings are folded away,
          // so scores may differ a little between the live and the folded index, not matches.
          const expected = live.search(query, options)
          const sortedIds = (page: { hits: { id: string }[] }) => idsOf(page).sort()
          const folded = bulk.search(query, options)
          expect(folded.total).toBe(expected.total)
          expect(folded.facets).toEqual(expected.facets)
          expect(sortedIds(folded)).toEqual(sortedIds(expected))
          const rounded = (page: SearchPage) =>
            page.hits.map((hit) => [hit.id, hit.rawScore.toFixed(4), hit.matched])
          const again = restored.search(query, options)
          expect(rounded(again)).toEqual(rounded(folded))
          expect(again.facets).toEqual(folded.facets)
          expect(restored.size).toBe(live.size)
        },
      ),
    )
  })
})

describe('topics', () => {
  test('a learned space places documents by topic, survives a snapshot, and takes in later additions', async () => {
    const topics = [
      ['锂电池', '电解液', '正极材料', '负极材料', '隔膜', '储能系统', '循环寿命', '快充'],
      ['小麦', '节水灌溉', '土壤改良', '精准施肥', '病虫害', '温室大棚', '良种繁育', '收割机'],
    ]
    let seed = 11
    const next = () => (seed = (seed * 48_271) % 2_147_483_647)
    const documents = Array.from({ length: 600 }, (_, position) => {
      const pool = topics[position % 2]!
      const words = Array.from({ length: 5 }, () => pool[next() % pool.length]!)
      return doc(`d${position}`, '', words.join('，'))
    })
    const unlearned = createEmbeddedIndex(analyzer)
    for (const document of documents) unlearned.add(document)
    expect(
      unlearned.similarity(termFrequencies(analyzer, { title: '', keywords: [], body: '锂电池' }), [
        'd0',
      ]),
    ).toBeNull()
    const { indexes } = await buildIndexes(
      {
        words: [],
        batches: (async function* () {
          yield documents
        })(),
      },
      { threads: 0 },
    )
    const index = indexes.result
    const battery = termFrequencies(analyzer, {
      title: '',
      keywords: [],
      body: '储能系统的快充与循环寿命',
    })
    const topicOf = (scores: Map<string, number> | null) => scores && [...scores.values()]
    const near = index.similarity(battery, ['d0', 'd2', 'd4'])
    const far = index.similarity(battery, ['d1', 'd3', 'd5'])
    expect(Math.min(...topicOf(near)!)).toBeGreaterThan(Math.max(...topicOf(far)!))

    const restored = createEmbeddedIndex(analyzer, index.state())
    expect(restored.similarity(battery, ['d0', 'd1'])).toEqual(
      index.similarity(battery, ['d0', 'd1']),
    )

    // Added after learning: folded into the same space; removed: no longer there.
    restored.add(doc('new', '', '正极材料与负极材料的隔膜工艺'))
    const added = restored.similarity(battery, ['new', 'd1'])!
    expect(added.get('new')!).toBeGreaterThan(added.get('d1')!)
    restored.remove('new')
    expect(restored.similarity(battery, ['new'])).toEqual(new Map())
  })
})

describe('bulk builds', () => {
  test('built on threads that hand back their work in parts, the index answers as one built here', async () => {
    const topics = ['激光焊接机器人', '锂电池回收工艺', '区块链溯源平台', '污水处理膜材料']
    const documents = Array.from({ length: 240 }, (_, position) =>
      doc(
        `d${position}`,
        `${topics[position % 4]}${position}`,
        topics[(position + 1) % 4],
        {
          trl: (position % 9) + 1,
        },
        position,
      ),
    )
    const source = () => ({
      words: [],
      batches: (async function* () {
        for (let start = 0; start < documents.length; start += 25) {
          yield documents.slice(start, start + 25)
        }
      })(),
    })
    const here = await buildIndexes(source(), { threads: 0 })
    const threaded = await buildIndexes(source(), { threads: 2, flushEvery: 50 })
    for (const query of ['激光', '锂电池', 'jiguang', '']) {
      const options = { filters: { trlMin: 4 }, limit: 300 }
      const expected = here.indexes.result.search(query, options)
      const found = threaded.indexes.result.search(query, options)
      expect(found.total).toBe(expected.total)
      expect(found.facets).toEqual(expected.facets)
      const scored = (page: SearchPage) =>
        page.hits.map((hit) => `${hit.id}:${hit.rawScore.toFixed(4)}`).sort()
      expect(scored(found)).toEqual(scored(expected))
    }
    expect(threaded.indexes.result.size).toBe(documents.length)
    // The topic space, learned on a thread of its own there, places documents alike (the
    // threads number documents in another order, and the space is learned from a start that
    // follows it, so the figures agree closely, not exactly).
    const text = termFrequencies(analyzer, { title: '', keywords: [], body: '锂电池回收' })
    const ids = documents.map((document) => document.id)
    const onThread = threaded.indexes.result.similarity(text, ids)!
    const inHere = here.indexes.result.similarity(text, ids)!
    expect(onThread.size).toBe(documents.length)
    for (const id of ids) expect(Math.abs(onThread.get(id)! - inHere.get(id)!)).toBeLessThan(0.1)
  }, 60_000)
})
