import { Link, useFetcher } from '@remix-run/react'

import { MATCH_DECLINE_REASONS, otherSide, type MatchVerdicts } from '~/domain/matches'
import type { MatchSide, MatchVerdict } from '~/generated/prisma/enums'
import { describeMatchReasons, matchDeclineReasonLabels } from '~/utils/labels'
import { MATCH_VERDICT_INTENT } from '~/validation/matches'

import type { RankedMatch } from '../../search/matching'

const DETAIL_PATH = { result: '/results', need: '/needs', expert: '/experts' } as const

/** Ranked matches with their score and reasons; the empty state says what would help. */
export function MatchList({
  matches,
  emptyText,
  headingLevel = 3,
  verdicts,
}: {
  matches: RankedMatch[]
  emptyText: string
  headingLevel?: 3 | 4
  verdicts?: MatchVerdicts
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
            {verdicts ? (
              <VerdictControls
                match={match}
                side={verdicts.side}
                given={verdicts.given[match.id] ?? {}}
              />
            ) : null}
          </li>
        )
      })}
    </ol>
  )
}

/**
 * 感兴趣 and 不合适 for one match. A refusal opens its own panel asking why, so that a stray
 * press never drops a match. Without JavaScript the forms post to the page like any other.
 */
function VerdictControls({
  match,
  side,
  given,
}: {
  match: RankedMatch
  side: MatchSide
  given: Partial<Record<MatchSide, MatchVerdict>>
}) {
  const fetcher = useFetcher<{ error?: string }>()
  const busy = fetcher.state !== 'idle'
  const error = fetcher.state === 'idle' ? fetcher.data?.error : undefined
  const key = `${match.kind}-${match.id}`
  const hidden = (
    <>
      <input type="hidden" name="intent" value={MATCH_VERDICT_INTENT} />
      <input type="hidden" name="candidateKind" value={match.kind} />
      <input type="hidden" name="candidateId" value={match.id} />
    </>
  )
  const mine = given[side]
  const theirs = given[otherSide(side)]
  return (
    <div className="match__verdict">
      {theirs === 'interested' ? (
        <p className="status-badge status-badge--live">对方感兴趣</p>
      ) : null}
      {error ? (
        <p className="notice notice--error" role="alert" id={`verdict-error-${key}`}>
          {error}
        </p>
      ) : null}
      <div className="review-item__decisions">
        {mine === 'interested' ? (
          <p className="muted" role="status">
            您已表示感兴趣
          </p>
        ) : (
          <fetcher.Form method="post">
            {hidden}
            <button
              type="submit"
              name="verdict"
              value="interested"
              className="button button--small"
              disabled={busy}
              aria-label={`对“${match.title}”感兴趣`}
            >
              感兴趣
            </button>
          </fetcher.Form>
        )}
        <details className="decision">
          <summary
            className="button button--small button--ghost"
            aria-label={`“${match.title}”不合适…`}
          >
            不合适…
          </summary>
          <fetcher.Form method="post" className="decision__panel">
            {hidden}
            <div className="field">
              <label htmlFor={`reason-${key}`}>不合适的原因</label>
              <select id={`reason-${key}`} name="reason" required defaultValue="">
                <option value="" disabled>
                  请选择
                </option>
                {MATCH_DECLINE_REASONS.map((reason) => (
                  <option key={reason} value={reason}>
                    {matchDeclineReasonLabels[reason]}
                  </option>
                ))}
              </select>
              <p className="field-help">
                标记后这条推荐不再出现；原因仅供技术经纪人和改进匹配参考。
              </p>
            </div>
            <button
              type="submit"
              name="verdict"
              value="declined"
              className="button button--small button--ghost"
              disabled={busy}
            >
              确认不合适
            </button>
          </fetcher.Form>
        </details>
      </div>
    </div>
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
