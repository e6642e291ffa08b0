import type { DealStatus, NeedStatus, ResultStatus, Role } from '~/generated/prisma/enums'

import { isActiveMember, type OrgActor } from './membership'

/**
 * The life of a deal (技术合同): 意向 → 洽谈 → 签约 → 登记 → 履约 → 完成, and 取消 with a reason
 * from any state before 完成. One table says who may make each move; the model runs exactly
 * these moves, the pages offer exactly these buttons, and the importer and the seed accept
 * only statuses these moves can reach, so none of them can disagree.
 */

export const DEAL_STATUS_LABELS: Record<DealStatus, string> = {
  intent: '意向',
  negotiating: '洽谈',
  signed: '签约',
  registered: '登记',
  performing: '履约',
  completed: '完成',
  cancelled: '取消',
}

/** How a user stands to a deal: a seller or buyer member, its broker, or the bureau. */
export type DealCapacity = 'party' | 'broker' | 'bureau'

export interface DealMove {
  from: DealStatus
  to: DealStatus
  by: readonly DealCapacity[]
  /** The button's label. */
  label: string
  /** What the move needs besides a note: a cancellation reason, the registration record. */
  needs?: 'reason' | 'registration' | 'signing'
}

/** The statuses in the order a deal goes through them, cancelled aside. */
export const DEAL_PATH = [
  'intent',
  'negotiating',
  'signed',
  'registered',
  'performing',
  'completed',
] as const satisfies readonly DealStatus[]

/** Deals still under way: any status before completion, and these may be cancelled. */
export const OPEN_DEAL_STATUSES = DEAL_PATH.slice(0, -1)
const CANCELLABLE = OPEN_DEAL_STATUSES

/** Deals a broker has closed: signed, and not cancelled since. */
export const CLOSED_DEAL_STATUSES = DEAL_PATH.slice(DEAL_PATH.indexOf('signed'))

export const DEAL_MOVES: readonly DealMove[] = [
  { from: 'intent', to: 'negotiating', by: ['party', 'broker'], label: '进入洽谈' },
  {
    from: 'negotiating',
    to: 'signed',
    by: ['party', 'broker'],
    label: '确认签约',
    needs: 'signing',
  },
  // Only the bureau's registration office (技术合同认定登记) registers a contract.
  {
    from: 'signed',
    to: 'registered',
    by: ['bureau'],
    label: '认定登记',
    needs: 'registration',
  },
  { from: 'registered', to: 'performing', by: ['party'], label: '报告开始履约' },
  { from: 'performing', to: 'completed', by: ['party'], label: '报告履约完成' },
  ...CANCELLABLE.map((from): DealMove => ({
    from,
    to: 'cancelled',
    // Until signing the parties and the broker may walk away; a signed contract is ended by
    // its parties, and the bureau may cancel a registration.
    by:
      DEAL_PATH.indexOf(from) < DEAL_PATH.indexOf('signed')
        ? ['party', 'broker']
        : ['party', 'bureau'],
    label: '取消',
    needs: 'reason',
  })),
]

export function findDealMove(from: DealStatus, to: DealStatus): DealMove | undefined {
  return DEAL_MOVES.find((move) => move.from === from && move.to === to)
}

/** The moves a user in these capacities may make from a status, for the buttons. */
export function movesFor(status: DealStatus, capacities: readonly DealCapacity[]): DealMove[] {
  return DEAL_MOVES.filter(
    (move) => move.from === status && move.by.some((capacity) => capacities.includes(capacity)),
  )
}

const capacityNames: Record<DealCapacity, string> = {
  party: '合同双方',
  broker: '技术经纪人',
  bureau: '科技局',
}

/** Why a move may not be made, in Chinese; null when it may. */
export function refuseDealMove(
  from: DealStatus,
  to: DealStatus,
  capacities: readonly DealCapacity[],
): string | null {
  const move = findDealMove(from, to)
  if (!move) {
    return `合同处于“${DEAL_STATUS_LABELS[from]}”，不能变为“${DEAL_STATUS_LABELS[to]}”`
  }
  if (!move.by.some((capacity) => capacities.includes(capacity))) {
    return `“${move.label}”只能由${move.by.map((capacity) => capacityNames[capacity]).join('或')}操作`
  }
  return null
}

/** Whether some run of moves leads from one status to another (or it is the same). */
export function canReach(from: DealStatus, to: DealStatus): boolean {
  const seen = new Set<DealStatus>([from])
  const queue: DealStatus[] = [from]
  while (queue.length > 0) {
    const status = queue.shift()!
    if (status === to) return true
    for (const move of DEAL_MOVES) {
      if (move.from === status && !seen.has(move.to)) {
        seen.add(move.to)
        queue.push(move.to)
      }
    }
  }
  return false
}

/** The moves from the start to a status along the path (or to its cancellation from `from`). */
export function pathTo(to: DealStatus, cancelledFrom: DealStatus = 'intent'): DealMove[] {
  const end = to === 'cancelled' ? cancelledFrom : to
  const steps = DEAL_PATH.slice(0, DEAL_PATH.indexOf(end as (typeof DEAL_PATH)[number]) + 1)
  const moves = steps.slice(1).map((status, index) => findDealMove(steps[index]!, status)!)
  if (to === 'cancelled') moves.push(findDealMove(end, 'cancelled')!)
  return moves
}

