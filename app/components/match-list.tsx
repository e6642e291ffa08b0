import { Link } from '@remix-run/react'

import { getRegionName } from '~/domain/reference'
import { formatFieldName, formatWan } from '~/utils/labels'

import type { MatchReasons, RankedMatch } from '../../search/matching'

const DETAIL_PATH = { result: '/results', need: '/needs', expert: '/experts' } as const

const FIELD_FIT = {
  same: '领域相同',
  related: '领域相近',
  different: '领域不同',
  unknown: '领域未知',
} as const

const TRL_FIT = { mature: '技术成熟', pilot: '已过中试', early: '尚在早期' } as const

const wan = (yuan: number) => `${formatWan(yuan)} 万元`

/** Each reason of a match as a short phrase a person reads at a glance. */
export function describeReasons(reasons: MatchReasons): string[] {
  const phrases: string[] = []
  if (reasons.terms.length > 0) phrases.push(`命中：${reasons.terms.slice(0, 6).join('、')}`)
  const field = reasons.field
  phrases.push(
    `${FIELD_FIT[field.fit]}${field.code ? `（${formatFieldName(field.code)}）` : ''}${field.inferred ? '，据描述推断' : ''}`,
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

/** Ranked matches with their score and reasons; the empty state says what would help. */
export function MatchList({
  matches,
  emptyText,
  headingLevel = 3,
}: {
  matches: RankedMatch[]
  emptyText: string
  headingLevel?: 3 | 4
}) {
  if (matches.length === 0) return <p className="empty">{emptyText}</p>
  const Heading = headingLevel === 3 ? 'h3' : 'h4'
  return (
    <ol className="match-list">
      {matches.map((match) => {
        const percent = Math.round(match.score * 100)
        return (
          <li key={`${match.kind}-${match.id}`} className="match">
            <div className="match__head">
              <Heading className="match__title">
                <Link to={`${DETAIL_PATH[match.kind]}/${match.id}`}>{match.title}</Link>
              </Heading>
              <span
                className="match__score"
                title="匹配度综合了文字相关度、领域、价格、成熟度、所在地与成交记录"
              >
                匹配度 {percent}%
                <meter min={0} max={100} value={percent} aria-label={`匹配度 ${percent}%`} />
              </span>
            </div>
            <p className="muted match__org">{match.orgName}</p>
            <ul className="match__reasons" aria-label="匹配理由">
              {describeReasons(match.reasons).map((phrase) => (
                <li key={phrase}>{phrase}</li>
              ))}
            </ul>
          </li>
        )
      })}
    </ol>
  )
}

/** Why matches are not shown yet: the index is being built, or search is away. */
export function MatchesUnavailable({ state }: { state: 'building' | 'unavailable' }) {
  return (
    <p className="muted" role="status">
      {state === 'building'
        ? '搜索索引正在建立，匹配结果稍后可见。'
        : '匹配服务暂时不可用，请稍后再试。'}
    </p>
  )
}
