import { LISTING_TTL_DAYS } from '~/domain/constants'
import {
  getOwnerMove,
  listingRules,
  ownerRefusals,
  type ListingKind,
  type OwnerIntent,
  type OwnerMove,
} from '~/domain/listing-rules'
import {
  isActiveMember,
  isPendingMember,
  PENDING_MEMBER_REFUSAL,
  type OrgActor,
} from '~/domain/membership'
import type { Prisma } from '~/generated/prisma/client'
import { prisma } from '~/utils/db.server'

import { notifyUsers } from './notification.server'
import { enqueueSearchUpdate } from './outbox.server'

export type { ListingKind }

// The two tables share these columns; Prisma types each delegate separately, so both are
// addressed through the shape they have in common and results are typed where they are read.
interface ListingDelegate {
  updateMany(args: { where: object; data: object }): Promise<{ count: number }>
  findMany(args: object): Promise<unknown[]>
  findFirst(args: object): Promise<unknown>
  count(args: { where: object }): Promise<number>
}

function table(tx: Prisma.TransactionClient, kind: ListingKind): ListingDelegate {
  return (kind === 'result' ? tx.result : tx.need) as unknown as ListingDelegate
}

function freshDates(now: Date) {
  return { confirmedAt: now, expiresAt: new Date(now.getTime() + LISTING_TTL_DAYS * 86_400_000) }
}

/**
 * The listings `actor` owns, as a where clause: an admitted member owns every listing of the
 * organization; a member waiting for admission only the drafts they prepared; anyone else
 * nothing (null). Membership is granted by an admitting member, never claimed by a form.
 */
export function ownListingsWhere(
  actor: OrgActor,
): { orgId: string; createdById?: string; status?: 'draft' } | null {
  if (isActiveMember(actor)) return { orgId: actor.org.id }
  if (isPendingMember(actor) && actor.org) {
    return { orgId: actor.org.id, createdById: actor.id, status: 'draft' }
  }
  return null
}

/**
 * The non-public listings `viewer` may read besides the public ones: their organization's
 * for an admitted member, their own drafts for one still waiting.
 */
export function ownReadableWhere(
  viewer: OrgActor | null,
): { orgId: string; createdById?: string }[] {
  if (isActiveMember(viewer)) return [{ orgId: viewer.org.id }]
  if (viewer && isPendingMember(viewer) && viewer.org) {
    return [{ orgId: viewer.org.id, createdById: viewer.id }]
  }
  return []
}

export type OwnerOutcome =
  { ok: true; move: OwnerMove } | { ok: false; reason: string; notFound?: boolean }

function ownerMoveData(move: OwnerMove, now: Date): Record<string, unknown> {
  switch (move.intent) {
    case 'submit':
      return { status: move.to, submittedAt: now, rejectionReason: null }
    case 'reconfirm':
      // "Still current": the expiry date moves LISTING_TTL_DAYS on and an expired listing revives.
      return { status: move.to, ...freshDates(now) }
    case 'withdraw':
      return { status: move.to }
  }
}

/**
 * Runs an owner's button press as the owner rules of its kind allow it from the listing's
 * current status. The organization is part of both queries, so others match nothing, and the
 * status read is part of the update, so a concurrent change makes the press a refusal.
 */
export async function runOwnerIntent(
  kind: ListingKind,
  id: string,
  actor: OrgActor,
  intent: OwnerIntent,
  now = new Date(),
): Promise<OwnerOutcome> {
  if (!isActiveMember(actor)) {
    // Someone waiting for admission moves nothing of the organization's, not even a draft
    // of their own; what they may read is told apart from what does not exist for them.
    const visible = actor.org
      ? await table(prisma, kind).count({
          where: {
            id,
            orgId: actor.org.id,
            OR: [
              { status: { in: [...listingRules[kind].liveStatuses] } },
              ...ownReadableWhere(actor),
            ],
          },
        })
      : 0
    return visible > 0
      ? { ok: false, reason: PENDING_MEMBER_REFUSAL }
      : { ok: false, reason: '信息不存在', notFound: true }
  }
  const orgId = actor.org.id
  return prisma.$transaction(async (tx) => {
    const current = (await table(tx, kind).findFirst({
      where: { id, orgId },
      select: { status: true },
    })) as { status: string } | null
    if (!current) return { ok: false, reason: '信息不存在', notFound: true }
    const move = getOwnerMove(kind, current.status, intent)
    if (!move) return { ok: false, reason: ownerRefusals[intent] }
    const { count } = await table(tx, kind).updateMany({
      where: { id, orgId, status: current.status },
      data: ownerMoveData(move, now),
    })
    if (count === 0) return { ok: false, reason: ownerRefusals[intent] }
    await enqueueSearchUpdate(tx, kind, [id])
    return { ok: true, move }
  })
}

