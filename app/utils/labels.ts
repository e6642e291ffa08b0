import { DEAL_STATUS_LABELS } from '~/domain/deals'
import type { ListingKind } from '~/domain/listing-rules'
import { getFieldName, getRegionName } from '~/domain/reference'
import type {
  ContractType,
  DealStatus,
  MatchDeclineReason,
  NotificationKind,
  OrgKind,
  Role,
} from '~/generated/prisma/enums'

import type { MatchReasons } from '../../search/matching'

export const roleLabels: Record<Role, string> = {
  enterprise: '企业',
  researcher: '科研人员',
  broker: '技术经纪人',
  bureau: '科技局',
  admin: '平台管理员',
}

export const orgKindLabels: Record<OrgKind, string> = {
  university: '高校',
  institute: '科研院所',
  enterprise: '企业',
  broker_agency: '技术转移服务机构',
  government: '政府部门',
}

export const contractTypeLabels: Record<ContractType, string> = {
  development: '技术开发',
  transfer: '技术转让',
  license: '技术许可',
  consulting: '技术咨询',
  service: '技术服务',
}

export const dealStatusLabels: Record<DealStatus, string> = DEAL_STATUS_LABELS

export interface NavItem {
  to: string
  label: string
}

/**
 * The names of pages whose name depends on the role. Navigation, page heading and browser
 * tab all read them here, so a page is called the same wherever a person meets it.
 */
export const pageNames = {
  ownListings: { result: '我的成果', need: '我的需求' } satisfies Record<ListingKind, string>,
  statistics: '统计监测',
  deals: '合同',
}

/** The workbench's name for a role; roles without a workbench never see it. */
export function getWorkbenchName(role: Role) {
  switch (role) {
    case 'enterprise':
      return '企业工作台'
    case 'researcher':
      return '科研工作台'
    case 'broker':
      return '经纪工作台'
    default:
      return '工作台'
  }
}

/** What each role finds in the header; every link leads to a page that role may open. */
export function getNavigation(role: Role | null): NavItem[] {
  const market = [
    { to: '/', label: '首页' },
    { to: '/results', label: '科技成果' },
    { to: '/needs', label: '技术需求' },
    { to: '/experts', label: '专家' },
    { to: '/search', label: '搜索' },
    { to: '/match', label: '需求匹配' },
  ]
  const review = { to: '/review', label: '审核队列' }
  const statistics = { to: '/bureau', label: pageNames.statistics }
  const account = { to: '/account', label: '账户设置' }
  const deals = { to: '/deals', label: pageNames.deals }
  const workbench = (owner: Role) => ({ to: '/workbench', label: getWorkbenchName(owner) })
  switch (role) {
    case null:
      return market
    case 'enterprise':
      return [
        ...market,
        { to: '/my/listings', label: pageNames.ownListings.need },
        deals,
        workbench(role),
        account,
      ]
    case 'researcher':
      return [
        ...market,
        { to: '/my/listings', label: pageNames.ownListings.result },
        deals,
        workbench(role),
        account,
      ]
    case 'broker':
      return [...market, review, deals, workbench(role), account]
    case 'bureau':
      return [...market, review, deals, statistics, account]
    case 'admin':
      return [...market, review, statistics, { to: '/admin/users', label: '用户管理' }, account]
  }
}

// Formatters are built once: constructing an Intl formatter costs far more than using one,
// and a list page formats dozens of amounts and dates per render.
const amountFormat = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 2 })
const dateFormat = new Intl.DateTimeFormat('zh-CN', {
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  timeZone: 'Asia/Shanghai',
})

/** Yuan → 万元 with up to two decimals, as the bureau reports it. */
export function formatWan(yuan: number | string | { toString(): string }) {
  return amountFormat.format(Number(typeof yuan === 'object' ? yuan.toString() : yuan) / 10_000)
}

/** Yuan → 亿元 for large totals. */
export function formatYi(yuan: number) {
  return amountFormat.format(yuan / 100_000_000)
}

const dateTimeFormat = new Intl.DateTimeFormat('zh-CN', {
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
  timeZone: 'Asia/Shanghai',
})

export function formatDate(date: Date | string) {
  return dateFormat.format(typeof date === 'string' ? new Date(date) : date)
}

/** Month, day and time in Xi'an, the same on the server and in every browser. */
export function formatDateTime(date: Date | string) {
  return dateTimeFormat.format(typeof date === 'string' ? new Date(date) : date)
}

export const resultStatusLabels: Record<string, string> = {
  draft: '草稿',
  pending_review: '待审核',
  rejected: '已驳回',
  published: '已发布',
  in_negotiation: '洽谈中',
  transferred: '已转化',
  withdrawn: '已撤回',
  expired: '已过期',
}

export const needStatusLabels: Record<string, string> = {
  draft: '草稿',
  pending_review: '待审核',
  rejected: '已驳回',
  open: '征集中',
  in_deal: '对接中',
  solved: '已解决',
  closed: '已关闭',
  expired: '已过期',
}

export function formatPercent(ratio: number | null) {
  return ratio === null ? '—' : `${(ratio * 100).toFixed(1)}%`
}

/** GB/T 22900 technology readiness levels. */
export const trlLabels: Record<number, string> = {
  1: '发现基本原理',
  2: '形成技术概念',
  3: '关键功能验证',
  4: '实验室环境部件验证',
  5: '相关环境部件验证',
  6: '相关环境系统演示（中试）',
  7: '真实环境系统试验',
  8: '系统完成并通过鉴定',
  9: '规模化应用验证',
}