/**
 * The status a deal's event log leads to: each event's `from` must be where the previous left
 * it; null when the log is not a run of allowed moves.
 */
export function replayDealEvents(
  events: readonly { fromStatus: DealStatus | null; toStatus: DealStatus | null }[],
): DealStatus | null {
  let status: DealStatus | null = null
  for (const event of events) {
    // Events that change no status (a note, an amount) leave it where it is.
    if (event.toStatus === null || event.toStatus === event.fromStatus) continue
    if (status === null) {
      if (event.fromStatus !== null || event.toStatus !== 'intent') return null
    } else if (event.fromStatus !== status || !findDealMove(status, event.toStatus)) {
      return null
    }
    status = event.toStatus
  }
  return status
}

/** Registered contracts and after: their terms are the bureau's record and no longer change. */
export function termsAreFixed(status: DealStatus) {
  return DEAL_PATH.indexOf(status as (typeof DEAL_PATH)[number]) >= DEAL_PATH.indexOf('registered')
}

/**
 * What a deal's move does to its listings: signing puts them in negotiation, completion marks
 * them solved and transferred, cancellation gives them back to the market. Only listings in
 * the status a move expects are touched: a need closed meanwhile stays closed.
 */
export const LISTING_EFFECTS: Partial<
  Record<
    DealStatus,
    {
      result: { from: ResultStatus[]; to: ResultStatus }
      need: { from: NeedStatus[]; to: NeedStatus }
    }
  >
> = {
  signed: {
    result: { from: ['published'], to: 'in_negotiation' },
    need: { from: ['open'], to: 'in_deal' },
  },
  completed: {
    result: { from: ['published', 'in_negotiation'], to: 'transferred' },
    need: { from: ['open', 'in_deal'], to: 'solved' },
  },
  cancelled: {
    result: { from: ['in_negotiation'], to: 'published' },
    need: { from: ['in_deal'], to: 'open' },
  },
}

/**
 * 技术合同登记编号 as the registration offices issue them: the year (4 digits), the office's
 * region code (6) and a serial number (6), e.g. 2014610113000123.
 */
export const REGISTRATION_NO = /^(\d{4})(\d{6})(\d{6})$/
/** What a malformed registration number is told, naming its field as the form or file does. */
export function registrationNoProblem(field: string) {
  return `${field}应为 16 位数字：年份 4 位、登记机构地区代码 6 位、流水号 6 位`
}

/** Who may start an enquiry (我要对接): people acting for an organization that trades. */
export const ENQUIRING_ROLES = ['enterprise', 'researcher'] as const satisfies readonly Role[]

/**
 * What a listing's page offers a viewer about 我要对接: the form, a sign-in link, or nothing
 * (their own organization's listing, or a role that does not trade).
 */
export function enquiryAccess(
  viewer: Pick<OrgActor, 'role' | 'membership' | 'org'> | null,
  ownerOrgId: string,
): 'sign-in' | 'allowed' | 'own' | 'none' {
  if (!viewer) return 'sign-in'
  if (!(ENQUIRING_ROLES as readonly string[]).includes(viewer.role) || !isActiveMember(viewer)) {
    return 'none'
  }
  return viewer.org.id === ownerOrgId ? 'own' : 'allowed'
}

/** The longest deal-room message: a page of text, enough for terms pasted from a draft. */
export const MESSAGE_MAX_LENGTH = 4_000

/** Messages a deal room shows at a time; older ones load on request. */
export const MESSAGE_PAGE_SIZE = 30

/**
 * Who speaks in a deal's room: its parties and its broker. The bureau reads along (it checks
 * what was agreed when it registers) but takes no part in the negotiation.
 */
export function canSpeakInDeal(capacities: readonly DealCapacity[]) {
  return capacities.includes('party') || capacities.includes('broker')
}

/** The highest commission rate a broker may agree: 30 % of the contract. */
export const COMMISSION_MAX_RATE = 0.3

/** A commission rate applied to a contract amount, in yuan to the cent. */
export function commissionFor(rate: number, contractAmount: number) {
  return Math.round(rate * contractAmount * 100) / 100
}

/**
 * Days in a status after which a deal shows as stalled on its broker's board: an enquiry
 * should be answered within a week; registration and performance take longer.
 */
export const STALLED_AFTER_DAYS: Partial<Record<DealStatus, number>> = {
  intent: 7,
  negotiating: 30,
  signed: 30,
  registered: 90,
  performing: 180,
}

const DAY_MS = 86_400_000

/** Whole days a deal has been in its status. */
export function daysSince(since: Date, now: Date) {
  return Math.max(0, Math.floor((now.getTime() - since.getTime()) / DAY_MS))
}

export function isStalled(status: DealStatus, since: Date, now: Date) {
  const limit = STALLED_AFTER_DAYS[status]
  return limit !== undefined && daysSince(since, now) > limit
}
