import {
  json,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'

import { EnquiryPanel } from '~/components/enquiry-panel'
import { MatchesUnavailable, MatchList } from '~/components/match-list'
import { OwnerPanel } from '~/components/owner-panel'
import { isModerator } from '~/domain/constants'
import { enquiryAccess } from '~/domain/deals'
import { canEditOrgListing } from '~/domain/membership'
import { getRegionName } from '~/domain/reference'
import { getModerationHistory } from '~/models/listing.server'
import { getVerdictsForViewer } from '~/models/match.server'
import { getNeedMatches } from '~/models/matching.server'
import { getNeedForViewer, getRelatedNeeds } from '~/models/need.server'
import { getOptionalUser } from '~/server/auth.server'
import { handleListingAction } from '~/server/listing-intent.server'
import {
  cooperationModeLabels,
  formatBudget,
  formatDate,
  formatFieldName,
  orgKindLabels,
} from '~/utils/labels'
import { requireIdParam } from '~/utils/params'

const NOT_FOUND = '该技术需求不存在或未公开'
const MATCHES_SHOWN = 5

export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = requireIdParam(params, 'needId', NOT_FOUND)
  const viewer = await getOptionalUser(request)
  const need = await getNeedForViewer(id, viewer)
  if (!need) throw new Response(NOT_FOUND, { status: 404 })
  // Admitted members own the organization's listings; one still waiting, only their drafts.
  const isOwner = canEditOrgListing(viewer, need)
  const [related, decisions, matches, verdicts] = await Promise.all([
    getRelatedNeeds(need),
    getModerationHistory('need', need.id),
    getNeedMatches(need.id, viewer, MATCHES_SHOWN),
    getVerdictsForViewer({ kind: 'need', id: need.id }, viewer),
  ])
  // The review history is the owner's and the moderators' business only.
  return json({
    need,
    related,
    matches,
    verdicts,
    decisions: isOwner || isModerator(viewer) ? decisions : [],
    isOwner,
    enquiry: enquiryAccess(viewer, need.orgId),
  })
}

export async function action({ request, params }: ActionFunctionArgs) {
  return handleListingAction(request, 'need', requireIdParam(params, 'needId', NOT_FOUND))
}

export default function NeedPage() {
  const { need, related, decisions, isOwner, matches, verdicts, enquiry } =
    useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  return (
    <div className="stack">
      <p>
        <Link to="/needs">← 技术需求</Link>
      </p>
      <h1>{need.title}</h1>
      <p className="muted">
        {need.org.name}（{orgKindLabels[need.org.kind]}，
        {getRegionName(need.org.regionCode) ?? need.org.regionCode}
        {need.org.zone ? `，${need.org.zone}` : ''}
        {need.org.highTech ? '，高新技术企业' : ''}）
        {need.confirmedAt ? ` · 信息最后确认于 ${formatDate(need.confirmedAt)}` : ''}
      </p>
      {isOwner ? (
        <OwnerPanel
          kind="need"
          listing={need}
          decisions={decisions}
          error={actionData && 'error' in actionData ? actionData.error : undefined}
        />
      ) : null}
      <div className="detail-layout">
        <div className="stack">
          <section className="card" aria-labelledby="description-title">
            <h2 id="description-title">需求描述</h2>
            {need.description.split('\n').map((paragraph, index) => (
              <p key={index}>{paragraph}</p>
            ))}
            {need.keywords.length ? (
              <ul className="tags" aria-label="关键词">
                {need.keywords.map((keyword) => (
                  <li key={keyword}>{keyword}</li>
                ))}
              </ul>
            ) : null}
          </section>
          <section className="card stack" aria-labelledby="matches-title">
            <h2 id="matches-title">可能解决该需求的成果与专家</h2>
            {matches?.state === 'ready' ? (
              <>
                <h3 className="match-group">科技成果</h3>
                <MatchList
                  matches={matches.results}
                  emptyText="暂未找到相关的科技成果。补充关键词或更具体的技术描述有助于匹配。"
                  headingLevel={4}
                  verdicts={verdicts ?? undefined}
                />
                <h3 className="match-group">专家</h3>
                <MatchList
                  matches={matches.experts}
                  emptyText="暂未找到相关的专家。"
                  headingLevel={4}
                  verdicts={verdicts ?? undefined}
                />
              </>
            ) : (
              <MatchesUnavailable state={matches?.state ?? 'unavailable'} />
            )}
          </section>
        </div>
        <aside className="stack">
          <EnquiryPanel
            access={enquiry}
            redirectTo={`/needs/${need.id}`}
            error={actionData && 'enquiryError' in actionData ? actionData.enquiryError : undefined}
            message={actionData && 'message' in actionData ? actionData.message : undefined}
          />
          <section className="card" aria-labelledby="facts-title">
            <h2 id="facts-title">需求要素</h2>
            <dl className="facts">
              <dt>技术领域</dt>
              <dd>{formatFieldName(need.fieldCode)}</dd>
              <dt>预算</dt>
              <dd>{formatBudget(need.budgetMin, need.budgetMax)}</dd>
              <dt>截止日期</dt>
              <dd>{need.deadline ? formatDate(need.deadline) : '长期有效'}</dd>
              <dt>合作方式</dt>
              <dd>{need.cooperationModes.map((mode) => cooperationModeLabels[mode]).join('、')}</dd>
            </dl>
          </section>
          <section className="card" aria-labelledby="related-title">
            <h2 id="related-title">同领域需求</h2>
            {related.length === 0 ? (
              <p className="empty">暂无同领域的其他需求。</p>
            ) : (
              <ul className="listing-list">
                {related.map((item) => (
                  <li key={item.id}>
                    <Link to={`/needs/${item.id}`}>{item.title}</Link>
                    <span className="listing-list__meta">{item.org.name}</span>
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
  { title: data ? `${data.need.title} · 技术需求 · 西安科技大市场` : '技术需求 · 西安科技大市场' },
]
