import { isModerator } from '~/domain/constants'
import { listingRules } from '~/domain/listing-rules'
import type { OrgActor } from '~/domain/membership'
import type { Prisma } from '~/generated/prisma/client'
import type { CooperationMode } from '~/generated/prisma/enums'
import { prisma } from '~/utils/db.server'
import type { NeedInput } from '~/validation/listings'

import { ownReadableWhere, saveOwnListingEdit, type SaveOutcome } from './listing.server'
import { enqueueSearchUpdate } from './outbox.server'
import { fieldCodesUnder } from './result.server'

const rules = listingRules.need

/** What the public may see: open (or in a deal) and confirmed recently enough. */
export function publicNeedWhere(now = new Date()): Prisma.NeedWhereInput {
  return { status: { in: [...rules.liveStatuses] }, expiresAt: { gt: now } }
}

export interface NeedFilters {
  fieldCode?: string
  regionCode?: string
  cooperationMode?: CooperationMode
}

export async function listPublicNeeds(filters: NeedFilters, page: number, pageSize: number) {
  const where: Prisma.NeedWhereInput = {
    ...publicNeedWhere(),
    ...(filters.fieldCode ? { fieldCode: { in: fieldCodesUnder(filters.fieldCode) } } : {}),
    ...(filters.regionCode ? { org: { regionCode: filters.regionCode } } : {}),
    ...(filters.cooperationMode ? { cooperationModes: { has: filters.cooperationMode } } : {}),
  }
  // Plain reads: a transaction would only hold a pooled connection for both queries.
  const [total, items] = await Promise.all([
    prisma.need.count({ where }),
    prisma.need.findMany({
      where,
      orderBy: [{ publishedAt: 'desc' }, { id: 'desc' }],
      skip: (page - 1) * pageSize,
      take: pageSize,
      select: {
        id: true,
        title: true,
        description: true,
        fieldCode: true,
        budgetMin: true,
        budgetMax: true,
        deadline: true,
        cooperationModes: true,
        org: { select: { name: true, regionCode: true } },
      },
    }),
  ])
  return { total, items }
}

const detailSelect = {
  id: true,
  title: true,
  description: true,
  fieldCode: true,
  keywords: true,
  budgetMin: true,
  budgetMax: true,
  deadline: true,
  cooperationModes: true,
  status: true,
  rejectionReason: true,
  confirmedAt: true,
  expiresAt: true,
  publishedAt: true,
  updatedAt: true,
  version: true,
  orgId: true,
  createdById: true,
  org: {
    select: {
      id: true,
      name: true,
      kind: true,
      regionCode: true,
      zone: true,
      highTech: true,
      littleGiant: true,
    },
  },
} satisfies Prisma.NeedSelect

/** A need as `viewer` may see it; unpublished ones only for their enterprise and moderators. */
export function getNeedForViewer(id: string, viewer: OrgActor | null) {
  // A member still waiting for admission reads only the drafts they prepared themselves.
  const visibility: Prisma.NeedWhereInput = isModerator(viewer)
    ? {}
    : { OR: [publicNeedWhere(), ...ownReadableWhere(viewer)] }
  return prisma.need.findFirst({ where: { id, ...visibility }, select: detailSelect })
}

export function getRelatedNeeds(need: { id: string; fieldCode: string }, take = 4) {
  return prisma.need.findMany({
    where: { ...publicNeedWhere(), fieldCode: need.fieldCode, id: { not: need.id } },
    orderBy: { publishedAt: 'desc' },
    take,
    select: { id: true, title: true, org: { select: { name: true } } },
  })
}

function toData(input: NeedInput) {
  return {
    title: input.title,
    description: input.description,
    fieldCode: input.fieldCode,
    keywords: input.keywords,
    budgetMin: input.budgetMin ?? null,
    budgetMax: input.budgetMax ?? null,
    deadline: input.deadline ?? null,
    cooperationModes: input.cooperationModes as CooperationMode[],
  }
}

/**
 * A new need starts as a draft of the enterprise, recorded as the author's: a member still
 * waiting for admission may prepare drafts, and edit only their own.
 */
export async function createNeed(author: OrgActor, input: NeedInput): Promise<SaveOutcome> {
  const orgId = author.org?.id
  if (!orgId) {
    return { ok: false, status: 404, formError: '您的账号未关联单位，无法保存技术需求' }
  }
  return prisma.$transaction(async (tx) => {
    const created = await tx.need.create({
      data: { ...toData(input), orgId, createdById: author.id },
      select: { id: true },
    })
    await enqueueSearchUpdate(tx, 'need', [created.id])
    return { ok: true, id: created.id }
  })
}

/** Saves an owner's edit made from `version` (see saveOwnListingEdit). */
export async function updateNeed(
  actor: OrgActor,
  id: string,
  version: number,
  input: NeedInput,
): Promise<SaveOutcome> {
  return prisma.$transaction((tx) =>
    saveOwnListingEdit(tx, 'need', { id, actor, version, data: toData(input) }),
  )
}
