import fc from 'fast-check'
import { describe, expect, test } from 'vitest'

import { isRegisteredDealStatus } from '~/domain/constants'
import {
  drillDownFilters,
  periodOf,
  STAT_DIMENSION_NAMES,
  type LocalityScope,
} from '~/domain/statistics'
import { ContractType, DealStatus, type OrgKind } from '~/generated/prisma/enums'
import {
  findRollupDrift,
  getBreakdown,
  getFigures,
  getYearlySeries,
  listDealsBehind,
} from '~/models/stats.server'
import { prisma } from '~/utils/db.server'

const ORGS = [
  { id: 'u1', name: '西安某大学', kind: 'university', regionCode: '610113' },
  { id: 'i1', name: '西安某研究所', kind: 'institute', regionCode: '610116' },
  { id: 'e1', name: '西安某科技公司', kind: 'enterprise', regionCode: '610131' },
  { id: 'e2', name: '宝鸡某制造公司', kind: 'enterprise', regionCode: '610302' },
  { id: 'e3', name: '北京某科技公司', kind: 'enterprise', regionCode: '110108' },
  { id: 'x1', name: '北京某大学', kind: 'university', regionCode: '110108' },
] as const satisfies readonly { id: string; name: string; kind: OrgKind; regionCode: string }[]

type OrgId = (typeof ORGS)[number]['id']
const regionOf = (id: OrgId) => ORGS.find((org) => org.id === id)!.regionCode

async function createOrgs() {
  await prisma.organization.createMany({ data: ORGS.map((org) => ({ ...org })) })
}

let serial = 0
interface DealSpec {
  seller: OrgId
  buyer: OrgId
  type: ContractType
  subType?: string
  amount: number
  tech: number | null
  status: DealStatus
  /** Registration (and signing) date, YYYY-MM-DD; none for deals not signed. */
  registered?: string
  field?: string
}

/** Deals as the signing step leaves them: terms and both parties' regions frozen. */
function dealRow(spec: DealSpec) {
  serial += 1
  const signed = spec.status !== 'intent' && spec.status !== 'negotiating'
  const registered =
    isRegisteredDealStatus(spec.status) || (spec.status === 'cancelled' && spec.registered)
  return {
    id: `deal-${serial}`,
    title: `合同 ${serial}`,
    contractType: spec.type,
    subType: spec.subType ?? null,
    sellerOrgId: spec.seller,
    buyerOrgId: spec.buyer,
    contractAmount: spec.amount,
    techTransactionAmount: spec.tech,
    status: spec.status,
    fieldCode: spec.field ?? '804',
    signedAt: signed && spec.registered ? new Date(spec.registered) : null,
    registeredAt: registered && spec.registered ? new Date(spec.registered) : null,
    registrationNo:
      registered && spec.registered
        ? `${spec.registered.slice(0, 4)}${regionOf(spec.seller)}${String(serial).padStart(6, '0')}`
        : null,
    sellerRegionCode: signed ? regionOf(spec.seller) : null,
    buyerRegionCode: signed ? regionOf(spec.buyer) : null,
  }
}

