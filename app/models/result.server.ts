import { isModerator } from '~/domain/constants'
import { listingRules } from '~/domain/listing-rules'
import type { OrgActor } from '~/domain/membership'
import { highTechFields } from '~/domain/reference'
import type { Prisma } from '~/generated/prisma/client'
import type { TransferMode } from '~/generated/prisma/enums'
import { prisma } from '~/utils/db.server'
import type { ResultInput } from '~/validation/listings'

import { ownReadableWhere, saveOwnListingEdit, type SaveOutcome } from './listing.server'
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
  // Plain reads: a transaction would only hold a pooled connection for both queries.
  const [total, items] = await Promise.all([
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
  createdById: true,
  leadExpertId: true,
  org: { select: { id: true, name: true, kind: true, regionCode: true, zone: true } },
  leadExpert: { select: { id: true, name: true, title: true } },
} satisfies Prisma.ResultSelect

/**
 * A result as `viewer` may see it: public ones for everybody; drafts, rejected and expired
 * ones only for their own organization and for moderators. Null means "not found" to them.
 */
export function getResultForViewer(id: string, viewer: OrgActor | null) {
  // A member still waiting for admission reads only the drafts they prepared themselves.
  const visibility: Prisma.ResultWhereInput = isModerator(viewer)
    ? {}
    : { OR: [publicResultWhere(), ...ownReadableWhere(viewer)] }
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

const NO_ORGANIZATION: SaveOutcome = {
  ok: false,
  status: 404,
  formError: '您的账号未关联单位，无法保存科技成果',
}

/**
 * A new result starts as a draft of the author's organization, recorded as the author's:
 * a member still waiting for admission may prepare drafts, and edit only their own.
 */
export async function createResult(author: OrgActor, input: ResultInput): Promise<SaveOutcome> {
  const orgId = author.org?.id
  if (!orgId) return NO_ORGANIZATION
  return prisma.$transaction(async (tx) => {
    const fieldErrors = await leadExpertError(tx, orgId, input.leadExpertId)
    if (fieldErrors) return { ok: false, status: 400, fieldErrors }
    const created = await tx.result.create({
      data: { ...toData(input), orgId, createdById: author.id },
      select: { id: true },
    })
    await enqueueSearchUpdate(tx, 'result', [created.id])
    return { ok: true, id: created.id }
  })
}

/** Saves an owner's edit made from `version` (see saveOwnListingEdit). */
export async function updateResult(
  actor: OrgActor,
  id: string,
  version: number,
  input: ResultInput,
): Promise<SaveOutcome> {
  const orgId = actor.org?.id
  if (!orgId) return NO_ORGANIZATION
  return prisma.$transaction(async (tx) => {
    const fieldErrors = await leadExpertError(tx, orgId, input.leadExpertId)
    if (fieldErrors) return { ok: false, status: 400, fieldErrors }
    return saveOwnListingEdit(tx, 'result', { id, actor, version, data: toData(input) })
  })
}
