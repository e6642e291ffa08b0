import type { Prisma } from '~/generated/prisma/client'
import type { TransferMode } from '~/generated/prisma/enums'
import { prisma } from '~/utils/db.server'
import { listingRules } from '~/utils/listing-rules'
import { highTechFields } from '~/utils/reference'
import type { ResultInput } from '~/validation/listings'

import { enqueueSearchUpdate } from './outbox.server'

const rules = listingRules.result

/** What the public may see: published (or in negotiation) and confirmed recently enough. */
export function publicResultWhere(now = new Date()): Prisma.ResultWhereInput {
  return { status: { in: [...rules.liveStatuses] }, expiresAt: { gt: now } }
}

/** A field code ('80') covers its own code and every sub-field code under it. */
export function fieldCodesUnder(code: string) {
  const field = highTechFields.find((candidate) => candidate.code === code)
  return field ? [field.code, ...field.children.map((child) => child.code)] : [code]
}

export interface ResultFilters {
  fieldCode?: string
  trlMin?: number
  regionCode?: string
  transferMode?: TransferMode
}

export async function listPublicResults(filters: ResultFilters, page: number, pageSize: number) {
  const where: Prisma.ResultWhereInput = {
    ...publicResultWhere(),
    ...(filters.fieldCode ? { fieldCode: { in: fieldCodesUnder(filters.fieldCode) } } : {}),
    ...(filters.trlMin ? { trl: { gte: filters.trlMin } } : {}),
    ...(filters.regionCode ? { org: { regionCode: filters.regionCode } } : {}),
    ...(filters.transferMode ? { transferModes: { has: filters.transferMode } } : {}),
  }
  const [total, items] = await prisma.$transaction([
    prisma.result.count({ where }),
    prisma.result.findMany({
      where,
      orderBy: [{ publishedAt: 'desc' }, { id: 'desc' }],
      skip: (page - 1) * pageSize,
      take: pageSize,
      select: {
        id: true,
        title: true,
        summary: true,
        fieldCode: true,
        trl: true,
        transferModes: true,
        askingPrice: true,
        confirmedAt: true,
        org: { select: { name: true, regionCode: true } },
      },
    }),
  ])
  return { total, items }
}

const detailSelect = {
  id: true,
  title: true,
  summary: true,
  description: true,
  fieldCode: true,
  keywords: true,
  trl: true,
  ipType: true,
  patentNos: true,
  transferModes: true,
  askingPrice: true,
  status: true,
  rejectionReason: true,
  confirmedAt: true,
  expiresAt: true,
  publishedAt: true,
  updatedAt: true,
  version: true,
  orgId: true,
  leadExpertId: true,
  org: { select: { id: true, name: true, kind: true, regionCode: true, zone: true } },
  leadExpert: { select: { id: true, name: true, title: true } },
} satisfies Prisma.ResultSelect

/**
 * A result as `viewer` may see it: public ones for everybody; drafts, rejected and expired
 * ones only for their own organization and for moderators. Null means "not found" to them.
 */
export function getResultForViewer(
  id: string,
  viewer: { role: string; org: { id: string } | null } | null,
) {
  const mayModerate = viewer && ['broker', 'bureau', 'admin'].includes(viewer.role)
  const visibility: Prisma.ResultWhereInput = mayModerate
    ? {}
    : { OR: [publicResultWhere(), ...(viewer?.org ? [{ orgId: viewer.org.id }] : [])] }
  return prisma.result.findFirst({ where: { id, ...visibility }, select: detailSelect })
}

export function getRelatedResults(result: { id: string; fieldCode: string }, take = 4) {
  return prisma.result.findMany({
    where: { ...publicResultWhere(), fieldCode: result.fieldCode, id: { not: result.id } },
    orderBy: { publishedAt: 'desc' },
    take,
    select: { id: true, title: true, trl: true, org: { select: { name: true } } },
  })
}

/** Experts of the organization, for the lead-expert picker. */
export function listOrgExperts(orgId: string) {
  return prisma.expert.findMany({
    where: { orgId },
    orderBy: { name: 'asc' },
    select: { id: true, name: true, title: true },
  })
}

