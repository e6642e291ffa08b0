import { describe, expect, test } from 'vitest'

import {
  getAmountBand,
  toExpertDocument,
  toNeedDocument,
  toResultDocument,
  type ExpertRow,
  type NeedRow,
  type ResultRow,
} from './documents'

const now = new Date('2026-12-03T00:00:00Z')
const later = new Date('2027-03-01T00:00:00Z')
const earlier = new Date('2026-11-01T00:00:00Z')
const localOrg = { id: 'o1', name: '西安测试大学', regionCode: '610113', zone: null }
const outsideOrg = { id: 'o2', name: '咸阳测试科技有限公司', regionCode: '610402', zone: null }

const result: ResultRow = {
  id: 'r1',
  title: '高效钙钛矿光伏组件',
  summary: '转换效率 22%',
  description: '详细技术方案',
  fieldCode: '601',
  keywords: ['钙钛矿', '光伏'],
  trl: 6,
  transferModes: ['license'],
  askingPrice: 300_000,
  status: 'published',
  expiresAt: later,
  publishedAt: earlier,
  org: localOrg,
  leadExpert: { name: '张教授' },
}

const need: NeedRow = {
  id: 'n1',
  title: '光伏组件降本',
  description: '寻求低成本方案',
  fieldCode: '60',
  keywords: [],
  budgetMin: 500_000,
  budgetMax: null,
  deadline: null,
  cooperationModes: ['co_development'],
  status: 'open',
  expiresAt: later,
  publishedAt: earlier,
  org: outsideOrg,
}

const expert: ExpertRow = {
  id: 'e1',
  name: '李研究员',
  title: '研究员',
  fields: ['601'],
  keywords: ['钙钛矿'],
  bio: null,
  org: localOrg,
  createdBy: null,
}

describe('search documents', () => {
  test('only public listings reach the index', () => {
    expect(toResultDocument(result, now)).not.toBeNull()
    expect(toResultDocument({ ...result, status: 'in_negotiation' }, now)).not.toBeNull()
    for (const status of [
      'draft',
      'pending_review',
      'rejected',
      'transferred',
      'withdrawn',
      'expired',
    ]) {
      expect(toResultDocument({ ...result, status }, now)).toBeNull()
    }
    expect(toResultDocument({ ...result, expiresAt: earlier }, now)).toBeNull()
    expect(toNeedDocument({ ...need, status: 'closed' }, now)).toBeNull()
    expect(toNeedDocument({ ...need, status: 'in_deal' }, now)).not.toBeNull()
    // A profile prepared while its author waits for admission stays private.
    expect(toExpertDocument({ ...expert, createdBy: { membership: 'pending' } })).toBeNull()
    expect(toExpertDocument({ ...expert, createdBy: { membership: 'active' } })).not.toBeNull()
  })

  test('facets and sort keys are computed from the row', () => {
    expect(toResultDocument(result, now)).toMatchObject({
      facets: {
        field: '60',
        subField: '601',
        region: '610113',
        local: true,
        modes: ['license'],
        trl: 6,
        amountBand: '10w-50w',
      },
      sort: { publishedAt: earlier.getTime(), amount: 300_000 },
      display: { orgName: '西安测试大学' },
    })
    // A need filed under a top-level field, from outside the city, with only a lower bound.
    expect(toNeedDocument(need, now)).toMatchObject({
      facets: { field: '60', subField: null, local: false, amountBand: '50w-100w' },
    })
  })

  test('private fields of the row never reach the document', () => {
    // The app passes whole database rows; what the builder does not pick stays out.
    const row = { ...result, rejectionReason: '内部审核意见', createdById: 'user-9' } as ResultRow
    const text = JSON.stringify(toResultDocument(row, now))
    expect(text).not.toContain('内部审核意见')
    expect(text).not.toContain('user-9')
  })

  test('amount bands cover every amount, and no amount is negotiable', () => {
    expect(getAmountBand(null)).toBe('negotiable')
    expect(getAmountBand(0)).toBe('under-10w')
    expect(getAmountBand(99_999.99)).toBe('under-10w')
    expect(getAmountBand(100_000)).toBe('10w-50w')
    expect(getAmountBand(5_000_000)).toBe('over-500w')
    expect(getAmountBand(1e15)).toBe('over-500w')
  })
})
