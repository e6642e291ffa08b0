import { isRegisteredDealStatus } from '~/domain/constants'
import { pathTo } from '~/domain/deals'
import { currentYear } from '~/domain/statistics'
import { planTargets } from '~/domain/targets'
import type { PrismaClient } from '~/generated/prisma/client'
import type { DealStatus, TargetMetric } from '~/generated/prisma/enums'
import { createId, insertListingsWithOutbox } from '~/models/bulk.server'
import { prisma } from '~/utils/db.server'
import { logger } from '~/utils/logger.server'
import { hashPassword } from '~/utils/password.server'

import {
  generateDemoData,
  generateRegistry,
  generateResults,
  type DealSeed,
  type DemoData,
  type DemoDataOptions,
  type ResultSeed,
} from './generator'

export const DEMO_PASSWORD = 'Demo@2026'
/** One demo account per role, all with DEMO_PASSWORD; the start-up banner lists them. */
export const DEMO_EMAILS = {
  enterprise: 'enterprise@demo.local',
  researcher: 'researcher@demo.local',
  broker: 'broker@demo.local',
  bureau: 'bureau@demo.local',
  admin: 'admin@demo.local',
} as const

const BATCH_SIZE = 1000

/** Seeds the demo market unless the database already holds organizations. */
export async function seedDemoIfEmpty(options: DemoDataOptions = {}): Promise<boolean> {
  if ((await prisma.organization.count()) > 0) return false
  const startedAt = Date.now()
  const summary = await seedDemo(options)
  logger.info({ ...summary, ms: Date.now() - startedAt }, '已写入演示数据')
  return true
}

/**
 * Writes the generated market in one transaction: organizations, experts, results, needs,
 * deals with their event history, one account per role, the bureau's targets, and the
 * search outbox rows every listing write carries.
 */
