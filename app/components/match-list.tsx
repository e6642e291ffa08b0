import { Link } from '@remix-run/react'

import { describeMatchReasons } from '~/utils/labels'

import type { RankedMatch } from '../../search/matching'

const DETAIL_PATH = { result: '/results', need: '/needs', expert: '/experts' } as const

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
              {describeMatchReasons(match.reasons).map((phrase) => (
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
