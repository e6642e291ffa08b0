import {
  commissionFor,
  DEAL_STATUS_LABELS,
  enquiryAccess,
  findDealMove,
  LISTING_EFFECTS,
  movesFor,
  refuseDealMove,
  type DealCapacity,
  type DealMove,
} from '~/domain/deals'
import { clampText, TEXT_LIMITS } from '~/domain/limits'
import { isActiveMember, type OrgActor } from '~/domain/membership'
import type { Prisma } from '~/generated/prisma/client'
import type { DealStatus } from '~/generated/prisma/enums'
import { isUniqueViolation, prisma } from '~/utils/db.server'
import type { CommissionInput, DealMoveInput } from '~/validation/deals'

import { marketChanged, recordEvent } from './events.server'
import { publicExpertWhere } from './expert.server'
import { publicNeedWhere } from './need.server'
import { notifyUsers } from './notification.server'
import { enqueueSearchUpdate } from './outbox.server'
import { publicResultWhere } from './result.server'

/**
 * Deals (技术合同) from the first 我要对接 to a registered, performed contract. Every change is
 * made here, checked against the table of moves (app/domain/deals.ts), written with its
 * DealEvent in one transaction, and guarded by the deal's version: of two people moving the
 * same deal at once, the second is told, never silently overwritten.
 */

export const DEALS_PATH = '/deals'

export type DealRefusal = {
  ok: false
  status: 400 | 403 | 404 | 409
  reason: string
  field?: string
}

type Listing = { kind: 'result' | 'need' | 'expert'; id: string }

const dealPartiesSelect = {
  id: true,
  status: true,
  version: true,
  title: true,
  sellerOrgId: true,
  buyerOrgId: true,
  brokerId: true,
  needId: true,
  resultId: true,
  expertId: true,
  externalId: true,
  signedAt: true,
  contractAmount: true,
  techTransactionAmount: true,
  commissionRate: true,
} satisfies Prisma.DealSelect

type DealParties = Prisma.DealGetPayload<{ select: typeof dealPartiesSelect }>

/** How a user stands to a deal; empty when they have no part in it. */
export function dealCapacities(
  user: OrgActor,
  deal: Pick<DealParties, 'sellerOrgId' | 'buyerOrgId' | 'brokerId'>,
): DealCapacity[] {
  const capacities: DealCapacity[] = []
  if (isActiveMember(user) && [deal.sellerOrgId, deal.buyerOrgId].includes(user.org.id)) {
    capacities.push('party')
  }
  if (user.role === 'broker' && deal.brokerId === user.id) capacities.push('broker')
  if (user.role === 'bureau') capacities.push('bureau')
  return capacities
}

/** Everyone who takes part in a deal and is told of its changes: both parties and the broker. */
export function participantsWhere(
  deal: Pick<DealParties, 'sellerOrgId' | 'buyerOrgId' | 'brokerId'>,
): Prisma.UserWhereInput {
  return {
    OR: [
      { orgId: { in: [deal.sellerOrgId, deal.buyerOrgId] }, membership: 'active' },
      ...(deal.brokerId ? [{ id: deal.brokerId }] : []),
    ],
  }
}

async function participantIds(
  tx: Prisma.TransactionClient,
  deal: Pick<DealParties, 'sellerOrgId' | 'buyerOrgId' | 'brokerId'>,
) {
  const participants = await tx.user.findMany({
    where: participantsWhere(deal),
    select: { id: true },
  })
  return participants.map((participant) => participant.id)
}

export const dealLink = (id: string) => `${DEALS_PATH}/${id}`

