import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'

import { isActiveMember } from '~/domain/membership'
import { getRegionName } from '~/domain/reference'
import { hasLinkedExpert } from '~/models/expert.server'
import { getBrokerActivity, getOrganizationOverview } from '~/models/market.server'
import { requireRole } from '~/server/auth.server'
import {
  dealStatusLabels,
  formatDate,
  formatWan,
  getWorkbenchName,
  needStatusLabels,
  orgKindLabels,
  pageNames,
  resultStatusLabels,
} from '~/utils/labels'

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, ['enterprise', 'researcher', 'broker'])
  const [overview, brokerActivity, linkedExpert] = await Promise.all([
    user.org
      ? getOrganizationOverview(user.org.id, {
          // A member still waiting for admission sees none of the organization's unpublished work.
          withActivity: isActiveMember(user) && user.role !== 'broker',
        })
      : null,
    user.role === 'broker' ? getBrokerActivity(user.id) : null,
    user.role === 'researcher' ? hasLinkedExpert(user.id) : true,
  ])
  return json({
    user,
    org: overview?.org ?? null,
    orgActivity: overview?.activity ?? null,
    brokerActivity,
    needsExpertProfile: !linkedExpert,
  })
}

/** What an empty workbench section offers instead of a blank: the first thing to do. */
function FirstStep({ text, to, action }: { text: string; to: string; action: string }) {
  return (
    <div className="empty-state">
      <p className="muted">{text}</p>
      <Link to={to} className="button">
        {action}
      </Link>
    </div>
  )
}

function StatusCounts({
  counts,
  labels,
}: {
  counts: Record<string, number>
  labels: Record<string, string>
}) {
  const entries = Object.entries(labels).filter(([status]) => counts[status])
  if (entries.length === 0) return <p className="empty">暂无记录。</p>
  return (
    <ul className="status-counts">
      {entries.map(([status, label]) => (
        <li key={status}>
          <span>{label}</span>
          <strong>{counts[status]}</strong>
        </li>
      ))}
    </ul>
  )
}

