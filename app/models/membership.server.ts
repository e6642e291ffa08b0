import { isMembershipStaff, type OrgActor } from '~/domain/membership'
import type { Prisma } from '~/generated/prisma/client'
import { prisma } from '~/utils/db.server'

import { notifyUsers } from './notification.server'
import { enqueueSearchUpdate } from './outbox.server'

export const MEMBERS_PATH = '/org/members'

const NOTHING: Prisma.UserWhereInput = { id: { in: [] } }

/**
 * The users whose membership `reviewer` decides on, as a where clause, so that every read and
 * write checks the right in the query itself: platform staff decide for every organization;
 * an active member with the right to admit (read again from the database) for their own.
 */
function decidableBy(reviewer: OrgActor): Prisma.UserWhereInput {
  if (isMembershipStaff(reviewer)) return {}
  if (!reviewer.org) return NOTHING
  return {
    orgId: reviewer.org.id,
    org: { users: { some: { id: reviewer.id, membership: 'active', canAdmit: true } } },
  }
}

function pendingFor(reviewer: OrgActor): Prisma.UserWhereInput {
  return { membership: 'pending', ...decidableBy(reviewer) }
}

/**
 * Tells those who may admit the applicant: the organization's admitting members or, while it
 * has none (a university nobody has joined yet), the platform admins, so that no request
 * waits unseen. Runs in the transaction that records the request.
 */
export async function notifyMembershipRequest(tx: Prisma.TransactionClient, applicantId: string) {
  const applicant = await tx.user.findUnique({
    where: { id: applicantId },
    select: { displayName: true, membership: true, org: { select: { id: true, name: true } } },
  })
  if (!applicant?.org || applicant.membership !== 'pending') return
  const admitters = await tx.user.findMany({
    where: { orgId: applicant.org.id, membership: 'active', canAdmit: true },
    select: { id: true },
  })
  const approvers = admitters.length
    ? admitters
    : await tx.user.findMany({ where: { role: 'admin' }, select: { id: true } })
  await notifyUsers(
    tx,
    approvers.map((approver) => approver.id),
    {
      kind: 'membership_requested',
      title: `${applicant.displayName}申请加入“${applicant.org.name}”，请审核`,
      link: MEMBERS_PATH,
    },
  )
}

/** How many requests to join wait for `reviewer`. */
export function countPendingMemberships(reviewer: OrgActor) {
  return prisma.user.count({ where: pendingFor(reviewer) })
}

/** The requests `reviewer` may decide on, oldest first. */
export async function listMembershipRequests(reviewer: OrgActor, take = 100) {
  const where = pendingFor(reviewer)
  const [total, requests] = await Promise.all([
    prisma.user.count({ where }),
    prisma.user.findMany({
      where,
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      take,
      select: {
        id: true,
        displayName: true,
        email: true,
        role: true,
        createdAt: true,
        org: { select: { id: true, name: true, kind: true } },
      },
    }),
  ])
  return { total, requests }
}

/** The admitted members of the reviewer's own organization, for granting the right to admit. */
export function listOrgMembers(reviewer: OrgActor) {
  return prisma.user.findMany({
    where: reviewer.org
      ? { orgId: reviewer.org.id, membership: 'active', ...decidableBy(reviewer) }
      : NOTHING,
    orderBy: [{ admittedAt: 'asc' }, { id: 'asc' }],
    select: {
      id: true,
      displayName: true,
      email: true,
      role: true,
      canAdmit: true,
      admittedAt: true,
      admittedBy: { select: { displayName: true } },
    },
  })
}

export type MembershipOutcome = { ok: true; name: string } | { ok: false; reason: string }

const GONE: MembershipOutcome = { ok: false, reason: '该申请不存在，或已被其他审核人处理' }

/**
 * Admits a pending member, optionally with the right to admit others. The profiles they
 * prepared while waiting become public (so the search index looks at them again).
 */
