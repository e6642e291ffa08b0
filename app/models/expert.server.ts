import { RESEARCH_ORG_KINDS } from '~/domain/constants'
import { isActiveMember, isPendingMember, type OrgActor } from '~/domain/membership'
import { highTechFields } from '~/domain/reference'
import type { Prisma } from '~/generated/prisma/client'
import { isUniqueViolation, prisma } from '~/utils/db.server'
import type { ExpertInput } from '~/validation/listings'

import { enqueueSearchUpdate } from './outbox.server'
import { publicResultWhere } from './result.server'
import type { SessionUser } from './user.server'

export const EXPERTS_PAGE_SIZE = 20

export const EXPERT_CONFLICT_MESSAGE = '该专家档案已被他人修改，请刷新页面查看最新内容后再保存'

type FormErrors = { formErrors?: string[]; fieldErrors?: Record<string, string[]> }

/**
 * Who may edit which experts, as a where clause so that every read and write applies it in
 * the query itself: the linked user, admitted researchers of the expert's organization
 * (institution staff maintain their experts) and platform admins. A researcher still waiting
 * for admission edits only the profiles they prepared themselves.
 */
export function getEditableExpertWhere(user: OrgActor): Prisma.ExpertWhereInput {
  if (user.role === 'admin') return {}
  const allowed: Prisma.ExpertWhereInput[] = [{ userId: user.id }]
  if (user.role === 'researcher' && isActiveMember(user)) allowed.push({ orgId: user.org.id })
  if (user.role === 'researcher' && isPendingMember(user) && user.org) {
    allowed.push({ orgId: user.org.id, createdById: user.id })
  }
  return { OR: allowed }
}

/**
 * The experts the public sees: a profile prepared by someone still waiting to join its
 * organization speaks for nobody yet, so it stays private until they are admitted (and is
 * deleted if they are refused). The search indexer applies the same rule.
 */
export function publicExpertWhere(): Prisma.ExpertWhereInput {
  return { OR: [{ createdById: null }, { createdBy: { is: { membership: 'active' } } }] }
}

// A field code ('80') matches that field and all its sub-fields; a sub-field code only itself.
function getFieldCondition(code: string): Prisma.ExpertWhereInput {
  const field = highTechFields.find((candidate) => candidate.code === code)
  if (!field) return { fields: { has: code } }
  return { fields: { hasSome: [field.code, ...field.children.map((child) => child.code)] } }
}

export interface ExpertFilters {
  fieldCode?: string
  orgId?: string
}

export async function listExperts(options: {
  page: number
  pageSize?: number
  filters: ExpertFilters
}) {
  const pageSize = options.pageSize ?? EXPERTS_PAGE_SIZE
  const { fieldCode, orgId } = options.filters
  const conditions: Prisma.ExpertWhereInput[] = []
  if (fieldCode) conditions.push(getFieldCondition(fieldCode))
  if (orgId) conditions.push({ orgId })
  const where: Prisma.ExpertWhereInput = { AND: [publicExpertWhere(), ...conditions] }
  const total = await prisma.expert.count({ where })
  const pageCount = Math.max(1, Math.ceil(total / pageSize))
  // A page past the end shows the last one, and a huge page number never reaches the database.
  const page = Math.min(options.page, pageCount)
  const experts = await prisma.expert.findMany({
    where,
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    skip: (page - 1) * pageSize,
    take: pageSize,
    select: {
      id: true,
      name: true,
      title: true,
      fields: true,
      keywords: true,
      org: { select: { id: true, name: true, kind: true } },
    },
  })
  return { total, page, pageCount, experts }
}

/**
 * The public profile with the results the expert leads that a visitor may see; a profile not
 * yet public only for those who may edit it (`viewer`).
 */
export async function getExpertProfile(
  id: string,
  viewer: OrgActor | null = null,
  now = new Date(),
) {
  const expert = await prisma.expert.findFirst({
    where: {
      id,
      OR: [publicExpertWhere(), ...(viewer ? [getEditableExpertWhere(viewer)] : [])],
    },
    select: {
      id: true,
      name: true,
      title: true,
      fields: true,
      keywords: true,
      bio: true,
      org: { select: { id: true, name: true, kind: true, regionCode: true } },
      results: {
        where: publicResultWhere(now),
        orderBy: [{ publishedAt: 'desc' }, { id: 'desc' }],
        select: { id: true, title: true, trl: true, askingPrice: true },
      },
    },
  })
  if (!expert) return null
  return {
    ...expert,
    // Decimal does not survive JSON as a number; the page formats the string as 万元.
    results: expert.results.map((result) => ({
      ...result,
      askingPrice: result.askingPrice?.toString() ?? null,
    })),
  }
}