/** The public listing an enquiry is about, with its owner organization and who to tell. */
async function findEnquiredListing(listing: Listing) {
  const now = new Date()
  if (listing.kind === 'result') {
    const row = await prisma.result.findFirst({
      where: { id: listing.id, ...publicResultWhere(now) },
      select: { title: true, orgId: true },
    })
    return row && { ...row, sellerSide: true, linked: { resultId: listing.id } }
  }
  if (listing.kind === 'need') {
    const row = await prisma.need.findFirst({
      where: { id: listing.id, ...publicNeedWhere(now) },
      select: { title: true, orgId: true },
    })
    return row && { ...row, sellerSide: false, linked: { needId: listing.id } }
  }
  const row = await prisma.expert.findFirst({
    where: { id: listing.id, ...publicExpertWhere() },
    select: { name: true, orgId: true },
  })
  return (
    row && {
      title: row.name,
      orgId: row.orgId,
      sellerSide: true,
      linked: { expertId: listing.id },
    }
  )
}

/**
 * 我要对接: starts a deal in 意向 between the user's organization and the listing's owner, with
 * the user's message as the first word in its room, and tells the owner. One open enquiry per
 * pair of organizations and listing: asking again opens the first one.
 */
export async function startEnquiry(
  user: OrgActor,
  listing: Listing,
  message: string,
): Promise<{ ok: true; dealId: string; existing: boolean } | DealRefusal> {
  const found = await findEnquiredListing(listing)
  const access = enquiryAccess(user, found?.orgId ?? '')
  if (access !== 'allowed' && access !== 'own') {
    return { ok: false, status: 403, reason: '只有已加入单位的企业或科研人员可以发起对接' }
  }
  if (!found || !isActiveMember(user)) {
    return { ok: false, status: 404, reason: '该信息不存在或已不再公开' }
  }
  if (access === 'own') return { ok: false, status: 409, reason: '这是本单位发布的信息，无需对接' }
  const sellerOrgId = found.sellerSide ? found.orgId : user.org.id
  const buyerOrgId = found.sellerSide ? user.org.id : found.orgId
  const openWhere: Prisma.DealWhereInput = {
    sellerOrgId,
    buyerOrgId,
    externalId: null,
    status: { notIn: ['completed', 'cancelled'] },
    resultId: found.linked.resultId ?? null,
    needId: found.linked.needId ?? null,
    expertId: found.linked.expertId ?? null,
  }
  const open = await prisma.deal.findFirst({ where: openWhere, select: { id: true } })
  if (open) return { ok: true, dealId: open.id, existing: true }
  const match = await findMatchOf(found.linked, user.org.id)
  try {
    const dealId = await prisma.$transaction(async (tx) => {
      const deal = await tx.deal.create({
        data: {
          title: clampText(`对接：${found.title}`, TEXT_LIMITS.dealTitle),
          sellerOrgId,
          buyerOrgId,
          ...found.linked,
          matchId: match?.id ?? null,
        },
        select: dealPartiesSelect,
      })
      await tx.dealEvent.create({
        data: {
          dealId: deal.id,
          actorId: user.id,
          fromStatus: null,
          toStatus: 'intent',
          note: '发起对接',
        },
      })
      await tx.message.create({ data: { dealId: deal.id, senderId: user.id, body: message } })
      if (match) {
        await tx.match.update({ where: { id: match.id }, data: { status: 'contacted' } })
      }
      const owners = await ownerIds(tx, found.orgId, listing)
      await notifyUsers(tx, owners, {
        kind: 'deal_enquiry',
        title: `有单位希望对接：${found.title}`,
        body: message.slice(0, 200),
        link: dealLink(deal.id),
      })
      return deal.id
    })
    return { ok: true, dealId, existing: false }
  } catch (error) {
    // Two clicks racing: the other one's enquiry is the open one.
    if (!isUniqueViolation(error)) throw error
    const raced = await prisma.deal.findFirst({ where: openWhere, select: { id: true } })
    if (!raced) throw error
    return { ok: true, dealId: raced.id, existing: true }
  }
}