function toData(input: ResultInput) {
  return {
    title: input.title,
    summary: input.summary,
    description: input.description ?? null,
    fieldCode: input.fieldCode,
    keywords: input.keywords,
    trl: input.trl,
    ipType: input.ipType ?? null,
    patentNos: input.patentNos,
    transferModes: input.transferModes as TransferMode[],
    askingPrice: input.askingPrice ?? null,
    leadExpertId: input.leadExpertId ?? null,
  }
}

async function leadExpertError(tx: Prisma.TransactionClient, orgId: string, leadExpertId?: string) {
  if (!leadExpertId) return null
  const expert = await tx.expert.findFirst({
    where: { id: leadExpertId, orgId },
    select: { id: true },
  })
  return expert ? null : { leadExpertId: ['成果负责人应为本单位的专家'] }
}

export type SaveOutcome =
  | { ok: true; id: string }
  | {
      ok: false
      status: 400 | 404 | 409
      fieldErrors?: Record<string, string[]>
      formError?: string
    }

/** A new result starts as a draft of the author's organization. */
export async function createResult(orgId: string, input: ResultInput): Promise<SaveOutcome> {
  return prisma.$transaction(async (tx) => {
    const fieldErrors = await leadExpertError(tx, orgId, input.leadExpertId)
    if (fieldErrors) return { ok: false, status: 400, fieldErrors }
    const created = await tx.result.create({
      data: { ...toData(input), orgId },
      select: { id: true },
    })
    await enqueueSearchUpdate(tx, 'result', [created.id])
    return { ok: true, id: created.id }
  })
}

/**
 * Saves an edit made from `version`. A published result goes back to review, since the public
 * must only see what a moderator has read. A stale version means somebody else saved first.
 */
export async function updateResult(
  orgId: string,
  id: string,
  version: number,
  input: ResultInput,
): Promise<SaveOutcome> {
  return prisma.$transaction(async (tx) => {
    const fieldErrors = await leadExpertError(tx, orgId, input.leadExpertId)
    if (fieldErrors) return { ok: false, status: 400, fieldErrors }
    const current = await tx.result.findFirst({
      where: { id, orgId, status: { in: [...rules.editable] } },
      select: { status: true, version: true },
    })
    if (!current) return { ok: false, status: 404, formError: '成果不存在或当前状态不能修改' }
    const backToReview = current.status === 'published' || current.status === 'expired'
    const { count } = await tx.result.updateMany({
      where: { id, orgId, version, status: current.status },
      data: {
        ...toData(input),
        version: { increment: 1 },
        ...(backToReview ? { status: 'pending_review', submittedAt: new Date() } : {}),
      },
    })
    if (count === 0) {
      return {
        ok: false,
        status: 409,
        formError:
          '该成果已被他人修改，请刷新页面查看最新内容后再保存（您填写的内容仍保留在表单中）',
      }
    }
    await enqueueSearchUpdate(tx, 'result', [id])
    return { ok: true, id }
  })
}

const ownListingSelect = {
  id: true,
  title: true,
  status: true,
  rejectionReason: true,
  expiresAt: true,
  updatedAt: true,
} as const

/** One page of everything an organization has listed, for its owners. */
export async function listOrgResults(orgId: string, page: number, pageSize: number) {
  const [total, items] = await prisma.$transaction([
    prisma.result.count({ where: { orgId } }),
    prisma.result.findMany({
      where: { orgId },
      orderBy: [{ updatedAt: 'desc' }, { id: 'desc' }],
      skip: (page - 1) * pageSize,
      take: pageSize,
      select: ownListingSelect,
    }),
  ])
  return { total, items }
}

/** The organization's listings that are expired or expire before `before`, soonest first. */
export function listExpiringResults(orgId: string, before: Date, take = 50) {
  return prisma.result.findMany({
    where: {
      orgId,
      OR: [
        { status: 'expired' },
        { status: { in: [...rules.liveStatuses] }, expiresAt: { lt: before } },
      ],
    },
    orderBy: { expiresAt: 'asc' },
    take,
    select: ownListingSelect,
  })
}