describe('the figures, by the official definitions', () => {
  test('a dozen deals worked out by hand: totals, output, absorbed and conversion rates', async () => {
    await createOrgs()
    const deals: DealSpec[] = [
      // prettier-ignore
      { seller: 'u1', buyer: 'e1', type: 'development', subType: '委托开发', amount: 1_000_000, tech: 800_000, status: 'registered', registered: '2026-03-10' },
      {
        seller: 'u1',
        buyer: 'e3',
        type: 'transfer',
        amount: 2_000_000,
        tech: 2_000_000,
        status: 'registered',
        registered: '2026-04-02',
      },
      {
        seller: 'i1',
        buyer: 'e2',
        type: 'license',
        amount: 500_000,
        tech: 400_000,
        status: 'performing',
        registered: '2026-05-20',
      },
      {
        seller: 'e1',
        buyer: 'e3',
        type: 'service',
        amount: 300_000,
        tech: 100_000,
        status: 'completed',
        registered: '2026-06-30',
      },
      {
        seller: 'x1',
        buyer: 'e1',
        type: 'consulting',
        amount: 200_000,
        tech: 200_000,
        status: 'registered',
        registered: '2026-07-01',
      },
      {
        seller: 'u1',
        buyer: 'e2',
        type: 'development',
        amount: 700_000,
        tech: 600_000,
        status: 'registered',
        registered: '2026-08-15',
      },
      // Cancelled, even after registration, and merely signed: never counted.
      {
        seller: 'u1',
        buyer: 'e1',
        type: 'transfer',
        amount: 5_000_000,
        tech: 5_000_000,
        status: 'cancelled',
        registered: '2026-09-01',
      },
      {
        seller: 'u1',
        buyer: 'e1',
        type: 'transfer',
        amount: 900_000,
        tech: 900_000,
        status: 'signed',
        registered: '2026-09-02',
      },
      // Last year's.
      {
        seller: 'i1',
        buyer: 'e1',
        type: 'development',
        amount: 400_000,
        tech: 400_000,
        status: 'completed',
        registered: '2025-12-31',
      },
      // No technology part stated: it adds nothing to 技术交易额.
      {
        seller: 'u1',
        buyer: 'e1',
        type: 'service',
        amount: 150_000,
        tech: null,
        status: 'registered',
        registered: '2026-12-31',
      },
      {
        seller: 'i1',
        buyer: 'e3',
        type: 'consulting',
        amount: 250_000,
        tech: 250_000,
        status: 'registered',
        registered: '2026-01-01',
      },
      {
        seller: 'e3',
        buyer: 'e1',
        type: 'development',
        amount: 600_000,
        tech: 500_000,
        status: 'completed',
        registered: '2026-02-28',
      },
    ]
    await prisma.deal.createMany({ data: deals.map(dealRow) })

    const city = { period: periodOf(2026), scope: 'city' } as const
    const conversion = {
      totalAmount: 4_600_000,
      localAmount: 1_150_000,
      totalCount: 6,
      localCount: 2,
      byValue: 0.25,
      byCount: 2 / 6,
    }
    const expected = {
      contractAmount: 5_700_000,
      techTransactionAmount: 4_850_000,
      count: 9,
      output: { amount: 4_900_000, count: 7 },
      absorbed: { amount: 1_950_000, count: 4 },
      conversion,
    }
    expect(await getFigures(city)).toEqual(expected)
    // The province as the scope: Baoji's buyer is local too.
    expect(await getFigures({ ...city, scope: 'province' })).toEqual({
      ...expected,
      absorbed: { amount: 3_150_000, count: 6 },
      conversion: {
        ...conversion,
        localAmount: 2_350_000,
        localCount: 4,
        byValue: 2_350_000 / 4_600_000,
        byCount: 4 / 6,
      },
    })
    // Filters narrow every figure alike: the universities' and institutes' development work.
    expect(
      await getFigures({ ...city, contractType: 'development', sellerKind: 'university' }),
    ).toMatchObject({ contractAmount: 1_700_000, count: 2, absorbed: { amount: 1_000_000 } })
    expect(await getFigures({ ...city, period: periodOf(2026, { quarter: 1 }) })).toMatchObject({
      contractAmount: 250_000 + 600_000 + 1_000_000,
      count: 3,
    })
    expect(await getYearlySeries(2025, 2026)).toEqual([
      { year: 2025, contractAmount: 400_000, techTransactionAmount: 400_000, count: 1 },
      { year: 2026, contractAmount: 5_700_000, techTransactionAmount: 4_850_000, count: 9 },
    ])
    const byType = await getBreakdown(city, 'contractType')
    expect(
      byType.map(({ key, label, contractAmount, count }) => ({
        key,
        label,
        contractAmount,
        count,
      })),
    ).toEqual([
      { key: 'development', label: '技术开发', contractAmount: 2_300_000, count: 3 },
      { key: 'transfer', label: '技术转让', contractAmount: 2_000_000, count: 1 },
      { key: 'license', label: '技术许可', contractAmount: 500_000, count: 1 },
      // Equal amounts: in the order of their keys.
      { key: 'consulting', label: '技术咨询', contractAmount: 450_000, count: 2 },
      { key: 'service', label: '技术服务', contractAmount: 450_000, count: 2 },
    ])
    expect((await getBreakdown(city, 'month')).map((row) => [row.key, row.count])).toEqual([
      ['2026-01', 1],
      ['2026-02', 1],
      ['2026-03', 1],
      ['2026-04', 1],
      ['2026-05', 1],
      ['2026-06', 1],
      ['2026-07', 1],
      ['2026-08', 1],
      ['2026-12', 1],
    ])
    expect((await getBreakdown(city, 'buyerRegion'))[0]).toMatchObject({
      key: '110108',
      label: '北京市',
      contractAmount: 2_550_000,
    })

    // The Baoji buyer moves to Xi'an and the Xi'an university becomes a company after
    // signing: the figures stay as they were signed.
    await prisma.organization.update({ where: { id: 'e2' }, data: { regionCode: '610113' } })
    await prisma.organization.update({ where: { id: 'u1' }, data: { kind: 'enterprise' } })
    expect(await getFigures(city)).toEqual(expected)
    expect(await findRollupDrift()).toEqual([])
  })

  test('the SQL side counts exactly the statuses the domain counts as registered', async () => {
    const rows = await prisma.$queryRaw<{ status: string; counts: boolean }[]>`
      SELECT status::text, "deal_counts_as_registered"(status) AS counts
      FROM unnest(enum_range(NULL::"DealStatus")) AS status`
    expect(rows).toHaveLength(Object.keys(DealStatus).length)
    for (const row of rows) expect(row.counts, row.status).toBe(isRegisteredDealStatus(row.status))
  })
})

