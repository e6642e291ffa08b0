import fc from 'fast-check'
import { describe, expect, test } from 'vitest'

import type { SearchDocument } from './documents'
import { createEmbeddedEngine } from './embedded-engine'
import type { SearchEngine } from './engine'
import { matchNeed, matchOffer, TOPIC_WEIGHT, type RankedMatch } from './matching'

function result(
  id: string,
  title: string,
  body: string,
  values: {
    subField: string
    trl: number
    price: number | null
    local: boolean
    keywords?: string[]
  },
): SearchDocument {
  return {
    kind: 'result',
    id,
    text: { title, keywords: values.keywords ?? [], body },
    facets: {
      field: values.subField.slice(0, 2),
      subField: values.subField,
      region: values.local ? '610113' : '320102',
      local: values.local,
      modes: ['license'],
      trl: values.trl,
      amountBand: null,
    },
    sort: { publishedAt: 1, amount: values.price },
    display: { title, snippet: body, orgId: `org-${id}`, orgName: `单位${id}` },
  }
}

async function market() {
  const engine = createEmbeddedEngine()
  await engine.upsert([
    result(
      'laser-local',
      '铝合金车身激光焊接工艺',
      '汽车车身铝合金部件的激光焊接，变形小、效率高',
      {
        subField: '804',
        trl: 8,
        price: 400_000,
        local: true,
        keywords: ['激光焊接', '铝合金'],
      },
    ),
    result('laser-far', '激光焊接机器人工作站', '面向车身制造的激光焊接机器人，可焊铝合金', {
      subField: '804',
      trl: 8,
      price: 3_000_000,
      local: false,
      keywords: ['激光焊接', '机器人'],
    }),
    result('laser-early', '激光焊接熔池监测方法', '实验室阶段的激光焊接质量监测', {
      subField: '804',
      trl: 3,
      price: null,
      local: true,
      keywords: ['激光焊接'],
    }),
    result('battery', '锂电池回收工艺', '退役动力电池的拆解与材料回收', {
      subField: '601',
      trl: 6,
      price: 200_000,
      local: true,
      keywords: ['锂电池'],
    }),
  ])
  await engine.upsert([
    {
      kind: 'expert',
      id: 'welder',
      text: {
        title: '王焊接 教授',
        keywords: ['激光焊接', '铝合金连接'],
        body: '长期从事汽车轻量化车身连接技术研究',
      },
      facets: {
        field: '80',
        subField: '804',
        region: '610113',
        local: true,
        modes: [],
        trl: null,
        amountBand: null,
      },
      sort: { publishedAt: 0, amount: null },
      display: { title: '王焊接', snippet: '', orgId: 'org-welder', orgName: '西安测试大学' },
    },
    {
      kind: 'need',
      id: 'need-welding',
      text: {
        title: '铝合金车身激光焊接技术需求',
        keywords: ['激光焊接'],
        body: '寻求铝合金车身部件的高效低变形焊接技术',
      },
      facets: {
        field: '80',
        subField: '804',
        region: '610116',
        local: true,
        modes: ['license'],
        trl: null,
        amountBand: '50w-100w',
      },
      sort: { publishedAt: 1, amount: 600_000 },
      display: {
        title: '铝合金车身激光焊接技术需求',
        snippet: '',
        orgId: 'org-need',
        orgName: '西安测试汽车',
      },
    },
  ])
  return engine
}

const need = {
  title: '寻求铝合金车身激光焊接技术',
  description:
    '我公司生产汽车车身，现有点焊工艺效率低、变形大，希望引进激光焊接技术，实现铝合金车身部件的高效低变形连接，年产能 10 万套。',
  fieldCode: '804',
  budgetMax: 500_000,
}