export type DecisionOutcome = { ok: true; title: string } | { ok: false; reason: string }

/**
 * A broker's or the bureau's decision on a listing waiting for review, recorded for audit;
 * the owner's users are notified. Approval publishes it for LISTING_TTL_DAYS.
 */
export async function decideListing(input: {
  kind: ListingKind
  id: string
  moderatorId: string
  outcome: 'approved' | 'rejected'
  reason?: string
  now?: Date
}): Promise<DecisionOutcome> {
  const now = input.now ?? new Date()
  const rule = listingRules[input.kind]
  const result = await prisma.$transaction(async (tx) => {
    const listing = (await table(tx, input.kind).findFirst({
      where: { id: input.id, status: 'pending_review' },
      select: { id: true, title: true, orgId: true },
    })) as { id: string; title: string; orgId: string } | null
    if (!listing) return null
    const data =
      input.outcome === 'approved'
        ? { status: rule.live, publishedAt: now, rejectionReason: null, ...freshDates(now) }
        : { status: 'rejected', rejectionReason: input.reason ?? null }
    // The status is checked again by the update, so two moderators cannot both decide.
    const { count } = await table(tx, input.kind).updateMany({
      where: { id: input.id, status: 'pending_review' },
      data,
    })
    if (count === 0) return null
    await tx.moderationDecision.create({
      data: {
        entity: input.kind,
        entityId: input.id,
        outcome: input.outcome,
        reason: input.reason ?? null,
        moderatorId: input.moderatorId,
      },
      select: { id: true },
    })
    await enqueueSearchUpdate(tx, input.kind, [input.id])
    // Those still waiting to join are not told about the organization's listings.
    const owners = await tx.user.findMany({
      where: { orgId: listing.orgId, membership: 'active' },
      select: { id: true },
    })
    const title =
      input.outcome === 'approved'
        ? `您的${rule.label}“${listing.title}”已通过审核并发布`
        : `您的${rule.label}“${listing.title}”未通过审核`
    const link = `${rule.path}/${input.id}`
    await notifyUsers(
      tx,
      owners.map((owner) => owner.id),
      { kind: `moderation_${input.outcome}`, title, body: input.reason ?? null, link },
    )
    return listing.title
  })
  if (result === null) return { ok: false, reason: '该信息已被处理或不在待审核状态' }
  // The title lets the moderator see which listing the decision was about.
  return { ok: true, title: result }
}

/** Listings whose owners stopped confirming them leave public view; their owners still see them. */
export async function expireStaleListings(now = new Date()) {
  const expired = await prisma.$transaction(async (tx) => {
    const counts: Record<ListingKind, number> = { result: 0, need: 0 }
    for (const kind of ['result', 'need'] as const) {
      const where = { status: { in: [...listingRules[kind].liveStatuses] }, expiresAt: { lt: now } }
      const stale = (await table(tx, kind).findMany({ where, select: { id: true } })) as {
        id: string
      }[]
      if (stale.length === 0) continue
      const ids = stale.map((row) => row.id)
      await table(tx, kind).updateMany({
        where: { id: { in: ids }, ...where },
        data: { status: 'expired' },
      })
      await enqueueSearchUpdate(tx, kind, ids)
      counts[kind] = ids.length
    }
    return counts
  })
  return expired
}

export async function getModerationHistory(kind: ListingKind, id: string) {
  return prisma.moderationDecision.findMany({
    where: { entity: kind, entityId: id },
    orderBy: { createdAt: 'desc' },
    select: {
      id: true,
      outcome: true,
      reason: true,
      createdAt: true,
      moderator: { select: { displayName: true, role: true } },
    },
  })
}

export type SaveOutcome =
  | { ok: true; id: string }
  | {
      ok: false
      status: 400 | 404 | 409
      fieldErrors?: Record<string, string[]>
      formError?: string
    }

/**
 * Saves an owner's edit made from `version`, inside the caller's transaction. The organization
 * and the version are part of the update's where clause: a stale version means somebody saved
 * first. A live listing goes back to review, since the public must only see what a moderator
 * has read.
 */
