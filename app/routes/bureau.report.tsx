import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'

import { ErrorList } from '~/components/forms'
import { STATISTICS_ROLES } from '~/domain/constants'
import {
  currentYear,
  LOCALITY_SCOPES,
  monthIndex,
  monthKey,
  samePeriodLastYear,
  shareOf,
  type StatDimension,
} from '~/domain/statistics'
import { getBreakdown, getFigures } from '~/models/stats.server'
import { requireRole } from '~/server/auth.server'
import { formatDate, formatPercent, formatWan } from '~/utils/labels'
import { readStatFilters, toStatQuery } from '~/validation/statistics'

/** The breakdowns a monthly report prints, with how many rows of each. */
const REPORT_BREAKDOWNS: [StatDimension, number][] = [
  ['contractType', 5],
  ['field', 10],
  ['sellerKind', 5],
  ['sellerRegion', 10],
  ['buyerRegion', 10],
]

/** The month before the current one in China: the month a report is usually written for. */
function lastMonth(now = new Date()) {
  const [year, month] = now
    .toLocaleDateString('en-CA', { timeZone: 'Asia/Shanghai' })
    .split('-')
    .map(Number)
  return monthKey(year! * 12 + month! - 2)
}

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, STATISTICS_ROLES)
  const url = new URL(request.url)
  if (![...url.searchParams.keys()].some((name) => ['from', 'year'].includes(name))) {
    url.searchParams.set('from', lastMonth())
    url.searchParams.set('to', lastMonth())
  }
  const read = readStatFilters(url.searchParams, currentYear())
  if (!read.ok) return json({ ok: false as const, errors: read.errors }, { status: 400 })
  const { filters } = read
  const end = monthIndex(filters.period.to)
  const yearToDate = {
    ...filters,
    period: { from: monthKey(end - (end % 12)), to: filters.period.to },
  }
  const [period, periodBefore, year, yearBefore, ...breakdowns] = await Promise.all([
    getFigures(filters),
    getFigures({ ...filters, period: samePeriodLastYear(filters.period) }),
    getFigures(yearToDate),
    getFigures({ ...yearToDate, period: samePeriodLastYear(yearToDate.period) }),
    ...REPORT_BREAKDOWNS.map(([dimension]) => getBreakdown(filters, dimension)),
  ])
  return json({
    ok: true as const,
    filters,
    yearToDate: yearToDate.period,
    rows: { period, periodBefore, year, yearBefore },
    breakdowns: REPORT_BREAKDOWNS.map(([dimension, limit], index) => ({
      dimension,
      rows: breakdowns[index]!.slice(0, limit),
      more: Math.max(0, breakdowns[index]!.length - limit),
    })),
    dashboard: `/bureau?${toStatQuery(filters)}`,
    printedAt: new Date().toISOString(),
  })
}

const DIMENSION_TITLES: Record<StatDimension, string> = {
  month: '按月份',
  contractType: '按合同类别',
  subType: '按合同子类',
  field: '按技术领域',
  sellerKind: '按卖方类型',
  buyerKind: '按买方类型',
  sellerRegion: '按卖方所在地（前 10）',
  buyerRegion: '按买方所在地（前 10）',
  broker: '按技术经纪人',
}

function periodName(period: { from: string; to: string }) {
  const [fromYear, fromMonth] = period.from.split('-')
  const [toYear, toMonth] = period.to.split('-')
  if (period.from === period.to) return `${fromYear} 年 ${Number(fromMonth)} 月`
  if (fromYear === toYear) return `${fromYear} 年 ${Number(fromMonth)}–${Number(toMonth)} 月`
  return `${fromYear} 年 ${Number(fromMonth)} 月至 ${toYear} 年 ${Number(toMonth)} 月`
}

