import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'

import { Pagination } from '~/components/pagination'
import { getBrokerLedgers, getLedger, LEDGER_PAGE_SIZE } from '~/models/brokerage.server'
import { requireRole } from '~/server/auth.server'
import { dealStatusLabels, describeCommission, formatDate, formatWan } from '~/utils/labels'
import { isId, parsePage, requireCanonicalListUrl } from '~/utils/params'

/**
 * 佣金台账: a broker's closed deals with time to close and commission. Brokers see their own;
 * the bureau sees every broker's totals and can open any broker's ledger.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, ['broker', 'bureau'])
  const searchParams = new URL(request.url).searchParams
  const asked = searchParams.get('broker')
  const brokerId = user.role === 'broker' ? user.id : isId(asked) ? asked : null
  const summary = user.role === 'bureau' ? await getBrokerLedgers() : null
  if (!brokerId) return json({ summary, ledger: null, page: 1, pageCount: 1 })
  const page = parsePage(searchParams)
  const ledger = await getLedger(brokerId, page)
  if (!ledger.broker || ledger.broker.role !== 'broker') {
    throw new Response('没有这位技术经纪人', { status: 404 })
  }
  const pageCount = Math.max(1, Math.ceil(ledger.totals.closed / LEDGER_PAGE_SIZE))
  requireCanonicalListUrl(request, pageCount)
  return json({ summary, ledger, page, pageCount })
}

const days = (value: number | null) => (value === null ? '—' : `${value} 天`)

export default function LedgerPage() {
  const { summary, ledger, page, pageCount } = useLoaderData<typeof loader>()
  return (
    <div className="stack">
      <div className="page-heading">
        <h1>{summary ? '技术经纪人台账' : '佣金台账'}</h1>
        {summary ? null : (
          <p>
            <Link to="/pipeline">经纪看板</Link>
          </p>
        )}
      </div>
      {summary ? (
        summary.length === 0 ? (
          <p className="empty">还没有技术经纪人。</p>
        ) : (
          <table className="table table--cards">
            <caption className="visually-hidden">各技术经纪人的经办与成交</caption>
            <thead>
              <tr>
                <th scope="col">技术经纪人</th>
                <th scope="col">进行中</th>
                <th scope="col">已成交</th>
                <th scope="col">成交金额</th>
                <th scope="col">佣金</th>
                <th scope="col">平均成交用时</th>
              </tr>
            </thead>
            <tbody>
              {summary.map((row) => (
                <tr key={row.brokerId}>
                  <td data-label="技术经纪人">
                    <Link
                      to={`/ledger?broker=${row.brokerId}`}
                      aria-current={ledger?.broker?.id === row.brokerId ? 'page' : undefined}
                    >
                      {row.name}
                    </Link>
                  </td>
                  <td data-label="进行中">{row.open} 份</td>
                  <td data-label="已成交">{row.closed} 份</td>
                  <td data-label="成交金额">{formatWan(row.value)} 万元</td>
                  <td data-label="佣金">{formatWan(row.commission)} 万元</td>
                  <td data-label="平均成交用时">{days(row.daysToClose)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )
      ) : null}
      {ledger ? (
        <section className="stack" aria-labelledby="ledger-title">
          <h2 id="ledger-title">
            {summary ? `${ledger.broker?.displayName} 的成交台账` : '已成交的合同'}
          </h2>
          <p className="muted" role="status">
            已成交 {ledger.totals.closed} 份，合同金额 {formatWan(ledger.totals.value)} 万元，佣金{' '}
            {formatWan(ledger.totals.commission)} 万元，平均用时 {days(ledger.totals.daysToClose)}。
          </p>
          {ledger.deals.length === 0 ? (
            <p className="empty">还没有签约的合同。合同签约后记入台账。</p>
          ) : (
            <table className="table table--cards">
              <thead>
                <tr>
                  <th scope="col">合同</th>
                  <th scope="col">状态</th>
                  <th scope="col">签约日期</th>
                  <th scope="col">成交用时</th>
                  <th scope="col">合同金额</th>
                  <th scope="col">佣金</th>
                </tr>
              </thead>
              <tbody>
                {ledger.deals.map((deal) => (
                  <tr key={deal.id}>
                    <td data-label="合同">
                      <Link to={`/deals/${deal.id}`}>{deal.title}</Link>
                      <p className="muted">
                        {deal.sellerOrg.name} → {deal.buyerOrg.name}
                      </p>
                    </td>
                    <td data-label="状态">{dealStatusLabels[deal.status]}</td>
                    <td data-label="签约日期">{deal.signedAt ? formatDate(deal.signedAt) : '—'}</td>
                    <td data-label="成交用时">{days(deal.daysToClose)}</td>
                    <td data-label="合同金额">
                      {deal.contractAmount === null
                        ? '—'
                        : `${formatWan(deal.contractAmount)} 万元`}
                    </td>
                    <td data-label="佣金">
                      {describeCommission(deal.commissionRate, deal.commissionAmount)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <Pagination page={page} pageCount={pageCount} />
        </section>
      ) : summary && summary.length > 0 ? (
        <p className="muted">选择一位技术经纪人，查看其成交台账。</p>
      ) : null}
    </div>
  )
}

export const meta: MetaFunction = () => [{ title: '佣金台账 · 西安科技大市场' }]
