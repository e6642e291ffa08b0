import {
  json,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'

import { EnquiryPanel } from '~/components/enquiry-panel'
import { MatchesUnavailable, MatchList } from '~/components/match-list'
import { enquiryAccess } from '~/domain/deals'
import { getRegionName } from '~/domain/reference'
import { canEditExpert, getExpertProfile } from '~/models/expert.server'
import { getVerdictsForViewer } from '~/models/match.server'
import { getExpertMatches } from '~/models/matching.server'
import { getOptionalUser } from '~/server/auth.server'
import { handleListingAction } from '~/server/listing-intent.server'
import { formatFieldName, formatWan, orgKindLabels, trlLabels } from '~/utils/labels'
import { requireIdParam } from '~/utils/params'

const NOT_FOUND = '该专家档案不存在或已被删除'

export async function loader({ request, params }: LoaderFunctionArgs) {
  const expertId = requireIdParam(params, 'expertId', NOT_FOUND)
  const user = await getOptionalUser(request)
  // A profile still private (prepared by someone waiting for admission) shows to its editors.
  const expert = await getExpertProfile(expertId, user)
  if (!expert) throw new Response(NOT_FOUND, { status: 404 })
  const [canEdit, matches, verdicts] = await Promise.all([
    user ? canEditExpert(user, expert.id) : false,
    getExpertMatches(expert.id, user, 5),
    getVerdictsForViewer({ kind: 'expert', id: expert.id }, user),
  ])
  return json({ expert, canEdit, matches, verdicts, enquiry: enquiryAccess(user, expert.org.id) })
}

export async function action({ request, params }: ActionFunctionArgs) {
  return handleListingAction(request, 'expert', requireIdParam(params, 'expertId', NOT_FOUND))
}

// Null means the owner asks buyers to negotiate (面议).
function formatAskingPrice(yuan: string | null) {
  return yuan === null ? '面议' : `${formatWan(yuan)} 万元`
}

export default function ExpertPage() {
  const { expert, canEdit, matches, verdicts, enquiry } = useLoaderData<typeof loader>()
  // Shown when a verdict was posted without JavaScript and refused.
  const actionData = useActionData<typeof action>()
  const region = getRegionName(expert.org.regionCode)
  return (
    <div className="stack">
      <p>
        <Link to="/experts">← 返回专家列表</Link>
      </p>
      <section className="card" aria-labelledby="expert-name">
        <h1 id="expert-name">{expert.name}</h1>
        <dl className="facts">
          <dt>职称</dt>
          <dd>{expert.title ?? '—'}</dd>
          <dt>所在单位</dt>
          <dd>
            {expert.org.name}
            <span className="muted">
              （{[orgKindLabels[expert.org.kind], region].filter(Boolean).join(' · ')}）
            </span>
          </dd>
          <dt>技术领域</dt>
          <dd>{expert.fields.map(formatFieldName).join('、')}</dd>
          <dt>关键词</dt>
          <dd>{expert.keywords.length > 0 ? expert.keywords.join('、') : '—'}</dd>
        </dl>
        {canEdit ? (
          <p>
            <Link to={`/experts/${expert.id}/edit`} className="button button--ghost">
              编辑
            </Link>
          </p>
        ) : null}
      </section>
      <EnquiryPanel
        access={enquiry}
        redirectTo={`/experts/${expert.id}`}
        error={actionData && 'enquiryError' in actionData ? actionData.enquiryError : undefined}
        message={actionData && 'message' in actionData ? actionData.message : undefined}
      />
      <section className="card" aria-labelledby="bio-title">
        <h2 id="bio-title">个人简介</h2>
        {expert.bio ? (
          expert.bio
            .split(/\n+/)
            .filter((paragraph) => paragraph.trim())
            .map((paragraph, index) => <p key={index}>{paragraph}</p>)
        ) : (
          <p className="empty">暂无简介。</p>
        )}
      </section>
      <section className="card" aria-labelledby="results-title">
        <h2 id="results-title">负责的科技成果</h2>
        {expert.results.length === 0 ? (
          <p className="empty">暂无公开的科技成果。</p>
        ) : (
          <ul className="listing-list">
            {expert.results.map((result) => (
              <li key={result.id}>
                <Link to={`/results/${result.id}`} className="listing-list__title">
                  {result.title}
                </Link>
                <span className="listing-list__meta">
                  {[
                    `TRL ${result.trl}`,
                    trlLabels[result.trl],
                    `意向价格：${formatAskingPrice(result.askingPrice)}`,
                  ]
                    .filter(Boolean)
                    .join(' · ')}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section className="card" aria-labelledby="matches-title">
        <h2 id="matches-title">可对接的技术需求</h2>
        {actionData && 'error' in actionData ? (
          <p className="notice notice--error" role="alert">
            {actionData.error}
          </p>
        ) : null}
        {matches?.state === 'ready' ? (
          <MatchList
            matches={matches.needs}
            emptyText="暂未找到与该专家研究方向相关的企业需求。"
            verdicts={verdicts ?? undefined}
          />
        ) : (
          <MatchesUnavailable state={matches?.state ?? 'unavailable'} />
        )}
      </section>
    </div>
  )
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.expert.name} · 专家 · 西安科技大市场` : '专家 · 西安科技大市场' },
]