export async function approveMembership(input: {
  reviewer: OrgActor
  userId: string
  grantAdmit?: boolean
  now?: Date
}): Promise<MembershipOutcome> {
  const now = input.now ?? new Date()
  return prisma.$transaction(async (tx) => {
    const where = { id: input.userId, ...pendingFor(input.reviewer) }
    const applicant = await tx.user.findFirst({
      where,
      select: { displayName: true, orgId: true, org: { select: { name: true } } },
    })
    if (!applicant?.orgId || !applicant.org) return GONE
    // The pending status is checked again by the update, so two reviewers cannot both decide.
    const { count } = await tx.user.updateMany({
      where,
      data: {
        membership: 'active',
        admittedById: input.reviewer.id,
        admittedAt: now,
        canAdmit: input.grantAdmit === true,
      },
    })
    if (count === 0) return GONE
    const experts = await tx.expert.findMany({
      where: { orgId: applicant.orgId, createdById: input.userId },
      select: { id: true },
    })
    await enqueueSearchUpdate(
      tx,
      'expert',
      experts.map((expert) => expert.id),
    )
    await notifyUsers(tx, [input.userId], {
      kind: 'membership_approved',
      title: `您加入“${applicant.org.name}”的申请已通过`,
      body: input.grantAdmit ? '您还获得了审核本单位成员加入申请的权限。' : null,
      link: '/workbench',
    })
    return { ok: true, name: applicant.displayName }
  })
}

/**
 * Refuses a request to join: the applicant leaves the organization, and what they prepared
 * for it while waiting (draft listings, expert profiles) goes with them, since nobody of the
 * organization wrote or vouched for it.
 */
export async function refuseMembership(input: {
  reviewer: OrgActor
  userId: string
  reason?: string
}): Promise<MembershipOutcome> {
  return prisma.$transaction(async (tx) => {
    const where = { id: input.userId, ...pendingFor(input.reviewer) }
    const applicant = await tx.user.findFirst({
      where,
      select: { displayName: true, orgId: true, org: { select: { name: true } } },
    })
    if (!applicant?.orgId || !applicant.org) return GONE
    const { count } = await tx.user.updateMany({
      where,
      data: { orgId: null, membership: null, canAdmit: false },
    })
    if (count === 0) return GONE
    const prepared = { orgId: applicant.orgId, createdById: input.userId }
    const [results, needs, experts] = await Promise.all([
      tx.result.findMany({ where: { ...prepared, status: 'draft' }, select: { id: true } }),
      tx.need.findMany({ where: { ...prepared, status: 'draft' }, select: { id: true } }),
      tx.expert.findMany({ where: prepared, select: { id: true } }),
    ])
    const ids = (rows: { id: string }[]) => rows.map((row) => row.id)
    await tx.result.deleteMany({ where: { id: { in: ids(results) } } })
    await tx.need.deleteMany({ where: { id: { in: ids(needs) } } })
    await tx.expert.deleteMany({ where: { id: { in: ids(experts) } } })
    await enqueueSearchUpdate(tx, 'result', ids(results), 'delete')
    await enqueueSearchUpdate(tx, 'need', ids(needs), 'delete')
    await enqueueSearchUpdate(tx, 'expert', ids(experts), 'delete')
    await notifyUsers(tx, [input.userId], {
      kind: 'membership_refused',
      title: `您加入“${applicant.org.name}”的申请未获通过`,
      body: input.reason || '如有疑问，请联系该单位或平台管理员。',
      link: '/account',
    })
    return { ok: true, name: applicant.displayName }
  })
}

/** Gives an admitted member of the organization the right to admit others too. */
export async function grantAdmitRight(input: {
  reviewer: OrgActor
  userId: string
}): Promise<MembershipOutcome> {
  const where = { id: input.userId, membership: 'active' as const, ...decidableBy(input.reviewer) }
  const member = await prisma.user.findFirst({ where, select: { displayName: true } })
  if (!member) return { ok: false, reason: '该成员不存在或不属于您的单位' }
  await prisma.user.updateMany({ where, data: { canAdmit: true } })
  return { ok: true, name: member.displayName }
}
