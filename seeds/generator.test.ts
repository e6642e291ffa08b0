import { describe, expect, test } from 'vitest'

import { isValidCreditCode } from '~/domain/credit-code'
import { computePatentCheckDigit } from '~/domain/patent-number'
import { isKnownFieldCode, subFields } from '~/domain/reference'

import { generateDemoData, generateResults, type DealSeed, type DemoData } from './generator'

const REGISTERED = new Set(['registered', 'performing', 'completed'])
const isLocal = (regionCode: string) => regionCode.startsWith('6101')

// Generated once: the default market is what `npm start` seeds, so it is the one to pin down.
const data = generateDemoData()
const other = generateDemoData({ seed: 7 })

function sortedAmounts(deals: readonly DealSeed[]): number[] {
  return deals.map((deal) => deal.contractAmount).sort((a, b) => a - b)
}

function median(values: readonly number[]): number {
  const middle = Math.floor(values.length / 2)
  return values.length % 2
    ? (values[middle] ?? 0)
    : ((values[middle - 1] ?? 0) + (values[middle] ?? 0)) / 2
}

function topShare(deals: readonly DealSeed[], fraction: number): number {
  const amounts = sortedAmounts(deals)
  const total = amounts.reduce((sum, amount) => sum + amount, 0)
  const top = amounts
    .slice(-Math.ceil(amounts.length * fraction))
    .reduce((sum, amount) => sum + amount, 0)
  return top / total
}

/** 就地转化率 by value: registered deals of local universities/institutes bought locally. */
function localShare(market: DemoData): number {
  const kinds = new Map(market.organizations.map((org) => [org.externalId, org.kind]))
  const deals = market.deals.filter((deal) => {
    const kind = kinds.get(deal.sellerOrgExternalId)
    return (
      REGISTERED.has(deal.status) &&
      isLocal(deal.sellerRegionCode) &&
      (kind === 'university' || kind === 'institute')
    )
  })
  const total = deals.reduce((sum, deal) => sum + deal.contractAmount, 0)
  const local = deals
    .filter((deal) => isLocal(deal.buyerRegionCode))
    .reduce((sum, deal) => sum + deal.contractAmount, 0)
  return local / total
}