/** The stored match an enquiry takes up, when there is one between the listing and the user's side. */
async function findMatchOf(
  linked: { resultId?: string; needId?: string; expertId?: string },
  userOrgId: string,
) {
  if (linked.needId) {
    return prisma.match.findFirst({
      where: {
        needId: linked.needId,
        status: { not: 'declined' },
        OR: [{ result: { orgId: userOrgId } }, { expert: { orgId: userOrgId } }],
      },
      select: { id: true },
    })
  }
  return prisma.match.findFirst({
    where: {
      ...(linked.resultId ? { resultId: linked.resultId } : { expertId: linked.expertId }),
      status: { not: 'declined' },
      need: { orgId: userOrgId },
    },
    select: { id: true },
  })
}

/** Who answers an enquiry: the owner's members, or an expert's own account when they have one. */
async function ownerIds(tx: Prisma.TransactionClient, orgId: string, listing: Listing) {
  if (listing.kind === 'expert') {
    const expert = await tx.expert.findUnique({
      where: { id: listing.id },
      select: { userId: true },
    })
    if (expert?.userId) return [expert.userId]
  }
  const members = await tx.user.findMany({
    where: { orgId, membership: 'active' },
    select: { id: true },
  })
  return members.map((member) => member.id)
}

function conflict(): DealRefusal {
  return {
    ok: false,
    status: 409,
    reason: '合同刚刚已被他人更新，页面已显示最新状态，请确认后再操作',
  }
}

/**
 * Moves a deal one step, as the table allows the user. `version` is the one the user saw:
 * if the deal changed since, nothing is written and the user is told.
 */
export async function moveDeal(
  user: OrgActor,
  dealId: string,
  input: DealMoveInput,
): Promise<{ ok: true; move: DealMove } | DealRefusal> {
  const deal = await prisma.deal.findUnique({ where: { id: dealId }, select: dealPartiesSelect })
  const capacities = deal ? dealCapacities(user, deal) : []
  if (!deal || capacities.length === 0) return { ok: false, status: 404, reason: '合同不存在' }
  if (deal.version !== input.version) return conflict()
  const refusal = refuseDealMove(deal.status, input.to, capacities)
  if (refusal) {
    const known = findDealMove(deal.status, input.to)
    return { ok: false, status: known ? 403 : 409, reason: refusal }
  }
  const move = findDealMove(deal.status, input.to)!
  const changes = await termsOf(deal, input)
  if (!changes.ok) return changes
  try {
    const written = await prisma.$transaction(async (tx) => {
      const { count } = await tx.deal.updateMany({
        where: { id: deal.id, version: deal.version, status: deal.status },
        data: { ...changes.data, status: input.to, version: { increment: 1 } },
      })
      if (count === 0) return false
      await tx.dealEvent.create({
        data: {
          dealId: deal.id,
          actorId: user.id,
          fromStatus: deal.status,
          toStatus: input.to,
          note:
            [input.to === 'cancelled' ? `原因：${input.reason}` : null, input.note]
              .filter(Boolean)
              .join('；') || null,
        },
      })
      await applyListingEffects(tx, deal, input.to)
      const told = (await participantIds(tx, deal)).filter((id) => id !== user.id)
      await notifyUsers(tx, told, {
        kind: 'deal_moved',
        title: `${deal.title}：${move.label}（${DEAL_STATUS_LABELS[input.to]}）`,
        body: input.note ?? null,
        link: dealLink(deal.id),
      })
      await recordEvent(tx, {
        type: 'deal:changed',
        room: { dealId: deal.id },
        payload: { id: deal.id, status: input.to, version: deal.version + 1 },
      })
      // A registered contract enters the published figures.
      if (input.to === 'registered' || input.to === 'cancelled')
        await recordEvent(tx, marketChanged())
      return true
    })
    return written ? { ok: true, move } : conflict()
  } catch (error) {
    if (isUniqueViolation(error)) {
      return {
        ok: false,
        status: 409,
        reason: '该登记编号已被其他合同使用',
        field: 'registrationNo',
      }
    }
    throw error
  }
}

/**
 * The broker of a deal records the commission agreed with the parties: a rate of the contract
 * amount (turned into an amount at signing, or at once if already signed) or a fixed fee.
 * Until the deal completes or is cancelled; guarded by the deal's version like every change.
 */