describe('matching', () => {
  test('a need finds the local, affordable, mature result first, and says why', async () => {
    const engine = await market()
    const { results, experts } = await matchNeed(engine, need)
    expect(results.map((match) => match.id).slice(0, 3)).toEqual([
      'laser-local',
      'laser-far',
      'laser-early',
    ])
    expect(results[0]!.reasons).toMatchObject({
      field: { code: '804', fit: 'same', inferred: false },
      budget: { fit: 'within', price: 400_000, budget: 500_000 },
      trl: { level: 8, fit: 'mature' },
      locality: { local: true, region: '610113' },
    })
    expect(results[0]!.reasons.terms).toEqual(expect.arrayContaining(['激光焊接', '铝合金']))
    expect(results[1]!.reasons.budget?.fit).toBe('over')
    // Sharing only common words (工艺), the battery result ranks below every welding one.
    const ids = results.map((match) => match.id)
    if (ids.includes('battery')) expect(ids.indexOf('battery')).toBe(ids.length - 1)
    expect(experts.map((match) => match.id)).toEqual(['welder'])
  })

  test('without a field, the field is inferred from what the text is about', async () => {
    const engine = await market()
    const { results } = await matchNeed(engine, { ...need, fieldCode: null })
    expect(results[0]!.reasons.field).toEqual({ code: '804', fit: 'same', inferred: true })
  })

  test('declined candidates never come back; records count when known', async () => {
    const engine = await market()
    const { results } = await matchNeed(engine, need, {
      exclude: new Set(['laser-local']),
      trackRecord: async (orgIds) =>
        new Map(orgIds.map((id) => [id, id === 'org-laser-far' ? 5 : 0])),
    })
    expect(results.map((match) => match.id)).not.toContain('laser-local')
    expect(results[0]).toMatchObject({ id: 'laser-far', reasons: { record: { deals: 5 } } })
  })

  test('a result finds the needs it could solve', async () => {
    const engine = await market()
    const needs = await matchOffer(engine, {
      title: '铝合金车身激光焊接工艺',
      text: '汽车车身铝合金部件的激光焊接，变形小、效率高',
      fieldCodes: ['804'],
      keywords: ['激光焊接'],
      price: 400_000,
    })
    expect(needs[0]).toMatchObject({
      kind: 'need',
      id: 'need-welding',
      reasons: { field: { fit: 'same' }, budget: { fit: 'within', budget: 600_000 } },
    })
  })

  test('any need: every score lies in [0, 1], best first', async () => {
    const engine = await market()
    await fc.assert(
      fc.asyncProperty(
        fc.string({ maxLength: 30 }),
        fc.constantFrom('激光焊接', '锂电池回收', '铝合金 车身', '量子'),
        fc.option(fc.integer({ min: 0, max: 10_000_000 })),
        fc.option(fc.constantFrom('80', '804', '601', '10')),
        async (noise, topic, budgetMax, fieldCode) => {
          const { results, experts } = await matchNeed(engine, {
            title: topic + noise,
            description: `${noise}${topic}`,
            budgetMax,
            fieldCode,
          })
          for (const list of [results, experts]) {
            expect(list.every((match) => match.score >= 0 && match.score <= 1)).toBe(true)
            expect(list.map((match) => match.score)).toEqual(
              [...list.map((match) => match.score)].sort((a, b) => b - a),
            )
          }
        },
      ),
      { numRuns: 40 },
    )
  })

  test('topic similarity is mixed into the score with its weight, and named as a reason', async () => {
    const engine = await market()
    // The far welding robot is said to be on the need's very topic, the others on none.
    const topics = new Map([
      ['laser-far', 1],
      ['laser-local', 0],
      ['laser-early', 0],
      ['battery', 0],
    ])
    const withTopics: SearchEngine = {
      ...engine,
      similarity: async (_kind, _text, ids) => new Map(ids.map((id) => [id, topics.get(id) ?? 0])),
    }
    const plain = await matchNeed(engine, need)
    const mixed = await matchNeed(withTopics, need)
    const scoreOf = (list: RankedMatch[], id: string) =>
      list.find((match) => match.id === id)!.score
    expect(plain.results[0]!.reasons.topic).toBeUndefined()
    const far = mixed.results.find((match) => match.id === 'laser-far')!
    expect(far.reasons.topic).toEqual({ similarity: 1 })
    expect(scoreOf(mixed.results, 'laser-far')).toBeCloseTo(
      (1 - TOPIC_WEIGHT) * scoreOf(plain.results, 'laser-far') + TOPIC_WEIGHT,
      2,
    )
    expect(scoreOf(mixed.results, 'laser-local')).toBeCloseTo(
      (1 - TOPIC_WEIGHT) * scoreOf(plain.results, 'laser-local'),
      2,
    )
  })
})