export async function saveOwnListingEdit(
  tx: Prisma.TransactionClient,
  kind: ListingKind,
  edit: { id: string; actor: OrgActor; version: number; data: Record<string, unknown> },
): Promise<SaveOutcome> {
  const rule = listingRules[kind]
  const { id, version } = edit
  const owned = ownListingsWhere(edit.actor)
  const notFound: SaveOutcome = {
    ok: false,
    status: 404,
    formError: `${rule.label}不存在或当前状态不能修改`,
  }
  if (!owned) return notFound
  const current = (await table(tx, kind).findFirst({
    where: { id, ...owned, AND: [{ status: { in: [...rule.editable] } }] },
    select: { status: true },
  })) as { status: string } | null
  if (!current) return notFound
  const backToReview = current.status === rule.live || current.status === 'expired'
  const { count } = await table(tx, kind).updateMany({
    where: { id, ...owned, version, status: current.status },
    data: {
      ...edit.data,
      version: { increment: 1 },
      ...(backToReview ? { status: 'pending_review', submittedAt: new Date() } : {}),
    },
  })
  if (count === 0) {
    return {
      ok: false,
      status: 409,
      formError: `该${rule.label}已被他人修改，请刷新页面查看最新内容后再保存（您填写的内容仍保留在表单中）`,
    }
  }
  await enqueueSearchUpdate(tx, kind, [id])
  return { ok: true, id }
}

const ownListingSelect = {
  id: true,
  title: true,
  status: true,
  rejectionReason: true,
  expiresAt: true,
  updatedAt: true,
} as const

export interface OwnListing {
  id: string
  title: string
  status: string
  rejectionReason: string | null
  expiresAt: Date | null
  updatedAt: Date
}

/**
 * One page of everything an organization has listed of a kind, for its admitted members; a
 * member waiting for admission sees only the drafts they prepared.
 */
export async function listOwnListings(
  kind: ListingKind,
  actor: OrgActor,
  page: number,
  pageSize: number,
) {
  const where = ownListingsWhere(actor) ?? { id: { in: [] } }
  const [total, items] = await Promise.all([
    table(prisma, kind).count({ where }),
    table(prisma, kind).findMany({
      where,
      orderBy: [{ updatedAt: 'desc' }, { id: 'desc' }],
      skip: (page - 1) * pageSize,
      take: pageSize,
      select: ownListingSelect,
    }) as Promise<OwnListing[]>,
  ])
  return { total, items }
}

/** The organization's listings that are expired or expire before `before`, soonest first. */
export async function listExpiringOwnListings(
  kind: ListingKind,
  actor: OrgActor,
  before: Date,
  take = 50,
) {
  // Only admitted members look after the organization's public listings.
  if (!isActiveMember(actor)) return []
  return (await table(prisma, kind).findMany({
    where: {
      orgId: actor.org.id,
      OR: [
        { status: 'expired' },
        { status: { in: [...listingRules[kind].liveStatuses] }, expiresAt: { lt: before } },
      ],
    },
    orderBy: { expiresAt: 'asc' },
    take,
    select: ownListingSelect,
  })) as OwnListing[]
}

/** One page of what waits for review, oldest first, with how many wait of each kind. */
export async function listPendingListings(kind: ListingKind, page: number, pageSize: number) {
  const select = {
    id: true,
    title: true,
    fieldCode: true,
    submittedAt: true,
    // Rows submitted before submittedAt was recorded show when they last changed instead.
    updatedAt: true,
    org: { select: { name: true, kind: true } },
  } as const
  const pageQuery = {
    orderBy: [{ submittedAt: 'asc' as const }, { id: 'asc' as const }],
    skip: (page - 1) * pageSize,
    take: pageSize,
    select,
  }
  const where = { status: 'pending_review' as const }
  const [results, needs, items] = await Promise.all([
    prisma.result.count({ where }),
    prisma.need.count({ where }),
    kind === 'result'
      ? prisma.result.findMany({ where, ...pageQuery })
      : prisma.need.findMany({ where, ...pageQuery }),
  ])
  return { counts: { result: results, need: needs }, items }
}

/** The latest decisions, for the audit list on the review page. */
export function listRecentDecisions(take = 20) {
  return prisma.moderationDecision.findMany({
    orderBy: { createdAt: 'desc' },
    take,
    select: {
      id: true,
      entity: true,
      entityId: true,
      outcome: true,
      reason: true,
      createdAt: true,
      moderator: { select: { displayName: true } },
    },
  })
}