describe('rollups stay equal to the raw figures', () => {
  const orgIds = ORGS.map((org) => org.id)
  const dealSpec = fc.record({
    seller: fc.constantFrom(...orgIds),
    buyer: fc.constantFrom(...orgIds),
    type: fc.constantFrom(...Object.values(ContractType)),
    amount: fc.integer({ min: 1, max: 50_000_000 }).map((fen) => fen / 100),
    techShare: fc.option(fc.integer({ min: 0, max: 100 })),
    status: fc.constantFrom<DealStatus>(
      'signed',
      'registered',
      'performing',
      'completed',
      'cancelled',
    ),
    registered: fc.date({
      min: new Date('2024-01-01'),
      max: new Date('2027-12-31'),
      noInvalidDate: true,
    }),
    field: fc.constantFrom('804', '101', '40', '503'),
  })
  const change = fc.oneof(
    fc.record({
      kind: fc.constant('status' as const),
      pick: fc.nat(),
      to: fc.constantFrom<DealStatus>('registered', 'performing', 'completed', 'cancelled'),
    }),
    fc.record({
      kind: fc.constant('amount' as const),
      pick: fc.nat(),
      amount: fc.integer({ min: 1, max: 9_000_000 }),
    }),
    fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }),
    fc.record({
      kind: fc.constant('move' as const),
      org: fc.constantFrom(...orgIds),
      region: fc.constantFrom('610113', '610302', '110108'),
    }),
    fc.record({ kind: fc.constant('add' as const), deals: fc.array(dealSpec, { maxLength: 5 }) }),
  )

  const toRow = (spec: typeof dealSpec extends fc.Arbitrary<infer T> ? T : never) => {
    const seller = spec.seller as OrgId
    const buyer = (
      spec.buyer === spec.seller ? orgIds.find((id) => id !== spec.seller)! : spec.buyer
    ) as OrgId
    return dealRow({
      seller,
      buyer,
      type: spec.type,
      amount: spec.amount,
      tech: spec.techShare === null ? null : Math.floor(spec.amount * spec.techShare) / 100,
      status: spec.status,
      registered: spec.registered.toISOString().slice(0, 10),
      field: spec.field,
    })
  }

  test('after random deals and random changes, every rollup key equals a plain aggregate, and breakdowns sum to the total', async () => {
    await createOrgs()
    await fc.assert(
      fc.asyncProperty(
        fc.array(dealSpec, { minLength: 1, maxLength: 25 }),
        fc.array(change, { maxLength: 8 }),
        async (specs, changes) => {
          await prisma.deal.deleteMany()
          await prisma.deal.createMany({ data: specs.map(toRow) })
          for (const step of changes) {
            const ids = (
              await prisma.deal.findMany({ select: { id: true }, orderBy: { id: 'asc' } })
            ).map((deal) => deal.id)
            const id = 'pick' in step && ids.length > 0 ? ids[step.pick % ids.length]! : undefined
            if (step.kind === 'status' && id) {
              const deal = await prisma.deal.findUniqueOrThrow({ where: { id } })
              if (isRegisteredDealStatus(step.to) && !deal.registrationNo) continue
              await prisma.deal.update({ where: { id }, data: { status: step.to } })
            } else if (step.kind === 'amount' && id) {
              await prisma.deal.update({
                where: { id },
                data: { contractAmount: step.amount, techTransactionAmount: null },
              })
            } else if (step.kind === 'delete' && id) {
              await prisma.deal.delete({ where: { id } })
            } else if (step.kind === 'move') {
              await prisma.organization.update({
                where: { id: step.org },
                data: { regionCode: step.region },
              })
            } else if (step.kind === 'add' && step.deals.length > 0) {
              await prisma.deal.createMany({ data: step.deals.map(toRow) })
            }
          }
          expect(await findRollupDrift()).toEqual([])
          for (const [year, scope] of [
            [2024, 'city'],
            [2025, 'province'],
            [2026, 'city'],
            [2027, 'province'],
          ] as const satisfies [number, LocalityScope][]) {
            const filters = { period: periodOf(year), scope }
            const figures = await getFigures(filters)
            for (const dimension of STAT_DIMENSION_NAMES) {
              const rows = await getBreakdown(filters, dimension)
              const cents = (amount: number) => Math.round(amount * 100)
              expect(
                rows.reduce((sum, row) => sum + row.count, 0),
                dimension,
              ).toBe(figures.count)
              expect(
                rows.reduce((sum, row) => sum + cents(row.contractAmount), 0),
                dimension,
              ).toBe(cents(figures.contractAmount))
              // Each row drills down to exactly the deals behind it.
              if (year !== 2026) continue
              for (const row of rows) {
                const behind = await listDealsBehind(
                  drillDownFilters(filters, dimension, row.key),
                  1,
                  1,
                )
                expect([dimension, row.key, behind.total, cents(behind.contractAmount)]).toEqual([
                  dimension,
                  row.key,
                  row.count,
                  cents(row.contractAmount),
                ])
              }
            }
          }
        },
      ),
      { numRuns: 25 },
    )
    await Promise.all(
      ORGS.map((org) =>
        prisma.organization.update({ where: { id: org.id }, data: { regionCode: org.regionCode } }),
      ),
    )
  })
})