export async function seedDemo(options: DemoDataOptions = {}) {
  // Dated from today, so that a fresh install shows current, unexpired listings.
  const now = options.now ?? new Date()
  const data = generateDemoData({ ...options, now })
  const passwordHash = await hashPassword(DEMO_PASSWORD)
  const year = currentYear(options.now)

  return prisma.$transaction(
    async (tx) => {
      await tx.organization.createMany({
        data: data.organizations.map((org) => ({
          externalId: org.externalId,
          name: org.name,
          kind: org.kind,
          creditCode: org.creditCode,
          regionCode: org.regionCode,
          zone: org.zone,
          highTech: org.highTech,
          littleGiant: org.littleGiant,
          size: org.size,
          industry: org.industry,
        })),
      })
      const orgs = await tx.organization.findMany({
        select: { id: true, externalId: true, name: true, kind: true },
      })
      const orgId = new Map(orgs.map((org) => [org.externalId, org.id]))
      const requireOrg = (externalId: string) => {
        const id = orgId.get(externalId)
        if (!id) throw new Error(`演示数据引用了不存在的单位 ${externalId}`)
        return id
      }

      const demoOrg = (kind: string, preferredName?: string) =>
        orgs.find((org) => org.externalId === findDemoOrg(data, kind, preferredName)?.externalId)
      const accounts = [
        {
          email: DEMO_EMAILS.enterprise,
          displayName: '王企业',
          role: 'enterprise',
          org: demoOrg('enterprise'),
        },
        {
          email: DEMO_EMAILS.researcher,
          displayName: '李研究',
          role: 'researcher',
          org: demoOrg('university', '西安交通大学'),
        },
        {
          email: DEMO_EMAILS.broker,
          displayName: '张经纪',
          role: 'broker',
          org: demoOrg('broker_agency'),
        },
        {
          email: DEMO_EMAILS.bureau,
          displayName: '赵科技',
          role: 'bureau',
          org: demoOrg('government'),
        },
        { email: DEMO_EMAILS.admin, displayName: '平台管理员', role: 'admin', org: undefined },
      ] as const
      await tx.user.createMany({
        data: accounts.map((account) => ({
          email: account.email,
          displayName: account.displayName,
          role: account.role,
          orgId: account.org?.id ?? null,
          // The demo accounts are their organizations' first members, who admit the others.
          membership: account.org ? 'active' : null,
          canAdmit: !!account.org,
          termsAcceptedAt: new Date(),
          passwordHash,
        })),
      })
      const broker = await tx.user.findUniqueOrThrow({
        where: { email: DEMO_EMAILS.broker },
        select: { id: true },
      })
      const researcher = await tx.user.findUniqueOrThrow({
        where: { email: DEMO_EMAILS.researcher },
        select: { id: true, orgId: true },
      })

      await tx.expert.createMany({
        data: data.experts.map((expert) => ({
          externalId: expert.externalId,
          name: expert.name,
          title: expert.title,
          orgId: requireOrg(expert.orgExternalId),
          fields: expert.fields,
          keywords: expert.keywords,
          bio: expert.bio,
        })),
      })
      const experts = await tx.expert.findMany({
        select: { id: true, externalId: true, orgId: true },
      })
      const expertId = new Map(experts.map((expert) => [expert.externalId, expert.id]))
      // The demo researcher is the first expert of their university, so their profile is real.
      const researcherExpert = experts.find((expert) => expert.orgId === researcher.orgId)
      if (researcherExpert) {
        await tx.expert.update({
          where: { id: researcherExpert.id },
          data: { userId: researcher.id },
        })
      }

      await tx.result.createMany({
        data: data.results.map((result) => toResultRow(result, requireOrg, expertId)),
      })
      await tx.need.createMany({
        data: data.needs.map((need) => ({
          externalId: need.externalId,
          title: need.title,
          description: need.description,
          fieldCode: need.fieldCode,
          keywords: need.keywords,
          budgetMin: need.budgetMin,
          budgetMax: need.budgetMax,
          deadline: need.deadline,
          cooperationModes: need.cooperationModes,
          status: need.status,
          orgId: requireOrg(need.orgExternalId),
          confirmedAt: need.confirmedAt,
          expiresAt: need.expiresAt,
          publishedAt: need.publishedAt,
          submittedAt: need.status === 'pending_review' ? need.createdAt : null,
          createdAt: need.createdAt,
        })),
      })
      const [results, needs] = await Promise.all([
        tx.result.findMany({ select: { id: true, externalId: true } }),
        tx.need.findMany({ select: { id: true, externalId: true } }),
      ])
      const resultId = new Map(results.map((row) => [row.externalId, row.id]))
      const needId = new Map(needs.map((row) => [row.externalId, row.id]))

      // Most platform deals go through the demo broker, who earns 3–5% commission on them.
      await tx.deal.createMany({
        data: data.deals.map((deal, index) => {
          const brokered = index % 5 !== 0
          return {
            externalId: deal.externalId,
            title: deal.title,
            contractType: deal.contractType,
            subType: deal.subType,
            sellerOrgId: requireOrg(deal.sellerOrgExternalId),
            buyerOrgId: requireOrg(deal.buyerOrgExternalId),
            brokerId: brokered ? broker.id : null,
            commissionAmount: brokered
              ? Math.round((deal.contractAmount * (3 + (index % 3))) / 100)
              : null,
            contractAmount: deal.contractAmount,
            techTransactionAmount: deal.techTransactionAmount,
            status: deal.status,
            signedAt: deal.signedAt,
            registeredAt: deal.registeredAt,
            registrationNo: deal.registrationNo,
            fieldCode: deal.fieldCode,
            sellerRegionCode: deal.sellerRegionCode,
            buyerRegionCode: deal.buyerRegionCode,
            resultId: deal.resultExternalId ? (resultId.get(deal.resultExternalId) ?? null) : null,
            needId: deal.needExternalId ? (needId.get(deal.needExternalId) ?? null) : null,
            createdAt: deal.createdAt,
          }
        }),
      })
      const deals = await tx.deal.findMany({
        select: {
          id: true,
          status: true,
          brokerId: true,
          createdAt: true,
          signedAt: true,
          registeredAt: true,
        },
      })
      await tx.dealEvent.createMany({ data: deals.flatMap(dealHistory) })

      const registry = await seedRegistry(tx, requireOrg, { ...options, now })

      // The city's 2014 work plan's targets for every year of the registry, and the figures
      // other offices reported each quarter, so the targets page has a history to project from.
      const planYears = [year - 4, year - 3, year - 2, year - 1, year]
      await tx.target.createMany({ data: planYears.flatMap(planTargets) })
      const bureau = await tx.user.findUniqueOrThrow({
        where: { email: DEMO_EMAILS.bureau },
        select: { id: true },
      })
      await tx.reportedActual.createMany({
        data: planYears.flatMap((reportYear) =>
          demoReports(reportYear, year, now).map((report) => ({
            ...report,
            reportedById: bureau.id,
          })),
        ),
      })

      await tx.searchOutbox.createMany({
        data: [
          ...results.map((row) => ({
            entity: 'result' as const,
            entityId: row.id,
            op: 'upsert' as const,
          })),
          ...needs.map((row) => ({
            entity: 'need' as const,
            entityId: row.id,
            op: 'upsert' as const,
          })),
          ...experts.map((row) => ({
            entity: 'expert' as const,
            entityId: row.id,
            op: 'upsert' as const,
          })),
        ],
      })

      return {
        organizations: orgs.length,
        experts: experts.length,
        results: results.length,
        needs: needs.length,
        deals: deals.length,
        registry,
      }
    },
    { timeout: 120_000 },
  )
}