export async function setDealCommission(
  user: OrgActor,
  dealId: string,
  input: CommissionInput,
): Promise<{ ok: true } | DealRefusal> {
  const deal = await prisma.deal.findUnique({ where: { id: dealId }, select: dealPartiesSelect })
  if (!deal || dealCapacities(user, deal).length === 0) {
    return { ok: false, status: 404, reason: '合同不存在' }
  }
  if (!dealCapacities(user, deal).includes('broker')) {
    return { ok: false, status: 403, reason: '只有经办该合同的技术经纪人可以约定佣金' }
  }
  if (deal.status === 'completed' || deal.status === 'cancelled') {
    return { ok: false, status: 409, reason: '合同已结束，佣金不再更改' }
  }
  if (deal.version !== input.version) return conflict()
  const rate = input.basis === 'rate' ? Math.round(input.percent * 100) / 10_000 : null
  const amount =
    input.basis === 'fixed'
      ? input.amount
      : deal.contractAmount
        ? commissionFor(rate!, deal.contractAmount.toNumber())
        : null
  const written = await prisma.$transaction(async (tx) => {
    const { count } = await tx.deal.updateMany({
      where: { id: deal.id, version: deal.version },
      data: { commissionRate: rate, commissionAmount: amount, version: { increment: 1 } },
    })
    if (count === 0) return false
    await tx.dealEvent.create({
      data: {
        dealId: deal.id,
        actorId: user.id,
        note:
          input.basis === 'rate'
            ? `佣金约定：合同金额的 ${input.percent}%`
            : `佣金约定：固定 ${input.amount / 10_000} 万元`,
      },
    })
    await recordEvent(tx, {
      type: 'deal:changed',
      room: { dealId: deal.id },
      payload: { id: deal.id, status: deal.status, version: deal.version + 1 },
    })
    return true
  })
  return written ? { ok: true } : conflict()
}

/** What a move writes besides the status: the signed terms, the registration, the reason. */
async function termsOf(
  deal: DealParties,
  input: DealMoveInput,
): Promise<{ ok: true; data: Prisma.DealUncheckedUpdateManyInput } | DealRefusal> {
  if (input.to === 'signed') {
    const orgs = await prisma.organization.findMany({
      where: { id: { in: [deal.sellerOrgId, deal.buyerOrgId] } },
      select: { id: true, regionCode: true },
    })
    const region = (id: string) => orgs.find((org) => org.id === id)?.regionCode ?? null
    const { terms } = input
    return {
      ok: true,
      data: {
        contractType: terms.contractType,
        subType: terms.subType ?? null,
        contractAmount: terms.contractAmount,
        techTransactionAmount: terms.techTransactionAmount ?? null,
        signedAt: terms.signedAt,
        // An agreed rate becomes an amount once the contract has one.
        ...(deal.commissionRate
          ? {
              commissionAmount: commissionFor(deal.commissionRate.toNumber(), terms.contractAmount),
            }
          : {}),
        // Frozen here: an organization that moves later never rewrites past statistics.
        sellerRegionCode: region(deal.sellerOrgId),
        buyerRegionCode: region(deal.buyerOrgId),
      },
    }
  }
  if (input.to === 'registered') {
    const { registration } = input
    if (deal.signedAt && registration.registeredAt < deal.signedAt) {
      return { ok: false, status: 400, reason: '登记日期不能早于签约日期', field: 'registeredAt' }
    }
    if (
      deal.contractAmount &&
      registration.techTransactionAmount > deal.contractAmount.toNumber()
    ) {
      return {
        ok: false,
        status: 400,
        reason: '核定技术交易额不能超过合同金额',
        field: 'assessedAmount',
      }
    }
    const used = await prisma.deal.count({
      where: { registrationNo: registration.registrationNo, id: { not: deal.id } },
    })
    if (used > 0) {
      return {
        ok: false,
        status: 409,
        reason: '该登记编号已被其他合同使用',
        field: 'registrationNo',
      }
    }
    return {
      ok: true,
      data: {
        registrationNo: registration.registrationNo,
        registeredAt: registration.registeredAt,
        techTransactionAmount: registration.techTransactionAmount,
      },
    }
  }
  if (input.to === 'cancelled') return { ok: true, data: { cancelReason: input.reason } }
  return { ok: true, data: {} }
}

