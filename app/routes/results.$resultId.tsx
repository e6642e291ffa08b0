import {
  json,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'

import { EnquiryPanel } from '~/components/enquiry-panel'
import { FactList } from '~/components/fact-list'
import { MatchesUnavailable, MatchList } from '~/components/match-list'
import { OwnerPanel } from '~/components/owner-panel'
import { isModerator } from '~/domain/constants'
import { enquiryAccess } from '~/domain/deals'
import { canEditOrgListing } from '~/domain/membership'
import { getRegionName } from '~/domain/reference'
import { getModerationHistory } from '~/models/listing.server'
import { getVerdictsForViewer } from '~/models/match.server'
import { getResultMatches } from '~/models/matching.server'
import { getRelatedResults, getResultForViewer } from '~/models/result.server'
import { getOptionalUser } from '~/server/auth.server'
import { handleListingAction } from '~/server/listing-intent.server'
import {
  formatDate,
  formatFieldName,
  formatWan,
  ipTypeLabels,
  orgKindLabels,
  transferModeLabels,
  trlLabels,
} from '~/utils/labels'
import { requireIdParam } from '~/utils/params'

const NOT_FOUND = '该科技成果不存在或未公开'
const MATCHES_SHOWN = 5

export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = requireIdParam(params, 'resultId', NOT_FOUND)
  const viewer = await getOptionalUser(request)
  const result = await getResultForViewer(id, viewer)
  if (!result) throw new Response(NOT_FOUND, { status: 404 })
  // Admitted members own the organization's listings; one still waiting, only their drafts.
  const isOwner = canEditOrgListing(viewer, result)
  const [related, decisions, matches, verdicts] = await Promise.all([
    getRelatedResults(result),
    getModerationHistory('result', result.id),
    getResultMatches(result.id, viewer, MATCHES_SHOWN),
    getVerdictsForViewer({ kind: 'result', id: result.id }, viewer),
  ])
  // The review history is the owner's and the moderators' business only.
  return json({
    result,
    related,
    matches,
    verdicts,
    decisions: isOwner || isModerator(viewer) ? decisions : [],
    isOwner,
    enquiry: enquiryAccess(viewer, result.orgId),
  })
}

export async function action({ request, params }: ActionFunctionArgs) {
  return handleListingAction(request, 'result', requireIdParam(params, 'resultId', NOT_FOUND))
}

export default function ResultPage() {
  const { result, related, decisions, isOwner, matches, verdicts, enquiry } =
    useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const facts: [string, React.ReactNode][] = [
    ['技术领域', formatFieldName(result.fieldCode)],
    ['技术成熟度', `TRL ${result.trl} · ${trlLabels[result.trl] ?? ''}`],
    ['知识产权', result.ipType ? ipTypeLabels[result.ipType] : '未填写'],
    ['专利号', result.patentNos.length ? result.patentNos.join('、') : '—'],
    ['转化方式', result.transferModes.map((mode) => transferModeLabels[mode]).join('、')],
    ['意向价格', result.askingPrice ? `${formatWan(result.askingPrice)} 万元` : '面议'],
  ]
  return (
    <div className="stack">
      <p>
        <Link to="/results">← 科技成果</Link>
      </p>
      <h1>{result.title}</h1>
      <p className="muted">
        {result.org.name}（{orgKindLabels[result.org.kind]}，
        {getRegionName(result.org.regionCode) ?? result.org.regionCode}
        {result.org.zone ? `，${result.org.zone}` : ''}）
        {result.confirmedAt ? ` · 信息最后确认于 ${formatDate(result.confirmedAt)}` : ''}
      </p>
      {isOwner ? (
        <OwnerPanel
          kind="result"
          listing={result}
          decisions={decisions}
          error={actionData && 'error' in actionData ? actionData.error : undefined}
        />
      ) : null}
      <div className="detail-layout">
        <div className="stack">
          <section className="card" aria-labelledby="summary-title">
            <h2 id="summary-title">成果简介</h2>
            <p>{result.summary}</p>
            {result.keywords.length ? (
              <ul className="tags" aria-label="关键词">
                {result.keywords.map((keyword) => (
                  <li key={keyword}>{keyword}</li>
                ))}
              </ul>
            ) : null}
          </section>
          {result.description ? (
            <section className="card" aria-labelledby="description-title">
              <h2 id="description-title">详细介绍</h2>
              {result.description.split('\n').map((paragraph, index) => (
                <p key={index}>{paragraph}</p>
              ))}
            </section>
          ) : null}
          <section className="card" aria-labelledby="matches-title">
            <h2 id="matches-title">该成果可能解决的技术需求</h2>
            {matches?.state === 'ready' ? (
              <MatchList
                matches={matches.needs}
                emptyText="暂未找到相关的企业需求。新的需求发布后会在这里出现。"
                verdicts={verdicts ?? undefined}
              />
            ) : (
              <MatchesUnavailable state={matches?.state ?? 'unavailable'} />
            )}
          </section>
        </div>
        <aside className="stack">
          <EnquiryPanel
            access={enquiry}
            redirectTo={`/results/${result.id}`}
            error={actionData && 'enquiryError' in actionData ? actionData.enquiryError : undefined}
            message={actionData && 'message' in actionData ? actionData.message : undefined}
          />
          <section className="card" aria-labelledby="facts-title">
            <h2 id="facts-title">成果要素</h2>
            <FactList
              facts={[
                ...facts,
                [
                  '成果负责人',
                  result.leadExpert ? (
                    <Link to={`/experts/${result.leadExpert.id}`}>
                      {result.leadExpert.name}
                      {result.leadExpert.title ? `（${result.leadExpert.title}）` : ''}
                    </Link>
                  ) : (
                    '未指定'
                  ),
                ],
              ]}
            />
          </section>
          <section className="card" aria-labelledby="related-title">
            <h2 id="related-title">同领域成果</h2>
            {related.length === 0 ? (
              <p className="empty">暂无同领域的其他成果。</p>
            ) : (
              <ul className="listing-list">
                {related.map((item) => (
                  <li key={item.id}>
                    <Link to={`/results/${item.id}`}>{item.title}</Link>
                    <span className="listing-list__meta">
                      {item.org.name} · TRL {item.trl}
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </section>
        </aside>
      </div>
    </div>
  )
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  {
    title: data ? `${data.result.title} · 科技成果 · 西安科技大市场` : '科技成果 · 西安科技大市场',
  },
  { name: 'description', content: data?.result.summary.slice(0, 120) ?? '' },
]