function toResultRow(
  result: ResultSeed,
  requireOrg: (externalId: string) => string,
  expertId: Map<string | null, string>,
) {
  return {
    externalId: result.externalId,
    title: result.title,
    summary: result.summary,
    description: result.description,
    fieldCode: result.fieldCode,
    keywords: result.keywords,
    trl: result.trl,
    ipType: result.ipType,
    patentNos: result.patentNos,
    transferModes: result.transferModes,
    askingPrice: result.askingPrice,
    status: result.status,
    orgId: requireOrg(result.orgExternalId),
    leadExpertId: result.leadExpertExternalId
      ? (expertId.get(result.leadExpertExternalId) ?? null)
      : null,
    confirmedAt: result.confirmedAt,
    expiresAt: result.expiresAt,
    publishedAt: result.publishedAt,
    submittedAt: result.status === 'pending_review' ? result.createdAt : null,
    createdAt: result.createdAt,
  }
}

function findDemoOrg(data: DemoData, kind: string, preferredName?: string) {
  return (
    data.organizations.find((org) => org.name === preferredName) ??
    data.organizations.find((org) => org.kind === kind)
  )
}

/**
 * Figures reported to the bureau in the demo: a year-end value for the current year, growing
 * 8 % a year, and the share of it reached at the end of each quarter (high-tech enterprises
 * are recognised in batches late in the year; 小巨人 is a total that grows slowly).
 */
const DEMO_REPORTS: Partial<
  Record<TargetMetric, { source: string; yearEnd: number; quarters: readonly number[] }>
> = {
  invention_patent_applications: {
    source: '市知识产权局统计月报',
    yearEnd: 21_600,
    quarters: [0.21, 0.47, 0.72, 1],
  },
  invention_patent_grants: {
    source: '市知识产权局统计月报',
    yearEnd: 4300,
    quarters: [0.23, 0.49, 0.74, 1],
  },
  new_high_tech_enterprises: {
    source: '省高新技术企业认定管理机构公示',
    yearEnd: 108,
    quarters: [0, 0.32, 0.41, 1],
  },
  little_giants: { source: '市科技局企业处', yearEnd: 318, quarters: [0.92, 0.95, 0.97, 1] },
  high_tech_value_added: {
    source: '市统计局季度数据',
    yearEnd: 72_000_000_000,
    quarters: [0.22, 0.47, 0.73, 1],
  },
}