export default function MonthlyReportPage() {
  const data = useLoaderData<typeof loader>()
  if (!data.ok) {
    return (
      <div className="stack">
        <h1>技术合同统计月报</h1>
        <ErrorList errors={data.errors} />
        <Link to="/bureau">返回统计监测</Link>
      </div>
    )
  }
  const { filters, rows, breakdowns, yearToDate } = data
  const scope = LOCALITY_SCOPES[filters.scope].label
  const change = (now: number, before: number) => {
    const ratio = shareOf(now - before, before)
    return ratio === null ? '—' : `${ratio >= 0 ? '+' : '−'}${formatPercent(Math.abs(ratio))}`
  }
  const summary: [string, (figures: typeof rows.period) => number, 'wan' | 'count'][] = [
    ['技术合同成交额（万元）', (f) => f.contractAmount, 'wan'],
    ['合同份数', (f) => f.count, 'count'],
    ['技术交易额（万元）', (f) => f.techTransactionAmount, 'wan'],
    [`输出：卖方在${scope}（万元）`, (f) => f.output.amount, 'wan'],
    [`吸纳：买方在${scope}（万元）`, (f) => f.absorbed.amount, 'wan'],
  ]
  const show = (value: number, kind: 'wan' | 'count') =>
    kind === 'wan' ? formatWan(value) : value.toLocaleString('zh-CN')
  return (
    <article className="report stack">
      <header>
        <h1>西安市技术合同统计月报</h1>
        <p>
          {periodName(filters.period)} · 本地范围：{scope} · 按登记及以后状态的技术合同统计
        </p>
        <p className="report__actions">
          <button type="button" className="button" onClick={() => window.print()}>
            打印或存为 PDF
          </button>
          <Link to={data.dashboard}>返回统计监测</Link>
        </p>
      </header>
      <section aria-labelledby="report-summary">
        <h2 id="report-summary">一、总体情况</h2>
        <table className="table">
          <thead>
            <tr>
              <th scope="col">指标</th>
              <th scope="col">本期</th>
              <th scope="col">上年同期</th>
              <th scope="col">同比</th>
              <th scope="col">本年累计（{periodName(yearToDate)}）</th>
              <th scope="col">累计同比</th>
            </tr>
          </thead>
          <tbody>
            {summary.map(([name, pick, kind]) => (
              <tr key={name}>
                <th scope="row">{name}</th>
                <td>{show(pick(rows.period), kind)}</td>
                <td>{show(pick(rows.periodBefore), kind)}</td>
                <td>{change(pick(rows.period), pick(rows.periodBefore))}</td>
                <td>{show(pick(rows.year), kind)}</td>
                <td>{change(pick(rows.year), pick(rows.yearBefore))}</td>
              </tr>
            ))}
            <tr>
              <th scope="row">科技成果就地转化率（按金额）</th>
              <td>{formatPercent(rows.period.conversion.byValue)}</td>
              <td>{formatPercent(rows.periodBefore.conversion.byValue)}</td>
              <td>—</td>
              <td>{formatPercent(rows.year.conversion.byValue)}</td>
              <td>—</td>
            </tr>
          </tbody>
        </table>
      </section>
      {breakdowns.map((breakdown, index) => (
        <section key={breakdown.dimension} aria-labelledby={`report-${breakdown.dimension}`}>
          <h2 id={`report-${breakdown.dimension}`}>
            {['二', '三', '四', '五', '六'][index]}、{DIMENSION_TITLES[breakdown.dimension]}
          </h2>
          {breakdown.rows.length === 0 ? (
            <p className="empty">本期没有登记的技术合同。</p>
          ) : (
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">项目</th>
                  <th scope="col">份数</th>
                  <th scope="col">成交额（万元）</th>
                  <th scope="col">占比</th>
                </tr>
              </thead>
              <tbody>
                {breakdown.rows.map((row) => (
                  <tr key={row.key}>
                    <th scope="row">{row.label}</th>
                    <td>{row.count.toLocaleString('zh-CN')}</td>
                    <td>{formatWan(row.contractAmount)}</td>
                    <td>
                      {formatPercent(shareOf(row.contractAmount, rows.period.contractAmount))}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {breakdown.more > 0 ? <p className="muted">另有 {breakdown.more} 项未列出。</p> : null}
        </section>
      ))}
      <footer className="muted">
        <p>
          口径：技术合同成交额为登记（及履约、完成）的技术合同金额之和；技术交易额为其中的技术部分；
          输出、吸纳按签约时记下的卖方、买方所在地；科技成果就地转化率为卖方是本地高校院所的合同中买方在本地的比例。
        </p>
        <p>制表：西安科技大市场 · {formatDate(data.printedAt)}</p>
      </footer>
    </article>
  )
}

export const meta: MetaFunction = () => [{ title: '技术合同统计月报 · 西安科技大市场' }]
