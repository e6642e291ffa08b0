import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData, useRevalidator, useRouteLoaderData } from '@remix-run/react'

import { getLatestListings, getMarketCounts } from '~/models/market.server'
import { useSocketEvent } from '~/realtime/socket-context'
import type { RootLoader } from '~/root'
import { formatBudget, formatDate, formatFieldName, formatWan, formatYi } from '~/utils/labels'

export async function loader(_: LoaderFunctionArgs) {
  const [counts, latest] = await Promise.all([getMarketCounts(), getLatestListings()])
  return json({ counts, latest })
}

export default function HomePage() {
  const { counts, latest } = useLoaderData<typeof loader>()
  const root = useRouteLoaderData<RootLoader>('root')
  const revalidator = useRevalidator()
  // Listings and deals change while the page is open; the figures follow without a reload.
  useSocketEvent('market:changed', () => {
    if (revalidator.state === 'idle') revalidator.revalidate()
  })
  const figures = [
    { label: '在线科技成果', value: counts.results.toLocaleString('zh-CN'), unit: '项' },
    { label: '征集中技术需求', value: counts.needs.toLocaleString('zh-CN'), unit: '项' },
    { label: '入库专家', value: counts.experts.toLocaleString('zh-CN'), unit: '位' },
    { label: '登记技术合同', value: counts.deals.toLocaleString('zh-CN'), unit: '份' },
    {
      label: `${counts.year} 年技术合同成交额`,
      value: formatYi(counts.yearContractAmount),
      unit: '亿元',
    },
  ]
  return (
    <div className="stack">
      <section className="hero">
        <h1>让科技成果在西安就地转化</h1>
        <p>
          {'高校院所发布科技成果与专家，企业发布技术需求，技术经纪人全程撮合，每一份技术合同登记在册，' +
            '服务全市技术合同成交额与科技成果就地转化率目标。'}
        </p>
        {root?.user ? null : (
          <p className="hero__actions">
            <Link to="/register" className="button">
              免费注册
            </Link>
            <Link to="/login" className="button button--ghost">
              登录
            </Link>
          </p>
        )}
      </section>
      <section aria-labelledby="figures-title">
        <h2 id="figures-title" className="visually-hidden">
          市场概况
        </h2>
        <ul className="figures" data-testid="market-figures">
          {figures.map((figure) => (
            <li key={figure.label} className="figure">
              <span className="figure__value">
                {figure.value}
                <small>{figure.unit}</small>
              </span>
              <span className="figure__label">{figure.label}</span>
            </li>
          ))}
        </ul>
      </section>
      <div className="two-columns">
        <section className="card" aria-labelledby="latest-results-title">
          <h2 id="latest-results-title">
            最新科技成果 <Link to="/results">全部</Link>
          </h2>
          {latest.results.length === 0 ? (
            <p className="empty">暂无已发布的科技成果。</p>
          ) : (
            <ul className="listing-list">
              {latest.results.map((result) => (
                <li key={result.id}>
                  <Link to={`/results/${result.id}`} className="listing-list__title">
                    {result.title}
                  </Link>
                  <span className="listing-list__meta">
                    {result.org.name} · {formatFieldName(result.fieldCode)} · TRL {result.trl} ·{' '}
                    {result.askingPrice ? `${formatWan(result.askingPrice)} 万元` : '面议'}
                    {result.publishedAt ? ` · ${formatDate(result.publishedAt)}` : null}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </section>
        <section className="card" aria-labelledby="latest-needs-title">
          <h2 id="latest-needs-title">
            最新技术需求 <Link to="/needs">全部</Link>
          </h2>
          {latest.needs.length === 0 ? (
            <p className="empty">暂无征集中的技术需求。</p>
          ) : (
            <ul className="listing-list">
              {latest.needs.map((need) => (
                <li key={need.id}>
                  <Link to={`/needs/${need.id}`} className="listing-list__title">
                    {need.title}
                  </Link>
                  <span className="listing-list__meta">
                    {need.org.name} · {formatFieldName(need.fieldCode)} · 预算{' '}
                    {formatBudget(need.budgetMin, need.budgetMax)}
                    {need.publishedAt ? ` · ${formatDate(need.publishedAt)}` : null}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
    </div>
  )
}

export const meta: MetaFunction = () => [{ title: '西安科技大市场 · 科技成果就地转化服务平台' }]
