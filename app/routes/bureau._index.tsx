import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData, useNavigate, useRevalidator } from '@remix-run/react'
import { useMemo } from 'react'

import { EChart } from '~/components/echart'
import { ErrorList } from '~/components/forms'
import { STATISTICS_ROLES, TARGET_METRICS } from '~/domain/constants'
import { highTechFields, regionGroups } from '~/domain/reference'
import {
  currentYear,
  drillDownFilters,
  LOCALITY_SCOPES,
  monthIndex,
  monthKey,
  periodOf,
  samePeriodLastYear,
  shareOf,
  STAT_DIMENSIONS,
  type StatDimension,
} from '~/domain/statistics'
import { ContractType, OrgKind } from '~/generated/prisma/enums'
import { getBreakdown, getFigures, getTargets } from '~/models/stats.server'
import { useSocketEvent } from '~/realtime/socket-context'
import { requireRole } from '~/server/auth.server'
import {
  contractTypeLabels,
  formatPercent,
  formatWan,
  formatYi,
  orgKindLabels,
  pageNames,
} from '~/utils/labels'
import { readStatFilters, toStatQuery } from '~/validation/statistics'

/** Years of conversion rates drawn against the target. */
const RATE_YEARS = 5
/** Rows of a breakdown drawn as bars; the table lists them all. */
const CHART_ROWS = 15

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, STATISTICS_ROLES)
  const url = new URL(request.url)
  const read = readStatFilters(url.searchParams, currentYear())
  if (!read.ok) return json({ ok: false as const, errors: read.errors }, { status: 400 })
  const { filters, by } = read
  const lastYear = { ...filters, period: samePeriodLastYear(filters.period) }
  const endYear = Math.floor(monthIndex(filters.period.to) / 12)
  const rateYears = Array.from(
    { length: RATE_YEARS },
    (_, index) => endYear - RATE_YEARS + 1 + index,
  )
  const [figures, previous, months, previousMonths, breakdown, rates, targets] = await Promise.all([
    getFigures(filters),
    getFigures(lastYear),
    getBreakdown(filters, 'month'),
    getBreakdown(lastYear, 'month'),
    getBreakdown(filters, by),
    Promise.all(rateYears.map((year) => getFigures({ ...filters, period: periodOf(year) }))),
    getTargets(endYear),
  ])
  // Every month of the period, with the same month a year before beside it.
  const first = monthIndex(filters.period.from)
  const byMonth = new Map(months.map((row) => [row.key, row]))
  const byMonthBefore = new Map(previousMonths.map((row) => [row.key, row]))
  const trend = Array.from({ length: monthIndex(filters.period.to) - first + 1 }, (_, offset) => {
    const key = monthKey(first + offset)
    const before = monthKey(first + offset - 12)
    return {
      key,
      amount: byMonth.get(key)?.contractAmount ?? 0,
      count: byMonth.get(key)?.count ?? 0,
      lastYear: byMonthBefore.get(before)?.contractAmount ?? 0,
    }
  })
  const drill = (dimension: StatDimension, key: string) =>
    `/bureau/deals?${toStatQuery(drillDownFilters(filters, dimension, key))}`
  return json({
    ok: true as const,
    filters,
    query: Object.fromEntries(url.searchParams),
    by,
    figures,
    previous,
    trend: trend.map((point) => ({ ...point, link: drill('month', point.key) })),
    breakdown: breakdown.map((row) => ({ ...row, link: drill(by, row.key) })),
    allDeals: `/bureau/deals?${toStatQuery(filters)}`,
    rates: rates.map((year, index) => ({
      year: rateYears[index]!,
      byValue: year.conversion.byValue,
      byCount: year.conversion.byCount,
    })),
    targets,
    endYear,
  })
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

/** The change from the same period last year, in words. */
function Change({ now, before }: { now: number; before: number }) {
  const change = shareOf(now - before, before)
  if (change === null) return <span className="figure__change">上年同期无数据</span>
  return (
    <span className="figure__change">
      同比 {change >= 0 ? '增长' : '下降'} {formatPercent(Math.abs(change))}
    </span>
  )
}