describe('generateDemoData', () => {
  test('the same seed yields the same market', () => {
    expect(generateDemoData()).toEqual(data)
    expect(generateDemoData({ seed: 7 })).toEqual(other)
  })

  test('a different seed yields a different market', () => {
    expect(other).not.toEqual(data)
    expect(other.organizations.map((org) => org.name)).not.toEqual(
      data.organizations.map((org) => org.name),
    )
    expect(other.results.map((result) => result.title)).not.toEqual(
      data.results.map((result) => result.title),
    )
  })

  test('default counts, and counts honour the options', () => {
    expect(data.organizations.filter((org) => org.kind === 'enterprise')).toHaveLength(80)
    expect(data.experts).toHaveLength(150)
    expect(data.results).toHaveLength(300)
    expect(data.needs).toHaveLength(200)
    expect(data.deals).toHaveLength(400)

    const small = generateDemoData({
      seed: 3,
      enterprises: 12,
      experts: 40,
      results: 25,
      needs: 15,
      deals: 60,
    })
    expect(small.organizations.filter((org) => org.kind === 'enterprise')).toHaveLength(12)
    expect(small.experts).toHaveLength(40)
    expect(small.results).toHaveLength(25)
    expect(small.needs).toHaveLength(15)
    expect(small.deals).toHaveLength(60)
  })

  test('the clock only comes from `now`', () => {
    const now = new Date('2030-06-01T00:00:00+08:00')
    const later = generateDemoData({ now })
    for (const deal of later.deals) {
      expect(deal.createdAt.getTime()).toBeLessThanOrEqual(now.getTime())
      expect(deal.createdAt.getTime()).toBeGreaterThan(now.getTime() - 6 * 365 * 86_400_000)
    }
    for (const result of later.results.filter((row) => row.status === 'published')) {
      expect(now.getTime() - result.confirmedAt.getTime()).toBeLessThanOrEqual(150 * 86_400_000)
    }
  })

  test('organizations: every institution, brokers, the bureau; valid unique credit codes and names', () => {
    const names = data.organizations.map((org) => org.name)
    expect(new Set(names).size).toBe(names.length)
    expect(names).toContain('西安交通大学')
    expect(names).toContain('西安市科学技术局')
    expect(data.organizations.filter((org) => org.kind === 'broker_agency')).toHaveLength(2)
    expect(data.organizations.find((org) => org.kind === 'government')?.regionCode).toBe('610100')

    const codes = data.organizations.map((org) => org.creditCode)
    for (const code of codes) {
      expect(code).not.toBeNull()
      expect(isValidCreditCode(code ?? ''), `invalid credit code ${code}`).toBe(true)
    }
    expect(new Set(codes).size).toBe(codes.length)

    const ids = data.organizations.map((org) => org.externalId)
    expect(new Set(ids).size).toBe(ids.length)
    for (const org of data.organizations) {
      expect(org.regionCode).toMatch(/^\d{6}$/)
      expect(org.name.length).toBeLessThanOrEqual(100)
    }

    // About a fifth of the enterprises sit outside Xi'an, so buyers are not all local.
    const enterprises = data.organizations.filter((org) => org.kind === 'enterprise')
    const remote = enterprises.filter((org) => !isLocal(org.regionCode)).length
    expect(remote).toBeGreaterThanOrEqual(8)
    expect(remote).toBeLessThanOrEqual(28)
    for (const org of enterprises) expect(org.name).toMatch(/(有限公司|有限责任公司)$/)
  })

  test('experts work at universities or institutes, and 西安交通大学 has one', () => {
    const orgs = new Map(data.organizations.map((org) => [org.externalId, org]))
    for (const expert of data.experts) {
      const org = orgs.get(expert.orgExternalId)
      expect(org?.kind === 'university' || org?.kind === 'institute').toBe(true)
      expect(expert.fields.length).toBeGreaterThanOrEqual(1)
      expect(expert.fields.length).toBeLessThanOrEqual(2)
      for (const code of expert.fields) expect(isKnownFieldCode(code)).toBe(true)
      expect(expert.keywords.length).toBeGreaterThanOrEqual(3)
      expect(expert.keywords.length).toBeLessThanOrEqual(6)
      expect(expert.bio).toContain(expert.name)
    }
    const xjtu = data.organizations.find((org) => org.name === '西安交通大学')
    expect(data.experts.some((expert) => expert.orgExternalId === xjtu?.externalId)).toBe(true)
  })

  test('results: known fields, short titles, sensible summaries, TRL, prices, patents and dates', () => {
    const experts = new Map(data.experts.map((expert) => [expert.externalId, expert]))
    const now = new Date('2026-11-01T00:00:00+08:00').getTime()
    for (const result of data.results) {
      expect(isKnownFieldCode(result.fieldCode)).toBe(true)
      expect(result.fieldCode).toMatch(/^\d{3}$/)
      expect(result.title.length).toBeLessThanOrEqual(100)
      expect(result.summary.length).toBeGreaterThanOrEqual(80)
      expect(result.summary.length).toBeLessThanOrEqual(200)
      expect(result.trl).toBeGreaterThanOrEqual(1)
      expect(result.trl).toBeLessThanOrEqual(9)
      expect(result.transferModes.length).toBeGreaterThan(0)
      expect(result.keywords.length).toBeGreaterThan(0)
      if (result.askingPrice !== null) {
        expect(result.askingPrice % 100).toBe(0)
        expect(result.askingPrice).toBeGreaterThanOrEqual(50_000)
        expect(result.askingPrice).toBeLessThanOrEqual(20_000_000)
      }
      const patent =
        result.ipType === 'invention_patent' ||
        result.ipType === 'utility_model' ||
        result.ipType === 'design_patent'
      expect(result.patentNos.length > 0).toBe(patent)
      for (const no of result.patentNos) {
        const match = /^ZL(\d{12})\.([\dX])$/.exec(no)
        expect(match, no).not.toBeNull()
        expect(computePatentCheckDigit(match?.[1] ?? '')).toBe(match?.[2])
      }
      if (result.leadExpertExternalId) {
        expect(experts.get(result.leadExpertExternalId)?.orgExternalId).toBe(result.orgExternalId)
      }
      expect(result.expiresAt.getTime() - result.confirmedAt.getTime()).toBe(180 * 86_400_000)
      if (result.status === 'published') {
        expect(now - result.confirmedAt.getTime()).toBeLessThanOrEqual(150 * 86_400_000)
        expect(result.expiresAt.getTime()).toBeGreaterThan(now)
      }
      if (result.status === 'expired') expect(result.expiresAt.getTime()).toBeLessThan(now)
      if (result.publishedAt)
        expect(result.publishedAt.getTime()).toBeGreaterThanOrEqual(result.createdAt.getTime())
    }
    const published =
      data.results.filter((result) => result.status === 'published').length / data.results.length
    expect(published).toBeGreaterThan(0.7)
    expect(published).toBeLessThan(0.9)
    const mid =
      data.results.filter((result) => result.trl >= 3 && result.trl <= 7).length /
      data.results.length
    expect(mid).toBeGreaterThan(0.6)
    const faceValue =
      data.results.filter((result) => result.askingPrice === null).length / data.results.length
    expect(faceValue).toBeGreaterThan(0.2)
    expect(faceValue).toBeLessThan(0.4)
  })

  test('the patent check digit follows the CNIPA rule', () => {
    // Weights 2 3 4 5 6 7 8 9 2 3 4 5: 201710123456 → 143 mod 11 = 0; 200310100002 → 43 mod 11 = 10 → X
    expect(computePatentCheckDigit('201710123456')).toBe('0')
    expect(computePatentCheckDigit('200310100002')).toBe('X')
  })

  test('needs: enterprises, known fields, short titles, budgets min ≤ max, future deadlines when open', () => {
    const orgs = new Map(data.organizations.map((org) => [org.externalId, org]))
    const now = new Date('2026-11-01T00:00:00+08:00').getTime()
    for (const need of data.needs) {
      expect(orgs.get(need.orgExternalId)?.kind).toBe('enterprise')
      expect(isKnownFieldCode(need.fieldCode)).toBe(true)
      expect(need.title.length).toBeLessThanOrEqual(100)
      expect(need.description).toContain('我公司')
      expect(need.cooperationModes.length).toBeGreaterThan(0)
      if (need.budgetMin !== null && need.budgetMax !== null)
        expect(need.budgetMin).toBeLessThanOrEqual(need.budgetMax)
      for (const budget of [need.budgetMin, need.budgetMax])
        if (budget !== null) expect(budget % 100).toBe(0)
      if (need.status === 'open' && need.deadline)
        expect(need.deadline.getTime()).toBeGreaterThan(now)
    }
  })

  test('deals: links, amounts, dates and registration numbers are consistent', () => {
    const orgs = new Map(data.organizations.map((org) => [org.externalId, org]))
    const results = new Map(data.results.map((result) => [result.externalId, result]))
    const needs = new Map(data.needs.map((need) => [need.externalId, need]))
    const now = new Date('2026-11-01T00:00:00+08:00').getTime()
    const registrationNos: string[] = []
    for (const deal of data.deals) {
      const seller = orgs.get(deal.sellerOrgExternalId)
      const buyer = orgs.get(deal.buyerOrgExternalId)
      expect(seller?.regionCode).toBe(deal.sellerRegionCode)
      expect(buyer?.regionCode).toBe(deal.buyerRegionCode)
      expect(deal.sellerOrgExternalId).not.toBe(deal.buyerOrgExternalId)
      expect(isKnownFieldCode(deal.fieldCode)).toBe(true)
      expect(deal.title.length).toBeLessThanOrEqual(100)
      expect(deal.title).toMatch(/合同$/)
      expect(deal.techTransactionAmount).toBeLessThanOrEqual(deal.contractAmount)
      expect(deal.techTransactionAmount).toBeGreaterThanOrEqual(deal.contractAmount * 0.6 - 100)
      expect(deal.contractAmount % 100).toBe(0)
      expect(deal.techTransactionAmount % 100).toBe(0)
      if (deal.resultExternalId)
        expect(results.get(deal.resultExternalId)?.orgExternalId).toBe(deal.sellerOrgExternalId)
      if (deal.needExternalId)
        expect(needs.get(deal.needExternalId)?.orgExternalId).toBe(deal.buyerOrgExternalId)
      expect(deal.createdAt.getTime()).toBeLessThanOrEqual(now)

      if (REGISTERED.has(deal.status)) {
        expect(deal.signedAt).not.toBeNull()
        expect(deal.registeredAt).not.toBeNull()
        expect(deal.registeredAt?.getTime()).toBeGreaterThanOrEqual(
          deal.signedAt?.getTime() ?? Infinity,
        )
        expect(deal.signedAt?.getTime()).toBeGreaterThanOrEqual(deal.createdAt.getTime())
        expect(deal.registeredAt?.getTime()).toBeLessThanOrEqual(now)
        expect(deal.registrationNo).toMatch(new RegExp(`^\\d{4}${deal.sellerRegionCode}\\d{6}$`))
        registrationNos.push(deal.registrationNo ?? '')
      } else {
        expect(deal.registeredAt).toBeNull()
        expect(deal.registrationNo).toBeNull()
        if (deal.status !== 'signed') expect(deal.signedAt).toBeNull()
      }
    }
    expect(new Set(registrationNos).size).toBe(registrationNos.length)
    expect(registrationNos.length / data.deals.length).toBeGreaterThan(0.6)
  })

  test('deal values have the official shape: 10–50万 typical, a few huge deals carry most value', () => {
    for (const market of [data, other, generateDemoData({ seed: 42 })]) {
      const amounts = sortedAmounts(market.deals)
      expect(median(amounts)).toBeGreaterThanOrEqual(100_000)
      expect(median(amounts)).toBeLessThanOrEqual(600_000)
      expect(topShare(market.deals, 0.05)).toBeGreaterThan(0.5)
      expect(amounts.filter((amount) => amount >= 10_000_000).length).toBeGreaterThan(0)

      // 技术服务 and 技术开发 carry most of the registered value.
      const registered = market.deals.filter((deal) => REGISTERED.has(deal.status))
      const total = registered.reduce((sum, deal) => sum + deal.contractAmount, 0)
      const serviceAndDevelopment = registered
        .filter((deal) => deal.contractType === 'service' || deal.contractType === 'development')
        .reduce((sum, deal) => sum + deal.contractAmount, 0)
      expect(serviceAndDevelopment / total).toBeGreaterThan(0.5)
    }
  })

  test('local universities and institutes sell roughly a third of their value locally', () => {
    for (const market of [data, other, generateDemoData({ seed: 42 })]) {
      const share = localShare(market)
      expect(share).toBeGreaterThan(0.25)
      expect(share).toBeLessThan(0.5)
    }
  })

  test('external ids are unique and stable in form', () => {
    const ids = [
      ...data.organizations.map((row) => row.externalId),
      ...data.experts.map((row) => row.externalId),
      ...data.results.map((row) => row.externalId),
      ...data.needs.map((row) => row.externalId),
      ...data.deals.map((row) => row.externalId),
    ]
    expect(new Set(ids).size).toBe(ids.length)
    expect(data.organizations.map((org) => org.externalId)).toContain('org-u-001')
    expect(data.organizations.map((org) => org.externalId)).toContain('org-e-001')
    expect(data.experts[0]?.externalId).toBe('expert-0001')
    expect(data.results[0]?.externalId).toBe('result-0001')
    expect(data.needs[0]?.externalId).toBe('need-0001')
    expect(data.deals[0]?.externalId).toBe('deal-0001')
  })

  test('every sub-field can be generated', () => {
    const fields = new Set(subFields.map((subField) => subField.code))
    const many = [...generateResults(3000, data, { seed: 11 })]
    const seen = new Set(many.map((result) => result.fieldCode))
    for (const code of seen) expect(fields.has(code)).toBe(true)
    // Experts cover the institutions' specialties and enterprises their industries: most sub-fields appear.
    expect(seen.size).toBeGreaterThan(40)
  })
})

describe('generateResults', () => {
  test('streams many unique, deterministic results with the given prefix', () => {
    const first = [...generateResults(1000, data, { seed: 5, externalIdPrefix: 'bench-x-' })]
    const again = [...generateResults(1000, data, { seed: 5, externalIdPrefix: 'bench-x-' })]
    expect(first).toHaveLength(1000)
    expect(new Set(first.map((result) => result.externalId)).size).toBe(1000)
    for (const result of first) expect(result.externalId.startsWith('bench-x-')).toBe(true)
    expect(again).toEqual(first)
    expect([...generateResults(10, data, { seed: 6, externalIdPrefix: 'bench-x-' })]).not.toEqual(
      first.slice(0, 10),
    )
  })

  test('the demo results are the first results of the stream for the same seed', () => {
    expect([...generateResults(data.results.length, data)]).toEqual(data.results)
  })

  test('is lazy: taking a few does not generate the rest', () => {
    const iterator = generateResults(Number.MAX_SAFE_INTEGER, data, { seed: 1 })
    const taken = [iterator.next().value, iterator.next().value]
    expect(taken.every((result) => result !== undefined)).toBe(true)
  })
})
