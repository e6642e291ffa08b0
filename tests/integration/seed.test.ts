import { describe, expect, test } from 'vitest'

import { EXPIRY_WARNING_DAYS, REGISTERED_DEAL_STATUSES } from '~/domain/constants'
import { isValidCreditCode } from '~/domain/credit-code'
import { periodOf } from '~/domain/statistics'
import { getFigures } from '~/models/stats.server'
import { verifyLogin } from '~/models/user.server'
import { loader as homeLoader } from '~/routes/_index'
import { prisma } from '~/utils/db.server'

import { DEMO_PASSWORD, seedBenchmarkResults, seedDemoIfEmpty } from '../../seeds/seed.server'
import { buildRequest, run } from '../setup/remix'

const now = new Date('2026-11-01T00:00:00+08:00')

describe('demo data', () => {
  test('seeds a realistic market once, with one working account per role', async () => {
    expect(await seedDemoIfEmpty({ now })).toBe(true)
    expect(await seedDemoIfEmpty({ now })).toBe(false)

    const [orgs, experts, results, needs, deals, outbox] = await Promise.all([
      prisma.organization.findMany({ select: { creditCode: true, kind: true } }),
      prisma.expert.count(),
      prisma.result.count(),
      prisma.need.count(),
      prisma.deal.count({ where: { externalId: { startsWith: 'deal-' } } }),
      prisma.searchOutbox.groupBy({ by: ['entity'], _count: true }),
    ])
    expect(orgs.filter((org) => org.kind === 'university').length).toBeGreaterThanOrEqual(10)
    expect(orgs.every((org) => org.creditCode && isValidCreditCode(org.creditCode))).toBe(true)
    expect({ experts, results, needs, deals }).toEqual({
      experts: 150,
      results: 300,
      needs: 200,
      deals: 400,
    })
    // Every listing is waiting for the search indexer.
    expect(Object.fromEntries(outbox.map((row) => [row.entity, row._count]))).toEqual({
      result: 300,
      need: 200,
      expert: 150,
    })

    for (const role of ['enterprise', 'researcher', 'broker', 'bureau', 'admin'] as const) {
      const user = await prisma.user.findUniqueOrThrow({
        where: { email: `${role}@demo.local` },
        select: { id: true, role: true, orgId: true },
      })
      expect(user.role).toBe(role)
      expect(await verifyLogin(`${role}@demo.local`, DEMO_PASSWORD)).toEqual({ id: user.id })
      if (role !== 'admin') expect(user.orgId).not.toBeNull()
    }

    // Every deal has an event log ending in its current status.
    const withHistory = await prisma.deal.findMany({
      select: {
        status: true,
        events: { orderBy: { createdAt: 'asc' }, select: { toStatus: true } },
      },
    })
    expect(withHistory.every((deal) => deal.events.at(-1)?.toStatus === deal.status)).toBe(true)
  })

  test('the demo accounts’ organizations show a listing under review (with its date) and the researcher’s one past or near its expiry', async () => {
    await seedDemoIfEmpty({ now })
    const soon = new Date(now.getTime() + EXPIRY_WARNING_DAYS * 86_400_000)
    const orgOf = async (email: string) =>
      (await prisma.user.findUniqueOrThrow({ where: { email }, select: { orgId: true } })).orgId!
    const university = await orgOf('researcher@demo.local')
    const enterprise = await orgOf('enterprise@demo.local')
    const waiting = { status: 'pending_review' as const, submittedAt: { not: null } }
    const expiring = { expiresAt: { lt: soon } }
    expect(await prisma.result.count({ where: { orgId: university, ...waiting } })).toBeGreaterThan(
      0,
    )
    expect(
      await prisma.result.count({
        where: { orgId: university, status: { in: ['published', 'expired'] }, ...expiring },
      }),
    ).toBeGreaterThan(0)
    expect(await prisma.need.count({ where: { orgId: enterprise, ...waiting } })).toBeGreaterThan(0)
  })

  test('the city registry has a realistic scale and shape besides the platform deals', async () => {
    await seedDemoIfEmpty({ now })
    const years = await prisma.$queryRaw<
      { year: number; count: bigint; amount: number; december: number; top: number }[]
    >`
      WITH registry AS (
        SELECT EXTRACT(YEAR FROM "registeredAt")::int AS year, "registeredAt",
               "contractAmount"::float8 AS amount,
               percent_rank() OVER (PARTITION BY EXTRACT(YEAR FROM "registeredAt")
                                    ORDER BY "contractAmount") AS rank
        FROM "Deal" WHERE "externalId" LIKE 'registry-%'
      )
      SELECT year, count(*) AS count, sum(amount) AS amount,
             sum(amount) FILTER (WHERE EXTRACT(MONTH FROM "registeredAt") = 12) AS december,
             sum(amount) FILTER (WHERE rank >= 0.97) AS top
      FROM registry GROUP BY year ORDER BY year`
    const full = years.filter((row) => row.year >= 2022 && row.year <= 2025)
    expect(full).toHaveLength(4)
    const total = years.reduce((sum, row) => sum + Number(row.count), 0)
    expect(total).toBeGreaterThan(40_000)
    for (const row of full) {
      // Hundreds of 亿元 a year, growing, December the busiest month, a few big contracts
      // carrying most of the value.
      expect(row.amount / 1e8).toBeGreaterThan(250)
      expect(row.amount / 1e8).toBeLessThan(800)
      expect(row.december / row.amount).toBeGreaterThan(0.12)
      expect(row.top / row.amount).toBeGreaterThan(0.5)
    }
    expect(Number(full.at(-1)!.count)).toBeGreaterThan(Number(full[0]!.count))
    // Registry contracts were not made here: no broker, listing or enquiry behind them.
    expect(
      await prisma.deal.count({
        where: {
          externalId: { startsWith: 'registry-' },
          OR: [{ brokerId: { not: null } }, { resultId: { not: null } }, { needId: { not: null } }],
        },
      }),
    ).toBe(0)
    // The plan's targets for each year, and quarterly reports from the other offices.
    expect(await prisma.target.count({ where: { year: 2025 } })).toBe(9)
    expect(
      await prisma.reportedActual.count({
        where: { year: 2025, metric: 'invention_patent_grants' },
      }),
    ).toBe(4)
  })

  test('statistics follow the official definitions on the seeded deals', async () => {
    await seedDemoIfEmpty({ now })
    const year = 2025
    const registered = await prisma.deal.findMany({
      where: {
        status: { in: REGISTERED_DEAL_STATUSES },
        registeredAt: { gte: new Date('2025-01-01'), lt: new Date('2026-01-01') },
      },
      select: {
        contractAmount: true,
        buyerRegionCode: true,
        sellerRegionCode: true,
        sellerOrg: { select: { kind: true } },
      },
    })
    const value = await getFigures({ period: periodOf(year), scope: 'city' })
    expect(value.count).toBe(registered.length)
    expect(value.contractAmount).toBeCloseTo(
      registered.reduce((sum, deal) => sum + Number(deal.contractAmount), 0),
      2,
    )

    const fromLocalInstitutions = registered.filter(
      (deal) =>
        ['university', 'institute'].includes(deal.sellerOrg.kind) &&
        deal.sellerRegionCode?.startsWith('6101'),
    )
    const { conversion } = value
    expect(conversion.totalCount).toBe(fromLocalInstitutions.length)
    expect(conversion.localCount).toBe(
      fromLocalInstitutions.filter((deal) => deal.buyerRegionCode?.startsWith('6101')).length,
    )
    expect(conversion.localAmount).toBeCloseTo(
      fromLocalInstitutions
        .filter((deal) => deal.buyerRegionCode?.startsWith('6101'))
        .reduce((sum, deal) => sum + Number(deal.contractAmount), 0),
      2,
    )
    expect(conversion.byValue).toBe(conversion.localAmount / conversion.totalAmount)
  })

  test('the home page shows the live figures and latest listings', async () => {
    await seedDemoIfEmpty()
    const response = await run(homeLoader, buildRequest('/'))
    const { counts, latest } = (await response.json()) as {
      counts: {
        results: number
        needs: number
        experts: number
        deals: number
        yearContractAmount: number
      }
      latest: { results: { title: string }[]; needs: { title: string }[] }
    }
    expect(counts.results).toBeGreaterThan(150)
    expect(counts.results).toBe(
      await prisma.result.count({
        where: { status: { in: ['published', 'in_negotiation'] }, expiresAt: { gt: new Date() } },
      }),
    )
    expect(counts.experts).toBe(150)
    expect(counts.yearContractAmount).toBeGreaterThan(0)
    expect(latest.results).toHaveLength(6)
    expect(latest.needs).toHaveLength(6)
  })

  test('benchmark results stream in batches, each with its outbox rows', async () => {
    await seedDemoIfEmpty({ now })
    const progress: number[] = []
    const written = await seedBenchmarkResults(2500, { onProgress: (done) => progress.push(done) })
    expect(written).toBe(2500)
    expect(progress).toEqual([1000, 2000, 2500])
    expect(await prisma.result.count()).toBe(2800)
    expect(await prisma.searchOutbox.count({ where: { entity: 'result' } })).toBe(2800)
    // The benchmark stream continues the demo's: no institution lists one title twice.
    const titles = await prisma.result.groupBy({ by: ['orgId', 'title'], _count: { _all: true } })
    expect(titles.filter((group) => group._count._all > 1)).toEqual([])
    expect(titles).toHaveLength(2800)
  })
})
