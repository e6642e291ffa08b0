/**
 * The life of a listing (科技成果 or 技术需求), one table of rules for both kinds and for both
 * the server (which enforces them in its queries) and the pages (which offer the buttons):
 * draft → pending_review → published/open → (withdrawn/closed · expired); a rejection sends
 * it back to its owner.
 */
export type ListingKind = 'result' | 'need'

export const listingRules = {
  result: {
    live: 'published',
    liveStatuses: ['published', 'in_negotiation'],
    submittable: ['draft', 'rejected', 'withdrawn'],
    withdrawable: ['pending_review', 'published'],
    withdrawnStatus: 'withdrawn',
    editable: ['draft', 'rejected', 'withdrawn', 'published', 'expired'],
    label: '科技成果',
    path: '/results',
  },
  need: {
    live: 'open',
    liveStatuses: ['open', 'in_deal'],
    submittable: ['draft', 'rejected', 'closed'],
    withdrawable: ['pending_review', 'open'],
    withdrawnStatus: 'closed',
    editable: ['draft', 'rejected', 'closed', 'open', 'expired'],
    label: '技术需求',
    path: '/needs',
  },
} as const

export type OwnerIntent = 'submit' | 'reconfirm' | 'withdraw'

/** The owner actions a listing's status allows, as buttons with their form intents. */
export function getOwnerActions(kind: ListingKind, status: string) {
  const rule = listingRules[kind]
  const has = (statuses: readonly string[]) => statuses.includes(status)
  const actions: { intent: OwnerIntent; label: string }[] = []
  if (has(rule.submittable)) actions.push({ intent: 'submit', label: '提交审核' })
  if (has(rule.liveStatuses) || status === 'expired') {
    actions.push({ intent: 'reconfirm', label: '确认信息仍有效' })
  }
  if (has(rule.withdrawable)) {
    actions.push({ intent: 'withdraw', label: kind === 'result' ? '撤回' : '关闭需求' })
  }
  return actions
}

export function isEditable(kind: ListingKind, status: string) {
  return (listingRules[kind].editable as readonly string[]).includes(status)
}