export default function WorkbenchPage() {
  const { user, org, orgActivity, brokerActivity, needsExpertProfile } =
    useLoaderData<typeof loader>()
  const hasResults = orgActivity ? orgActivity.latestResults.length > 0 : false
  const hasNeeds = orgActivity ? orgActivity.latestNeeds.length > 0 : false
  return (
    <div className="stack">
      <h1>{getWorkbenchName(user.role)}</h1>
      {org ? (
        <section className="card" aria-labelledby="org-title">
          <h2 id="org-title">{org.name}</h2>
          <p className="muted">
            {orgKindLabels[org.kind]} · {getRegionName(org.regionCode) ?? org.regionCode}
            {org.zone ? ` · ${org.zone}` : null}
            {org.highTech ? ' · 高新技术企业' : null}
            {org.littleGiant ? ' · 科技企业小巨人' : null}
          </p>
        </section>
      ) : null}
      {orgActivity ? (
        <div className="two-columns">
          {user.role === 'researcher' ? (
            <section className="card" aria-labelledby="results-title">
              <h2 id="results-title">本单位科技成果</h2>
              {hasResults ? (
                <StatusCounts counts={orgActivity.resultsByStatus} labels={resultStatusLabels} />
              ) : (
                <FirstStep
                  text="本单位还没有科技成果。发布后经审核公开，企业即可找到并联系您。"
                  to="/results/new"
                  action="发布科技成果"
                />
              )}
              <ul className="listing-list">
                {orgActivity.latestResults.map((result) => (
                  <li key={result.id}>
                    <Link to={`/results/${result.id}`} className="listing-list__title">
                      {result.title}
                    </Link>
                    <span className="listing-list__meta">
                      {resultStatusLabels[result.status]} · 更新于 {formatDate(result.updatedAt)}
                    </span>
                  </li>
                ))}
              </ul>
              {hasResults ? (
                <p>
                  <Link to="/my/listings">前往{pageNames.ownListings.result}</Link>
                </p>
              ) : null}
            </section>
          ) : (
            <section className="card" aria-labelledby="needs-title">
              <h2 id="needs-title">本单位技术需求</h2>
              {hasNeeds ? (
                <StatusCounts counts={orgActivity.needsByStatus} labels={needStatusLabels} />
              ) : (
                <FirstStep
                  text="本企业还没有技术需求。发布后经审核公开征集，平台会推荐匹配的成果和专家。"
                  to="/needs/new"
                  action="发布技术需求"
                />
              )}
              <ul className="listing-list">
                {orgActivity.latestNeeds.map((need) => (
                  <li key={need.id}>
                    <Link to={`/needs/${need.id}`} className="listing-list__title">
                      {need.title}
                    </Link>
                    <span className="listing-list__meta">
                      {needStatusLabels[need.status]} · 更新于 {formatDate(need.updatedAt)}
                    </span>
                  </li>
                ))}
              </ul>
              {hasNeeds ? (
                <p>
                  <Link to="/my/listings">前往{pageNames.ownListings.need}</Link>
                </p>
              ) : null}
            </section>
          )}
          <section className="card" aria-labelledby="deals-title">
            <h2 id="deals-title">已登记技术合同</h2>
            <dl className="facts">
              <dt>作为卖方（技术输出）</dt>
              <dd>
                {orgActivity.sold.count} 份，{formatWan(orgActivity.sold.amount)} 万元
              </dd>
              <dt>作为买方（技术吸纳）</dt>
              <dd>
                {orgActivity.bought.count} 份，{formatWan(orgActivity.bought.amount)} 万元
              </dd>
            </dl>
          </section>
        </div>
      ) : null}
      {needsExpertProfile ? (
        <section className="card" aria-labelledby="expert-title">
          <h2 id="expert-title">我的专家档案</h2>
          <FirstStep
            text="您还没有关联本人的专家档案。建立档案后，企业可按技术领域和研究方向找到您。"
            to="/experts/new"
            action="建立专家档案"
          />
        </section>
      ) : null}
      {brokerActivity ? (
        <div className="two-columns">
          <section className="card" aria-labelledby="pipeline-title">
            <h2 id="pipeline-title">我经办的技术合同</h2>
            {brokerActivity.byStatus.length === 0 ? (
              <FirstStep
                text="您还没有经办的技术合同。可以先从审核队列开始，了解平台上的成果与需求。"
                to="/review"
                action="前往审核队列"
              />
            ) : (
              <ul className="status-counts">
                {brokerActivity.byStatus.map((row) => (
                  <li key={row.status}>
                    <span>{dealStatusLabels[row.status]}</span>
                    <strong>{row.count}</strong>
                    <small>{formatWan(row.amount)} 万元</small>
                  </li>
                ))}
              </ul>
            )}
            <p>
              已登记合同佣金合计：<strong>{formatWan(brokerActivity.commission)} 万元</strong>
            </p>
            <p>
              <Link to="/pipeline">经纪看板</Link> · <Link to="/ledger">佣金台账</Link>
            </p>
          </section>
          <section className="card" aria-labelledby="recent-deals-title">
            <h2 id="recent-deals-title">最近动态</h2>
            {brokerActivity.latest.length === 0 ? (
              <p className="empty">暂无动态。</p>
            ) : (
              <ul className="listing-list">
                {brokerActivity.latest.map((deal) => (
                  <li key={deal.id}>
                    <Link to={`/deals/${deal.id}`} className="listing-list__title">
                      {deal.title}
                    </Link>
                    <span className="listing-list__meta">
                      {deal.sellerOrg.name} → {deal.buyerOrg.name} · {dealStatusLabels[deal.status]}
                      {deal.contractAmount === null
                        ? ''
                        : ` · ${formatWan(deal.contractAmount)} 万元`}
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </section>
        </div>
      ) : null}
    </div>
  )
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data ? getWorkbenchName(data.user.role) : '工作台'} · 西安科技大市场` },
]