export const transferModeLabels: Record<string, string> = {
  transfer: '转让',
  license: '许可',
  equity: '作价投资',
  co_development: '合作开发',
}

export const cooperationModeLabels: Record<string, string> = {
  commissioned_development: '委托开发',
  co_development: '合作开发',
  transfer: '技术转让',
  license: '技术许可',
  consulting: '技术咨询',
  service: '技术服务',
}

export const ipTypeLabels: Record<string, string> = {
  invention_patent: '发明专利',
  utility_model: '实用新型专利',
  design_patent: '外观设计专利',
  software_copyright: '软件著作权',
  ic_layout: '集成电路布图设计',
  plant_variety: '植物新品种',
  technical_secret: '技术秘密',
  none: '无',
}

/** A need's budget range in 万元, as buyers and sellers say it. */
export function formatBudget(min: string | null, max: string | null) {
  if (min && max) return `${formatWan(min)}–${formatWan(max)} 万元`
  if (max) return `${formatWan(max)} 万元以内`
  if (min) return `${formatWan(min)} 万元以上`
  return '面议'
}

/** A field or sub-field by name only: codes mean nothing to the people reading the page. */
export function formatFieldName(code: string) {
  return getFieldName(code) ?? '其他领域'
}

/** Price and budget bands of search facets (search/documents.ts AMOUNT_BANDS), in 万元. */
export const amountBandLabels: Record<string, string> = {
  'under-10w': '10 万元以下',
  '10w-50w': '10–50 万元',
  '50w-100w': '50–100 万元',
  '100w-500w': '100–500 万元',
  'over-500w': '500 万元以上',
  negotiable: '面议',
}

export const localLabels: Record<string, string> = { true: '西安本地', false: '外地' }

export const matchDeclineReasonLabels: Record<MatchDeclineReason, string> = {
  not_relevant: '内容不相关',
  too_early: '技术尚不成熟',
  price: '价格或预算不合适',
  route_unclear: '转化路径不清晰',
  already_solved: '需求已解决',
  other: '其他原因',
}

export const notificationKindLabels: Record<NotificationKind, string> = {
  moderation_approved: '审核通过',
  moderation_rejected: '审核驳回',
  membership_requested: '加入申请',
  membership_approved: '加入获准',
  membership_refused: '加入被拒',
  match_suggested: '新匹配',
  match_interested: '对方感兴趣',
  deal_enquiry: '对接请求',
  deal_moved: '合同进展',
  deal_message: '洽谈消息',
}

const FIELD_FIT = {
  same: '领域相同',
  related: '领域相近',
  different: '领域不同',
  unknown: '领域未知',
} as const

const TRL_FIT = { mature: '技术成熟', pilot: '已过中试', early: '尚在早期' } as const

const wan = (yuan: number) => `${formatWan(yuan)} 万元`

/** Topic similarity (latent.ts) from which a match's reasons name it. */
const CLOSE_TOPIC = 0.5

/** Each reason of a match as a short phrase a person reads at a glance. */
export function describeMatchReasons(reasons: MatchReasons): string[] {
  const phrases: string[] = []
  if (reasons.terms.length > 0) phrases.push(`命中：${reasons.terms.slice(0, 6).join('、')}`)
  // Said only when clearly close: a middling similarity explains nothing to a reader.
  if (reasons.topic && reasons.topic.similarity >= CLOSE_TOPIC) {
    phrases.push(`主题相近（${Math.round(reasons.topic.similarity * 100)}%）`)
  }
  const field = reasons.field
  const fieldName = field.code ? formatFieldName(field.code) : null
  phrases.push(
    field.fit === 'unknown'
      ? `领域：${fieldName ?? '未注明'}`
      : `${FIELD_FIT[field.fit]}${fieldName ? `（${fieldName}）` : ''}${field.inferred ? '，据描述推断' : ''}`,
  )
  const budget = reasons.budget
  if (budget) {
    if (budget.fit === 'unknown') phrases.push('价格面议')
    else if (budget.fit === 'within')
      phrases.push(`报价 ${wan(budget.price!)}，在预算 ${wan(budget.budget!)} 内`)
    else if (budget.fit === 'near')
      phrases.push(`报价 ${wan(budget.price!)}，略超预算 ${wan(budget.budget!)}`)
    else phrases.push(`报价 ${wan(budget.price!)}，超出预算 ${wan(budget.budget!)}`)
  }
  if (reasons.trl) phrases.push(`TRL ${reasons.trl.level}，${TRL_FIT[reasons.trl.fit]}`)
  const place = getRegionName(reasons.locality.region) ?? reasons.locality.region
  phrases.push(reasons.locality.local ? `西安本地（${place}）` : `外地（${place}）`)
  if (reasons.record && reasons.record.deals > 0) phrases.push(`已成交 ${reasons.record.deals} 项`)
  return phrases
}

/** A broker's commission as agreed: a share of the contract or a fixed fee. */
export function describeCommission(
  rate: number | string | { toString(): string } | null,
  amount: number | string | { toString(): string } | null,
) {
  if (rate !== null) {
    const percent = amountFormat.format(Number(rate.toString()) * 100)
    return amount === null
      ? `合同金额的 ${percent}%（签约后按合同金额计算）`
      : `合同金额的 ${percent}%（${formatWan(amount)} 万元）`
  }
  return amount === null ? '未约定' : `固定 ${formatWan(amount)} 万元`
}