/** Moves the deal's need and result as its step implies (see LISTING_EFFECTS). */
async function applyListingEffects(
  tx: Prisma.TransactionClient,
  deal: DealParties,
  to: DealStatus,
) {
  const effect = LISTING_EFFECTS[to]
  if (!effect) return
  if (deal.resultId) {
    const { count } = await tx.result.updateMany({
      where: { id: deal.resultId, status: { in: effect.result.from } },
      data: { status: effect.result.to, version: { increment: 1 } },
    })
    if (count > 0) await enqueueSearchUpdate(tx, 'result', [deal.resultId])
  }
  if (deal.needId) {
    const { count } = await tx.need.updateMany({
      where: { id: deal.needId, status: { in: effect.need.from } },
      data: { status: effect.need.to, version: { increment: 1 } },
    })
    if (count > 0) await enqueueSearchUpdate(tx, 'need', [deal.needId])
  }
}

/** Statuses in which a deal may still get a broker: before signing. */
const TAKEABLE_STATUSES: DealStatus[] = ['intent', 'negotiating']

/** Enquiries made on the platform that no broker runs yet, for brokers to take up. */
export const TAKEABLE_WHERE = {
  brokerId: null,
  status: { in: TAKEABLE_STATUSES },
  externalId: null,
} satisfies Prisma.DealWhereInput

/** Whether a user may take up a deal as its broker: a broker, and the deal has none yet. */
function isTakeable(
  user: Pick<OrgActor, 'role'>,
  deal: Pick<DealParties, 'brokerId' | 'status' | 'externalId'>,
) {
  return (
    user.role === 'broker' &&
    !deal.brokerId &&
    deal.externalId === null &&
    TAKEABLE_STATUSES.includes(deal.status)
  )
}

/** A broker takes up a deal that has none, before it is signed. */
export async function takeUpDeal(
  user: OrgActor,
  dealId: string,
  version: number,
): Promise<{ ok: true } | DealRefusal> {
  if (user.role !== 'broker')
    return { ok: false, status: 403, reason: '只有技术经纪人可以接手合同' }
  const deal = await prisma.deal.findUnique({ where: { id: dealId }, select: dealPartiesSelect })
  if (!deal) return { ok: false, status: 404, reason: '合同不存在' }
  if (deal.version !== version) return conflict()
  if (deal.brokerId) return { ok: false, status: 409, reason: '该合同已有技术经纪人' }
  if (!['intent', 'negotiating'].includes(deal.status)) {
    return { ok: false, status: 409, reason: '合同签约后不能再更换技术经纪人' }
  }
  const written = await prisma.$transaction(async (tx) => {
    const { count } = await tx.deal.updateMany({
      where: { id: deal.id, version: deal.version, brokerId: null },
      data: { brokerId: user.id, version: { increment: 1 } },
    })
    if (count === 0) return false
    await tx.dealEvent.create({
      data: { dealId: deal.id, actorId: user.id, note: '技术经纪人接手，协助双方对接' },
    })
    await notifyUsers(tx, await participantIds(tx, deal), {
      kind: 'deal_moved',
      title: `${deal.title}：技术经纪人已接手`,
      link: dealLink(deal.id),
    })
    await recordEvent(tx, {
      type: 'deal:changed',
      room: { dealId: deal.id },
      payload: { id: deal.id, status: deal.status, version: deal.version + 1 },
    })
    return true
  })
  return written ? { ok: true } : conflict()
}