function FilterForm({ query }: { query: Record<string, string> }) {
  const year = currentYear()
  const select = (name: string, label: string, options: [string, string][]) => (
    <div className="field">
      <label htmlFor={`stats-${name}`}>{label}</label>
      <select id={`stats-${name}`} name={name} defaultValue={query[name] ?? ''}>
        {options.map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
    </div>
  )
  const regions: [string, string][] = [
    ['', '全部'],
    ...regionGroups.flatMap((group) =>
      group.regions.map((region): [string, string] => [
        region.code,
        `${group.label} · ${region.name}`,
      ]),
    ),
  ]
  return (
    <Form method="get" className="card stats-filters" aria-label="筛选统计">
      <div className="form-grid">
        {select(
          'year',
          '年份',
          Array.from({ length: 10 }, (_, index): [string, string] => [
            String(year - index),
            `${year - index} 年`,
          ]),
        )}
        {select('quarter', '季度', [
          ['', '全年'],
          ...[1, 2, 3, 4].map((q): [string, string] => [String(q), `第 ${q} 季度`]),
        ])}
        {select('month', '月份', [
          ['', '全部'],
          ...Array.from({ length: 12 }, (_, index): [string, string] => [
            String(index + 1),
            `${index + 1} 月`,
          ]),
        ])}
        {select(
          'scope',
          '本地范围',
          Object.entries(LOCALITY_SCOPES).map(([value, scope]): [string, string] => [
            value,
            scope.label,
          ]),
        )}
        {select('field', '技术领域', [
          ['', '全部'],
          ...highTechFields.map((field): [string, string] => [field.code, field.name]),
        ])}
        {select('contractType', '合同类别', [
          ['', '全部'],
          ...Object.values(ContractType).map((type): [string, string] => [
            type,
            contractTypeLabels[type],
          ]),
        ])}
        {select('sellerKind', '卖方类型', [
          ['', '全部'],
          ...Object.values(OrgKind).map((kind): [string, string] => [kind, orgKindLabels[kind]]),
        ])}
        {select('sellerRegion', '卖方所在地', regions)}
        {select('buyerRegion', '买方所在地', regions)}
      </div>
      {query.by ? <input type="hidden" name="by" value={query.by} /> : null}
      <p className="stats-filters__actions">
        <button type="submit" className="button">
          查看
        </button>
        <Link to="/bureau" className="button button--ghost">
          重置
        </Link>
      </p>
    </Form>
  )
}

export default function BureauDashboardPage() {
  const data = useLoaderData<typeof loader>()
  const revalidator = useRevalidator()
  // A contract registered anywhere changes the figures: they follow without a reload.
  useSocketEvent('market:changed', () => {
    if (revalidator.state === 'idle') revalidator.revalidate()
  })
  if (!data.ok) {
    return (
      <div className="stack">
        <h1>{pageNames.statistics}</h1>
        <ErrorList errors={data.errors} />
        <FilterForm query={{}} />
      </div>
    )
  }
  return <Dashboard data={data} />
}

type DashboardData = Extract<ReturnType<typeof useLoaderData<typeof loader>>, { ok: true }>

function Dashboard({ data }: { data: DashboardData }) {
  const navigate = useNavigate()
  const { filters, figures, previous, trend, breakdown, rates, targets, by, query, endYear } = data
  const { period } = filters
  const periodLabel = period.from === period.to ? period.from : `${period.from} 至 ${period.to}`
  const valueTarget = targets[TARGET_METRICS.tradeValue]
  const rateTarget = targets[TARGET_METRICS.localConversionRate]
  const scopeLabel = LOCALITY_SCOPES[filters.scope].label
  const exportQuery = (format: 'xlsx' | 'csv') => {
    const params = toStatQuery(filters)
    params.set('by', by)
    params.set('format', format)
    return params
  }

  const trendOption = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { data: ['本期', '上年同期'] },
      grid: { left: 56, right: 16, top: 40, bottom: 32 },
      xAxis: { type: 'category', data: trend.map((point) => point.key) },
      yAxis: { type: 'value', name: '万元' },
      series: [
        {
          name: '本期',
          type: 'bar',
          data: trend.map((point) => wan(point.amount)),
          cursor: 'pointer',
        },
        { name: '上年同期', type: 'line', data: trend.map((point) => wan(point.lastYear)) },
      ],
    }),
    [trend],
  )
  const shown = breakdown.slice(0, CHART_ROWS)
  const breakdownOption = useMemo(
    () => ({
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      grid: { left: 140, right: 24, top: 16, bottom: 32 },
      xAxis: { type: 'value', name: '万元' },
      yAxis: { type: 'category', inverse: true, data: shown.map((row) => row.label) },
      series: [
        {
          name: '成交额',
          type: 'bar',
          data: shown.map((row) => wan(row.contractAmount)),
          cursor: 'pointer',
        },
      ],
    }),
    [shown],
  )
  const rateOption = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { data: ['按金额', '按份数'] },
      grid: { left: 48, right: 72, top: 40, bottom: 32 },
      xAxis: { type: 'category', data: rates.map((rate) => String(rate.year)) },
      yAxis: { type: 'value', axisLabel: { formatter: '{value}%' }, max: 100 },
      series: [
        {
          name: '按金额',
          type: 'line',
          data: rates.map((rate) => percent(rate.byValue)),
          ...(rateTarget
            ? {
                markLine: {
                  symbol: 'none',
                  data: [{ yAxis: rateTarget * 100, name: '目标' }],
                  label: { formatter: `目标 ${formatPercent(rateTarget)}` },
                },
              }
            : {}),
        },
        { name: '按份数', type: 'line', data: rates.map((rate) => percent(rate.byCount)) },
      ],
    }),
    [rates, rateTarget],
  )

  return (
    <div className="stack">
      <h1>{pageNames.statistics}</h1>
      <p className="muted">
        {periodLabel} 登记的技术合同（本地范围：{scopeLabel}），按登记及以后状态的合同计算。{' '}
        <Link to={data.allDeals}>查看这些合同</Link>
      </p>
      <p className="stats-exports">
        导出当前视图：
        <a href={`/bureau/export?${exportQuery('xlsx')}`} download>
          Excel 工作簿（总览与各维度）
        </a>
        <a href={`/bureau/export?${exportQuery('csv')}`} download>
          CSV（按{STAT_DIMENSIONS[by]}）
        </a>
        <a href={`/bureau/report?${toStatQuery(filters)}`}>打印月报</a>
      </p>
      <FilterForm query={query} />
      <ul className="figures" aria-live="polite">
        <li className="figure">
          <span className="figure__value">
            {formatYi(figures.contractAmount)}
            <small>亿元</small>
          </span>
          <span className="figure__label">
            技术合同成交额（{figures.count.toLocaleString('zh-CN')} 份）
          </span>
          <Change now={figures.contractAmount} before={previous.contractAmount} />
          {valueTarget && period.from.endsWith('-01') && period.to.endsWith('-12') ? (
            <TargetProgress
              label={`${endYear} 年目标 ${formatYi(valueTarget)} 亿元`}
              ratio={figures.contractAmount / valueTarget}
            />
          ) : null}
        </li>
        <li className="figure">
          <span className="figure__value">
            {formatYi(figures.techTransactionAmount)}
            <small>亿元</small>
          </span>
          <span className="figure__label">技术交易额</span>
          <Change now={figures.techTransactionAmount} before={previous.techTransactionAmount} />
        </li>
        <li className="figure">
          <span className="figure__value">
            {formatYi(figures.output.amount)}
            <small>亿元</small>
          </span>
          <span className="figure__label">
            输出（卖方在{scopeLabel}，{figures.output.count} 份）
          </span>
        </li>
        <li className="figure">
          <span className="figure__value">
            {formatYi(figures.absorbed.amount)}
            <small>亿元</small>
          </span>
          <span className="figure__label">
            吸纳（买方在{scopeLabel}，{figures.absorbed.count} 份）
          </span>
        </li>
        <li className="figure">
          <span className="figure__value">{formatPercent(figures.conversion.byValue)}</span>
          <span className="figure__label">
            科技成果就地转化率（按金额；按份数 {formatPercent(figures.conversion.byCount)}）
          </span>
          {rateTarget && figures.conversion.byValue !== null ? (
            <TargetProgress
              label={`目标 ${formatPercent(rateTarget)}`}
              ratio={figures.conversion.byValue / rateTarget}
            />
          ) : null}
        </li>
      </ul>

      <section className="card" aria-labelledby="trend-title">
        <h2 id="trend-title">逐月成交额与上年同期</h2>
        <EChart
          option={trendOption}
          label={`${periodLabel} 逐月技术合同成交额与上年同期（万元），数据见下表`}
          onSelect={(index) => {
            const point = trend[index]
            if (point) navigate(point.link)
          }}
        />
        <details>
          <summary>以表格查看</summary>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">月份</th>
                <th scope="col">份数</th>
                <th scope="col">成交额（万元）</th>
                <th scope="col">上年同期（万元）</th>
              </tr>
            </thead>
            <tbody>
              {trend.map((point) => (
                <tr key={point.key}>
                  <th scope="row">
                    <Link to={point.link}>{point.key}</Link>
                  </th>
                  <td>{point.count}</td>
                  <td>{formatWan(point.amount)}</td>
                  <td>{formatWan(point.lastYear)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      </section>

      <section className="card" aria-labelledby="breakdown-title">
        <h2 id="breakdown-title">按{STAT_DIMENSIONS[by]}</h2>
        <nav aria-label="分解维度" className="tabs">
          {(Object.keys(STAT_DIMENSIONS) as StatDimension[])
            .filter((dimension) => dimension !== 'month')
            .map((dimension) => {
              const params = new URLSearchParams(query)
              params.set('by', dimension)
              return (
                <Link
                  key={dimension}
                  to={`?${params}`}
                  className="tabs__tab"
                  aria-current={dimension === by ? 'page' : undefined}
                  preventScrollReset
                >
                  {STAT_DIMENSIONS[dimension]}
                </Link>
              )
            })}
        </nav>
        {breakdown.length === 0 ? (
          <p className="empty">
            所选时段和条件下没有登记的技术合同。可以放宽筛选条件或换一个时段。
          </p>
        ) : (
          <>
            <EChart
              option={breakdownOption}
              label={`按${STAT_DIMENSIONS[by]}的技术合同成交额（万元），数据见下表`}
              height={Math.max(160, shown.length * 28 + 48)}
              onSelect={(index) => {
                const row = shown[index]
                if (row) navigate(row.link)
              }}
            />
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{STAT_DIMENSIONS[by]}</th>
                  <th scope="col">份数</th>
                  <th scope="col">成交额（万元）</th>
                  <th scope="col">技术交易额（万元）</th>
                  <th scope="col">占比</th>
                </tr>
              </thead>
              <tbody>
                {breakdown.map((row) => (
                  <tr key={row.key}>
                    <th scope="row">
                      <Link to={row.link}>{row.label}</Link>
                    </th>
                    <td>{row.count.toLocaleString('zh-CN')}</td>
                    <td>{formatWan(row.contractAmount)}</td>
                    <td>{formatWan(row.techTransactionAmount)}</td>
                    <td>{formatPercent(shareOf(row.contractAmount, figures.contractAmount))}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </section>

      <section className="card" aria-labelledby="rate-title">
        <h2 id="rate-title">科技成果就地转化率</h2>
        <EChart
          option={rateOption}
          label={`${rates[0]?.year}–${endYear} 年科技成果就地转化率${rateTarget ? `与目标 ${formatPercent(rateTarget)}` : ''}，数据见下表`}
          height={260}
        />
        <details>
          <summary>以表格查看</summary>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">年份</th>
                <th scope="col">按金额</th>
                <th scope="col">按份数</th>
              </tr>
            </thead>
            <tbody>
              {rates.map((rate) => (
                <tr key={rate.year}>
                  <th scope="row">{rate.year}</th>
                  <td>{formatPercent(rate.byValue)}</td>
                  <td>{formatPercent(rate.byCount)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      </section>
    </div>
  )
}

const wan = (yuan: number) => Math.round(yuan / 100) / 100
const percent = (ratio: number | null) => (ratio === null ? null : Math.round(ratio * 1000) / 10)

export const meta: MetaFunction = () => [{ title: `${pageNames.statistics} · 西安科技大市场` }]
