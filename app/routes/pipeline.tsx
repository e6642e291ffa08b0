import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'

import { STALLED_AFTER_DAYS } from '~/domain/deals'
import { getPipeline } from '~/models/brokerage.server'
import { requireRole } from '~/server/auth.server'
import { dealStatusLabels, formatWan } from '~/utils/labels'

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, ['broker'])
  return json(await getPipeline(user.id))
}

/** 经纪看板: a broker's open deals by status, those waiting too long highlighted. */
export default function PipelinePage() {
  const { columns, takeable } = useLoaderData<typeof loader>()
  const open = columns.reduce((sum, column) => sum + column.count, 0)
  const value = columns.reduce((sum, column) => sum + column.value, 0)
  const stalled = columns.reduce((sum, column) => sum + column.stalled, 0)
  return (
    <div className="stack">
      <div className="page-heading">
        <h1>经纪看板</h1>
        <p>
          <Link to="/ledger">佣金台账</Link>
        </p>
      </div>
      <p className="muted" role="status">
        进行中 {open} 份合同，合同金额 {formatWan(value)} 万元
        {stalled ? `，其中 ${stalled} 份停滞` : ''}。
        {takeable ? (
          <>
            {' '}
            <Link to="/deals?show=open">待接手的对接 {takeable} 份</Link>
          </>
        ) : null}
      </p>
      {open === 0 ? (
        <p className="empty">
          您还没有经办中的合同。可以在
          <Link to="/deals?show=open">待接手的对接</Link>
          中接手一份，协助双方洽谈签约。
        </p>
      ) : (
        <div className="pipeline">
          {columns.map((column) => (
            <section
              key={column.status}
              className="pipeline__column"
              aria-labelledby={`column-${column.status}`}
            >
              <h2 id={`column-${column.status}`} className="pipeline__heading">
                {dealStatusLabels[column.status]}
                <span className="muted">
                  {' '}
                  {column.count} 份 · {formatWan(column.value)} 万元
                </span>
              </h2>
              {column.cards.length === 0 ? <p className="empty">无</p> : null}
              <ul className="pipeline__cards">
                {column.cards.map((card) => (
                  <li
                    key={card.id}
                    className={
                      card.stalled ? 'pipeline__card pipeline__card--stalled' : 'pipeline__card'
                    }
                  >
                    <Link to={`/deals/${card.id}`}>{card.title}</Link>
                    <p className="muted">
                      {card.sellerOrg.name} → {card.buyerOrg.name}
                    </p>
                    <p>
                      {card.contractAmount === null
                        ? '金额待定'
                        : `${formatWan(card.contractAmount)} 万元`}
                      {' · '}
                      在此阶段 {card.days} 天
                      {card.stalled ? (
                        <strong className="pipeline__stalled">
                          {' '}
                          停滞（超过 {STALLED_AFTER_DAYS[card.status]} 天）
                        </strong>
                      ) : null}
                    </p>
                  </li>
                ))}
              </ul>
              {column.count > column.cards.length ? (
                <p>
                  <Link to={`/deals?show=${column.status}`}>查看全部 {column.count} 份</Link>
                </p>
              ) : null}
            </section>
          ))}
        </div>
      )}
    </div>
  )
}

export const meta: MetaFunction = () => [{ title: '经纪看板 · 西安科技大市场' }]