export async function canEditExpert(user: OrgActor, id: string) {
  const count = await prisma.expert.count({
    where: { id, AND: [getEditableExpertWhere(user)] },
  })
  return count > 0
}

/** The expert as its edit form needs it, or null when it is missing or not the user's to edit. */
export function getEditableExpert(user: OrgActor, id: string) {
  return prisma.expert.findFirst({
    where: { id, AND: [getEditableExpertWhere(user)] },
    select: {
      id: true,
      name: true,
      title: true,
      fields: true,
      keywords: true,
      bio: true,
      updatedAt: true,
      org: { select: { name: true } },
    },
  })
}

/** Whether the user already has a profile linked to them (Expert.userId is unique). */
export async function hasLinkedExpert(userId: string) {
  return (await prisma.expert.count({ where: { userId } })) > 0
}

function toExpertData(input: ExpertInput) {
  return {
    name: input.name,
    title: input.title ?? null,
    fields: [...new Set(input.fields)],
    keywords: [...new Set(input.keywords)],
    bio: input.bio ?? null,
  }
}

const LINKED_TWICE_MESSAGE = '您已关联本人的专家档案，每个账号只能关联一个'

/**
 * A researcher creates a profile in their own university or institute, optionally linked to
 * themselves. The profile and its search outbox row are written together or not at all.
 */
export async function createExpert(
  user: SessionUser,
  input: ExpertInput & { linkToSelf?: boolean },
): Promise<{ expert: { id: string } } | { errors: FormErrors }> {
  try {
    return await prisma.$transaction(async (tx) => {
      const org = user.org
        ? await tx.organization.findFirst({
            where: { id: user.org.id, kind: { in: [...RESEARCH_ORG_KINDS] } },
            select: { id: true },
          })
        : null
      if (!org) {
        return {
          errors: {
            formErrors: ['您的账号未关联高校或科研院所，无法创建专家档案，请联系平台管理员'],
          },
        }
      }
      if (input.linkToSelf) {
        const linked = await tx.expert.findUnique({
          where: { userId: user.id },
          select: { id: true },
        })
        if (linked) return { errors: { fieldErrors: { linkToSelf: [LINKED_TWICE_MESSAGE] } } }
      }
      const expert = await tx.expert.create({
        data: {
          ...toExpertData(input),
          orgId: org.id,
          userId: input.linkToSelf ? user.id : null,
          createdById: user.id,
        },
        select: { id: true },
      })
      await enqueueSearchUpdate(tx, 'expert', [expert.id])
      return { expert }
    })
  } catch (error) {
    // Two submissions racing to link the same user: the unique index decides, the loser is told.
    if (isUniqueViolation(error)) {
      return { errors: { fieldErrors: { linkToSelf: [LINKED_TWICE_MESSAGE] } } }
    }
    throw error
  }
}

/**
 * Saves an edit only if the user may edit the expert and nobody saved since `expectedUpdatedAt`
 * (optimistic locking): both conditions are in the update's where clause.
 */
export async function updateExpert(
  user: OrgActor,
  id: string,
  expectedUpdatedAt: Date,
  input: ExpertInput,
): Promise<{ status: 'updated' } | { status: 'conflict' } | { status: 'not_found' }> {
  const editable = getEditableExpertWhere(user)
  return prisma.$transaction(async (tx) => {
    const { count } = await tx.expert.updateMany({
      where: { id, updatedAt: expectedUpdatedAt, AND: [editable] },
      data: {
        ...toExpertData(input),
        // The timestamp is the lock token, so it must move even when two saves share a millisecond.
        updatedAt: new Date(Math.max(Date.now(), expectedUpdatedAt.getTime() + 1)),
      },
    })
    if (count === 1) {
      await enqueueSearchUpdate(tx, 'expert', [id])
      return { status: 'updated' as const }
    }
    const stillEditable = await tx.expert.count({ where: { id, AND: [editable] } })
    return { status: stillEditable > 0 ? ('conflict' as const) : ('not_found' as const) }
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