/** The quarterly reports of a year that would have arrived by `now` (a month after quarter end). */
function demoReports(reportYear: number, thisYear: number, now: Date) {
  return Object.entries(DEMO_REPORTS).flatMap(([metric, report]) =>
    report.quarters.flatMap((share, quarter) => {
      const asOf = new Date(Date.UTC(reportYear, quarter * 3 + 3, 0))
      if (asOf.getTime() + 30 * 86_400_000 > now.getTime()) return []
      const yearEnd = report.yearEnd * 1.08 ** (reportYear - thisYear)
      const value =
        metric === 'high_tech_value_added'
          ? Math.round((yearEnd * share) / 1e6) * 1e6
          : Math.round(yearEnd * share)
      return [
        { year: reportYear, metric: metric as TargetMetric, value, source: report.source, asOf },
      ]
    }),
  )
}

const REGISTRY_BATCH = 5000

type RawDb = Pick<PrismaClient, '$executeRawUnsafe'>

/**
 * Writes registry contracts, with the events of their registration and, for those since
 * performed or completed, of those steps, in one statement: rows travel as one JSON document
 * and the events are derived from the inserted deals in SQL, which keeps a first start fast.
 */
export async function insertRegistryDeals(
  db: RawDb,
  deals: readonly (DealSeed & { sellerOrgId: string; buyerOrgId: string })[],
  now: Date,
) {
  if (deals.length === 0) return 0
  const rows = deals.map((deal) => ({
    id: createId(),
    externalId: deal.externalId,
    title: deal.title,
    contractType: deal.contractType,
    subType: deal.subType,
    sellerOrgId: deal.sellerOrgId,
    buyerOrgId: deal.buyerOrgId,
    contractAmount: deal.contractAmount,
    techTransactionAmount: deal.techTransactionAmount,
    status: deal.status,
    signedAt: deal.signedAt,
    registeredAt: deal.registeredAt,
    registrationNo: deal.registrationNo,
    fieldCode: deal.fieldCode,
    sellerRegionCode: deal.sellerRegionCode,
    buyerRegionCode: deal.buyerRegionCode,
    createdAt: deal.createdAt,
  }))
  await db.$executeRawUnsafe(
    `WITH input AS (
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(
         id text, "externalId" text, title text, "contractType" "ContractType", "subType" text,
         "sellerOrgId" text, "buyerOrgId" text, "contractAmount" numeric,
         "techTransactionAmount" numeric, status "DealStatus", "signedAt" timestamptz,
         "registeredAt" timestamptz, "registrationNo" text, "fieldCode" text,
         "sellerRegionCode" text, "buyerRegionCode" text, "createdAt" timestamptz)
     ), deals AS (
       INSERT INTO "Deal" (id, "externalId", title, "contractType", "subType", "sellerOrgId",
         "buyerOrgId", "contractAmount", "techTransactionAmount", status, "signedAt",
         "registeredAt", "registrationNo", "fieldCode", "sellerRegionCode", "buyerRegionCode",
         "createdAt", "updatedAt")
       SELECT id, "externalId", title, "contractType", "subType", "sellerOrgId", "buyerOrgId",
         "contractAmount", "techTransactionAmount", status,
         ("signedAt" AT TIME ZONE 'Asia/Shanghai')::date,
         ("registeredAt" AT TIME ZONE 'Asia/Shanghai')::date, "registrationNo", "fieldCode",
         "sellerRegionCode", "buyerRegionCode", "createdAt" AT TIME ZONE 'UTC',
         "registeredAt" AT TIME ZONE 'UTC'
       FROM input
       RETURNING id, status, "updatedAt" AS "registeredAt"
     )
     INSERT INTO "DealEvent" (id, "dealId", "fromStatus", "toStatus", note, "createdAt")
     SELECT 'c' || left(md5(deals.id || step.n), 24), deals.id, step."from", step."to",
            step.note, step.at
     FROM deals CROSS JOIN LATERAL (VALUES
       (1, NULL::"DealStatus", 'registered'::"DealStatus", '技术合同认定登记（登记系统）',
        deals."registeredAt"),
       (2, 'registered', 'performing', NULL,
        least($2::timestamptz AT TIME ZONE 'UTC', deals."registeredAt" + interval '30 days')),
       (3, 'performing', 'completed', NULL,
        least($2::timestamptz AT TIME ZONE 'UTC', deals."registeredAt" + interval '210 days'))
     ) AS step(n, "from", "to", note, at)
     WHERE step.n = 1
        OR (step.n = 2 AND deals.status IN ('performing', 'completed'))
        OR (step.n = 3 AND deals.status = 'completed')`,
    JSON.stringify(rows),
    now.toISOString(),
  )
  return rows.length
}