const dealPageSelect = {
  ...dealPartiesSelect,
  commissionAmount: true,
  contractType: true,
  subType: true,
  registeredAt: true,
  registrationNo: true,
  cancelReason: true,
  fieldCode: true,
  sellerRegionCode: true,
  buyerRegionCode: true,
  createdAt: true,
  updatedAt: true,
  sellerOrg: { select: { id: true, name: true, kind: true } },
  buyerOrg: { select: { id: true, name: true, kind: true } },
  broker: { select: { id: true, displayName: true } },
  need: { select: { id: true, title: true } },
  result: { select: { id: true, title: true } },
  expert: { select: { id: true, name: true } },
  events: {
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    select: {
      id: true,
      fromStatus: true,
      toStatus: true,
      note: true,
      createdAt: true,
      actor: { select: { displayName: true, role: true } },
    },
  },
} satisfies Prisma.DealSelect

/** A deal as its participants and the bureau see it, with the moves the user may make. */
export async function getDealForViewer(user: OrgActor, dealId: string) {
  const deal = await prisma.deal.findUnique({ where: { id: dealId }, select: dealPageSelect })
  if (!deal) return null
  const capacities = dealCapacities(user, deal)
  const canTakeUp = isTakeable(user, deal)
  // Brokers also see the enquiries nobody runs yet, to take them up.
  if (capacities.length === 0 && !canTakeUp) return null
  return { deal, capacities, moves: movesFor(deal.status, capacities), canTakeUp }
}

/** A user and a deal by their ids, as a socket knows them, to tell how the one stands to the other. */
export async function findUserAndDeal(userId: string, dealId: string) {
  const [user, deal] = await Promise.all([
    prisma.user.findUnique({
      where: { id: userId },
      select: {
        id: true,
        role: true,
        membership: true,
        displayName: true,
        org: { select: { id: true } },
      },
    }),
    prisma.deal.findUnique({
      where: { id: dealId },
      select: { title: true, sellerOrgId: true, buyerOrgId: true, brokerId: true },
    }),
  ])
  return user && deal ? { user, deal, capacities: dealCapacities(user, deal) } : null
}

/**
 * How a user stands to a deal, by ids; empty when they have no part, and then they may not
 * hear its room either.
 */
export async function dealCapacitiesById(userId: string, dealId: string) {
  return (await findUserAndDeal(userId, dealId))?.capacities ?? []
}

export type DealPage = NonNullable<Awaited<ReturnType<typeof getDealForViewer>>>

export const DEALS_PAGE_SIZE = 20

/** The deals a user takes part in, as a party's member or as their broker. */
export function participatingWhere(user: OrgActor): Prisma.DealWhereInput[] {
  const mine: Prisma.DealWhereInput[] = []
  if (isActiveMember(user)) mine.push({ sellerOrgId: user.org.id }, { buyerOrgId: user.org.id })
  if (user.role === 'broker') mine.push({ brokerId: user.id })
  return mine
}

/** The deals a user takes part in (the bureau: every deal), newest change first. */
export async function listDealsForViewer(
  user: OrgActor,
  options: { status?: DealStatus; page: number; open?: boolean },
) {
  const mine = participatingWhere(user)
  if (user.role === 'broker') {
    // Brokers see the enquiries nobody has taken up yet, to take them up.
    if (options.open) mine.push(TAKEABLE_WHERE)
  }
  if (user.role !== 'bureau' && mine.length === 0) return { deals: [], total: 0 }
  const where: Prisma.DealWhereInput = {
    ...(user.role === 'bureau' ? {} : { OR: mine }),
    ...(options.status ? { status: options.status } : {}),
  }
  const [deals, total] = await Promise.all([
    prisma.deal.findMany({
      where,
      orderBy: [{ updatedAt: 'desc' }, { id: 'asc' }],
      skip: (options.page - 1) * DEALS_PAGE_SIZE,
      take: DEALS_PAGE_SIZE,
      select: {
        id: true,
        title: true,
        status: true,
        contractAmount: true,
        updatedAt: true,
        sellerOrg: { select: { name: true } },
        buyerOrg: { select: { name: true } },
        broker: { select: { displayName: true } },
      },
    }),
    prisma.deal.count({ where }),
  ])
  return { deals, total }
}
