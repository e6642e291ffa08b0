import type { DealStatus, OrgKind, Role } from '~/generated/prisma/enums'

/** 技术合同成交额 counts contracts that reached registration, whatever happened after. */
export const REGISTERED_DEAL_STATUSES = [
  'registered',
  'performing',
  'completed',
] satisfies DealStatus[]

export function isRegisteredDealStatus(status: string): boolean {
  return (REGISTERED_DEAL_STATUSES as readonly string[]).includes(status)
}

/** Region-code prefix of Xi'an: a party is local when its region code starts with it. */
export const LOCAL_CITY_PREFIX = '6101'
/** Region-code prefix of Shaanxi, for the province-wide scope. */
export const LOCAL_PROVINCE_PREFIX = '61'

/** Universities and research institutes: where experts work and results come from. */
export const RESEARCH_ORG_KINDS = ['university', 'institute'] as const satisfies readonly OrgKind[]

export function isResearchOrgKind(kind: string): boolean {
  return (RESEARCH_ORG_KINDS as readonly string[]).includes(kind)
}

/** The bureau's yearly target metrics, as stored in the Target table. */
export const TARGET_METRICS = {
  tradeValue: 'trade_value',
  localConversionRate: 'local_conversion_rate',
} as const

/** Listings stay public this long after their owner last confirmed them. */
export const LISTING_TTL_DAYS = 180
/** Owners are reminded to re-confirm this long before a listing expires. */
export const EXPIRY_WARNING_DAYS = 30

/** 技术合同认定登记 sub-types for each contract type. */
export const CONTRACT_SUBTYPES = {
  development: ['委托开发', '合作开发'],
  transfer: ['专利权转让', '专利申请权转让', '技术秘密转让', '其他技术转让'],
  license: [
    '专利实施许可（独占）',
    '专利实施许可（排他）',
    '专利实施许可（普通）',
    '技术秘密使用许可',
  ],
  consulting: ['技术咨询'],
  service: ['技术服务', '技术培训', '技术中介'],
} as const

/** Roles that review listings and may see them in every status. */
export const MODERATOR_ROLES = ['broker', 'bureau', 'admin'] as const satisfies readonly Role[]

/** Who sees the bureau's statistics at deal level: the dashboard, its exports and its API. */
export const STATISTICS_ROLES = ['bureau', 'admin'] as const satisfies readonly Role[]

/** Who sets the work plan's targets and enters reported figures: the bureau itself. */
export const TARGET_EDITOR_ROLES = ['bureau'] as const satisfies readonly Role[]

export function isModerator(user: { role: string } | null | undefined) {
  return !!user && (MODERATOR_ROLES as readonly string[]).includes(user.role)
}
