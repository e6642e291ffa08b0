import type { NeedStatus, ResultStatus } from '~/generated/prisma/enums'

/**
 * The life of a listing (科技成果 or 技术需求): draft → pending_review → published/open →
 * (withdrawn/closed · expired); a rejection sends it back to its owner. One table per kind
 * says, for every status, whether the owner may edit and which buttons the owner gets, with
 * their labels, target statuses and the message shown afterwards. The pages offer exactly
 * these buttons and the server runs exactly these moves, so the two cannot disagree.
 */
export type ListingKind = 'result' | 'need'

export type OwnerIntent = 'submit' | 'reconfirm' | 'withdraw'

export interface OwnerMove<Status extends string = string> {
  intent: OwnerIntent
  label: string
  to: Status
  /** The success message after the move. */
  done: string
}

export interface OwnerStatusRule<Status extends string = string> {
  edit: boolean
  moves: readonly OwnerMove<Status>[]
  /** Why there is no 编辑 button, for the owner: only where editing is refused. */
  note?: string
}

const extendedMessage = '已确认信息有效，公开有效期已延长 180 天'

function submit<Status extends string>(done: string): OwnerMove<Status> {
  return { intent: 'submit', label: '提交审核', to: 'pending_review' as Status, done }
}

function reconfirm<Status extends string>(to: Status): OwnerMove<Status> {
  return { intent: 'reconfirm', label: '确认信息仍有效', to, done: extendedMessage }
}

/** Under review the owner cannot edit, but may withdraw it back to a draft to edit again. */
function awaitingReview<Status extends string>(noun: string): OwnerStatusRule<Status> {
  const done = `已撤回审核，${noun}回到草稿，可修改后重新提交`
  return {
    edit: false,
    note: '审核期间不能修改；如需修改，请先撤回审核。',
    moves: [{ intent: 'withdraw', label: '撤回审核', to: 'draft' as Status, done }],
  }
}

const submitResult = submit<ResultStatus>('已提交审核，审核通过后将公开发布')
const submitNeed = submit<NeedStatus>('已提交审核，审核通过后将公开征集')

const resultOwnerRules = {
  draft: { edit: true, moves: [submitResult] },
  pending_review: awaitingReview<ResultStatus>('成果'),
  rejected: { edit: true, moves: [submitResult] },
  published: {
    edit: true,
    moves: [
      reconfirm('published'),
      { intent: 'withdraw', label: '撤回发布', to: 'withdrawn', done: '已撤回，该成果不再公开' },
    ],
  },
  // A result in negotiation stays as the buyer read it; it can still be confirmed as current.
  in_negotiation: {
    edit: false,
    note: '洽谈进行中，成果信息不能修改。',
    moves: [reconfirm('in_negotiation')],
  },
  transferred: { edit: false, note: '成果已转化，信息不再修改。', moves: [] },
  withdrawn: { edit: true, moves: [submitResult] },
  expired: { edit: true, moves: [reconfirm('published')] },
} satisfies Record<ResultStatus, OwnerStatusRule<ResultStatus>>

const needOwnerRules = {
  draft: { edit: true, moves: [submitNeed] },
  pending_review: awaitingReview<NeedStatus>('需求'),
  rejected: { edit: true, moves: [submitNeed] },
  open: {
    edit: true,
    moves: [
      reconfirm('open'),
      { intent: 'withdraw', label: '关闭需求', to: 'closed', done: '需求已关闭，不再公开征集' },
    ],
  },
  in_deal: { edit: false, note: '对接进行中，需求信息不能修改。', moves: [reconfirm('in_deal')] },
  solved: { edit: false, note: '需求已解决，信息不再修改。', moves: [] },
  closed: { edit: true, moves: [submitNeed] },
  expired: { edit: true, moves: [reconfirm('open')] },
} satisfies Record<NeedStatus, OwnerStatusRule<NeedStatus>>

export const ownerRules: {
  result: Record<ResultStatus, OwnerStatusRule<ResultStatus>>
  need: Record<NeedStatus, OwnerStatusRule<NeedStatus>>
} = { result: resultOwnerRules, need: needOwnerRules }

function editableStatuses<Status extends string>(rules: Record<Status, OwnerStatusRule<Status>>) {
  return (Object.keys(rules) as Status[]).filter((status) => rules[status].edit)
}

export const listingRules = {
  result: {
    live: 'published',
    liveStatuses: ['published', 'in_negotiation'],
    editable: editableStatuses(resultOwnerRules),
    label: '科技成果',
    path: '/results',
  },
  need: {
    live: 'open',
    liveStatuses: ['open', 'in_deal'],
    editable: editableStatuses(needOwnerRules),
    label: '技术需求',
    path: '/needs',
  },
} as const

/** What the owner may do with a listing of this kind in this status; unknown statuses: nothing. */
export function getOwnerRule(kind: ListingKind, status: string): OwnerStatusRule {
  const rules: Record<string, OwnerStatusRule> = ownerRules[kind]
  return Object.hasOwn(rules, status) ? rules[status]! : { edit: false, moves: [] }
}

/** The owner buttons a listing's status allows, with their form intents and labels. */
export function getOwnerActions(kind: ListingKind, status: string) {
  return getOwnerRule(kind, status).moves
}

/** The move an owner's button press makes from this status, if that status allows it. */
export function getOwnerMove(kind: ListingKind, status: string, intent: OwnerIntent) {
  return getOwnerRule(kind, status).moves.find((move) => move.intent === intent)
}

export function isEditable(kind: ListingKind, status: string) {
  return getOwnerRule(kind, status).edit
}

/** Why a button press was refused: the listing's status changed since the page was shown. */
export const ownerRefusals: Record<OwnerIntent, string> = {
  submit: '当前状态不能提交审核',
  withdraw: '当前状态不能撤回',
  reconfirm: '只有已发布或已过期的信息可以确认有效',
}
