import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'

import { BarChart } from '~/components/bar-chart'
import { STATISTICS_ROLES, TARGET_METRICS } from '~/domain/constants'
import { periodOf } from '~/domain/statistics'
import {
  currentYear,
  getBreakdown,
  getFigures,
  getTargets,
  getYearlySeries,
} from '~/models/stats.server'
import { requireRole } from '~/server/auth.server'
import { formatPercent, formatWan, formatYi, pageNames } from '~/utils/labels'

const YEARS_SHOWN = 5

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, STATISTICS_ROLES)
  const year = currentYear()
  const filters = { period: periodOf(year), scope: 'city' } as const
  const [thisYear, series, breakdown, targets] = await Promise.all([
    getFigures(filters),
    getYearlySeries(year - YEARS_SHOWN + 1, year),
    getBreakdown(filters, 'contractType'),
    getTargets(year),
  ])
  return json({ year, thisYear, series, conversion: thisYear.conversion, breakdown, targets })
}

/** How far a figure has come towards its target, as a bar and in words. */
function TargetProgress({ label, ratio }: { label: string; ratio: number }) {
  return (
    <span className="target-progress">
      <progress
        max={1}
        value={Math.min(1, ratio)}
        aria-label={`${label}，已完成 ${formatPercent(ratio)}`}
      />
      <span>
        {label} · 完成 {formatPercent(ratio)}
      </span>
    </span>
  )
}

export default function BureauOverviewPage() {
  const { year, thisYear, series, conversion, breakdown, targets } = useLoaderData<typeof loader>()
  const valueTarget = targets[TARGET_METRICS.tradeValue]
  const rateTarget = targets[TARGET_METRICS.localConversionRate]
  return (
    <div className="stack">
      <h1>{pageNames.statistics}</h1>
      <p className="muted">
        西安技术市场的技术合同成交额、技术交易额和科技成果就地转化率，及年度目标完成情况。
      </p>
      <ul className="figures">
        <li className="figure">
          <span className="figure__value">
            {formatYi(thisYear.contractAmount)}
            <small>亿元</small>
          </span>
          <span className="figure__label">{year} 年技术合同成交额</span>
          {valueTarget ? (
            <TargetProgress
              label={`年度目标 ${formatYi(valueTarget)} 亿元`}
              ratio={thisYear.contractAmount / valueTarget}
            />
          ) : null}
        </li>
        <li className="figure">
          <span className="figure__value">
            {formatYi(thisYear.techTransactionAmount)}
            <small>亿元</small>
          </span>
          <span className="figure__label">{year} 年技术交易额</span>
        </li>
        <li className="figure">
          <span className="figure__value">
            {thisYear.count.toLocaleString('zh-CN')}
            <small>份</small>
          </span>
          <span className="figure__label">{year} 年登记技术合同</span>
        </li>
        <li className="figure">
          <span className="figure__value">{formatPercent(conversion.byValue)}</span>
          <span className="figure__label">
            科技成果就地转化率（按金额；按份数 {formatPercent(conversion.byCount)}）
          </span>
          {rateTarget && conversion.byValue !== null ? (
            <TargetProgress
              label={`目标 ${formatPercent(rateTarget)}`}
              ratio={conversion.byValue / rateTarget}
            />
          ) : null}
        </li>
      </ul>
      <section className="card" aria-labelledby="trend-title">
        <h2 id="trend-title">历年技术合同成交额</h2>
        <BarChart
          title={`${series[0]?.year}–${year} 年登记技术合同成交额（亿元）`}
          bars={series.map((point) => ({
            label: String(point.year),
            value: point.contractAmount,
            display: formatYi(point.contractAmount),
          }))}
        />
      </section>
      <section className="card" aria-labelledby="types-title">
        <h2 id="types-title">{year} 年按合同类别</h2>
        {breakdown.length === 0 ? (
          <p className="empty">本年度尚无登记的技术合同。</p>
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th scope="col">合同类别</th>
                <th scope="col">份数</th>
                <th scope="col">成交额（万元）</th>
                <th scope="col">占比</th>
              </tr>
            </thead>
            <tbody>
              {breakdown.map((row) => (
                <tr key={row.key}>
                  <th scope="row">{row.label}</th>
                  <td>{row.count}</td>
                  <td>{formatWan(row.contractAmount)}</td>
                  <td>
                    {formatPercent(
                      thisYear.contractAmount ? row.contractAmount / thisYear.contractAmount : null,
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  )
}

export const meta: MetaFunction = () => [{ title: `${pageNames.statistics} · 西安科技大市场` }]