/**
 * The city's registry of technology contracts beyond the platform's own deals, so the bureau's
 * figures have a realistic scale.
 */
async function seedRegistry(
  db: RawDb,
  requireOrg: (externalId: string) => string,
  options: DemoDataOptions & { now: Date },
) {
  let written = 0
  let batch: Parameters<typeof insertRegistryDeals>[1][number][] = []
  const registry = generateRegistry({
    ...options,
    years: options.registryYears,
    contractsPerYear: options.registryPerYear,
  })
  for (const deal of registry) {
    batch.push({
      ...deal,
      sellerOrgId: requireOrg(deal.sellerOrgExternalId),
      buyerOrgId: requireOrg(deal.buyerOrgExternalId),
    })
    if (batch.length === REGISTRY_BATCH) {
      written += await insertRegistryDeals(db, batch, options.now)
      batch = []
    }
  }
  return written + (await insertRegistryDeals(db, batch, options.now))
}

/** The event log a deal would have accumulated on its way to its current status. */
function dealHistory(deal: {
  id: string
  status: DealStatus
  brokerId: string | null
  createdAt: Date
  signedAt: Date | null
  registeredAt: Date | null
}) {
  // The same moves the model makes (cancelled ones were cancelled at the start).
  const reached: DealStatus[] = ['intent', ...pathTo(deal.status).map((move) => move.to)]
  const at = (status: string) =>
    status === 'signed' && deal.signedAt
      ? deal.signedAt
      : isRegisteredDealStatus(status) && deal.registeredAt
        ? deal.registeredAt
        : deal.createdAt
  // Steps sharing a date (registered, then performing) stay in order a minute apart.
  return reached.map((status, index) => ({
    dealId: deal.id,
    actorId: deal.brokerId,
    fromStatus: index === 0 ? null : reached[index - 1]!,
    toStatus: status,
    note: index === 0 ? '创建合同意向' : null,
    createdAt: new Date(at(status).getTime() + index * 60_000),
  }))
}

/**
 * Streams `count` generated results into the database in batches (for benchmarks), each batch
 * with its outbox rows in the same transaction. Needs the demo organizations and experts.
 */
export async function seedBenchmarkResults(
  count: number,
  options: { seed?: number; onProgress?: (done: number) => void } = {},
) {
  const [organizations, experts] = await Promise.all([
    prisma.organization.findMany({
      where: { externalId: { not: null } },
      select: { id: true, externalId: true, name: true, kind: true, regionCode: true },
    }),
    prisma.expert.findMany({
      where: { externalId: { not: null } },
      select: { id: true, externalId: true, orgId: true, fields: true },
    }),
  ])
  const orgId = new Map(organizations.map((org) => [org.externalId, org.id]))
  const expertId = new Map(experts.map((expert) => [expert.externalId, expert.id]))
  const requireOrg = (externalId: string) => {
    const id = orgId.get(externalId)
    if (!id) throw new Error(`单位 ${externalId} 不存在：请先写入演示数据`)
    return id
  }
  const context = generateDemoData({ seed: options.seed })
  const prefix = `bench-${Date.now().toString(36)}-`
  let written = 0
  let batch: ResultSeed[] = []
  const flush = async () => {
    const now = new Date()
    const rows = batch.map((result) => ({
      id: createId(),
      ...toResultRow(result, requireOrg, expertId),
      updatedAt: now,
    }))
    batch = []
    await insertListingsWithOutbox(prisma, 'Result', rows)
    written += rows.length
    options.onProgress?.(written)
  }
  for (const result of generateResults(count, context, {
    seed: options.seed,
    externalIdPrefix: prefix,
    // Continue after the demo's results, so no institution lists one title twice.
    skip: context.results.length,
  })) {
    batch.push(result)
    if (batch.length === BATCH_SIZE) await flush()
  }
  if (batch.length) await flush()
  return written
}
