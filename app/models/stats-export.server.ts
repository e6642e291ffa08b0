import ExcelJS from 'exceljs'

import {
  LOCALITY_SCOPES,
  STAT_DIMENSION_NAMES,
  STAT_DIMENSIONS,
  type StatDimension,
  type StatFilters,
} from '~/domain/statistics'
import { formatCsvRow } from '~/utils/tabular'

import { getBreakdown, getFigures, type BreakdownRow, type StatFigures } from './stats.server'

/**
 * The bureau's figures as files to hand on: a workbook with a summary sheet and a sheet per
 * breakdown (typed numbers in yuan, a header row, frozen), and a CSV of one breakdown. Both
 * carry the same figures as the dashboard for the same filters.
 */

const YUAN_FORMAT = '#,##0.00'
const SHARE_FORMAT = '0.0%'

function periodText(filters: StatFilters) {
  const { from, to } = filters.period
  return from === to ? from : `${from} 至 ${to}`
}

function summaryRows(figures: StatFigures): [string, number | null, string][] {
  const { conversion } = figures
  return [
    ['技术合同成交额（元）', figures.contractAmount, YUAN_FORMAT],
    ['合同份数', figures.count, '0'],
    ['技术交易额（元）', figures.techTransactionAmount, YUAN_FORMAT],
    ['输出金额（卖方在本地，元）', figures.output.amount, YUAN_FORMAT],
    ['输出份数', figures.output.count, '0'],
    ['吸纳金额（买方在本地，元）', figures.absorbed.amount, YUAN_FORMAT],
    ['吸纳份数', figures.absorbed.count, '0'],
    ['本地高校院所卖出金额（元）', conversion.totalAmount, YUAN_FORMAT],
    ['其中本地买方金额（元）', conversion.localAmount, YUAN_FORMAT],
    ['科技成果就地转化率（按金额）', conversion.byValue, SHARE_FORMAT],
    ['科技成果就地转化率（按份数）', conversion.byCount, SHARE_FORMAT],
  ]
}

const BREAKDOWN_HEADER = ['份数', '成交额（元）', '技术交易额（元）']

export async function buildStatsWorkbook(filters: StatFilters) {
  const [figures, ...breakdowns] = await Promise.all([
    getFigures(filters),
    ...STAT_DIMENSION_NAMES.map((dimension) => getBreakdown(filters, dimension)),
  ])
  const workbook = new ExcelJS.Workbook()
  workbook.creator = '西安科技大市场'
  workbook.created = new Date()

  const summary = workbook.addWorksheet('总览', { views: [{ state: 'frozen', ySplit: 1 }] })
  summary.columns = [
    { header: '指标', key: 'name', width: 32 },
    { header: '数值', key: 'value', width: 22 },
  ]
  for (const [name, value, format] of summaryRows(figures)) {
    const row = summary.addRow({ name, value })
    row.getCell('value').numFmt = format
  }
  summary.addRow([])
  summary.addRow(['时段', periodText(filters)])
  summary.addRow(['本地范围', LOCALITY_SCOPES[filters.scope].label])
  summary.getRow(1).font = { bold: true }

  STAT_DIMENSION_NAMES.forEach((dimension, index) => {
    const sheet = workbook.addWorksheet(STAT_DIMENSIONS[dimension], {
      views: [{ state: 'frozen', ySplit: 1 }],
    })
    sheet.columns = [
      { header: STAT_DIMENSIONS[dimension], key: 'label', width: 24 },
      { header: '代码', key: 'key', width: 14 },
      { header: BREAKDOWN_HEADER[0], key: 'count', width: 10 },
      {
        header: BREAKDOWN_HEADER[1],
        key: 'contractAmount',
        width: 20,
        style: { numFmt: YUAN_FORMAT },
      },
      {
        header: BREAKDOWN_HEADER[2],
        key: 'techTransactionAmount',
        width: 20,
        style: { numFmt: YUAN_FORMAT },
      },
    ]
    for (const row of breakdowns[index]!) sheet.addRow(row)
    sheet.getRow(1).font = { bold: true }
  })
  return Buffer.from(await workbook.xlsx.writeBuffer())
}

/** One breakdown as CSV, with a byte-order mark so that Excel reads it as UTF-8. */
export async function buildBreakdownCsv(filters: StatFilters, dimension: StatDimension) {
  const rows: BreakdownRow[] = await getBreakdown(filters, dimension)
  const lines = [
    formatCsvRow([STAT_DIMENSIONS[dimension], '代码', ...BREAKDOWN_HEADER]),
    ...rows.map((row) =>
      formatCsvRow([
        row.label,
        row.key,
        String(row.count),
        row.contractAmount.toFixed(2),
        row.techTransactionAmount.toFixed(2),
      ]),
    ),
  ]
  return `\uFEFF${lines.join('\r\n')}\r\n`
}

/** A file name for the export, readable once downloaded. */
export function exportFileName(filters: StatFilters, extension: string) {
  return `技术合同统计_${periodText(filters).replace(' 至 ', '_')}.${extension}`
}
