import { execFile } from 'node:child_process'
import { mkdtemp } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'

import ExcelJS from 'exceljs'
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest'

import { periodOf } from '~/domain/statistics'
import { createApiToken } from '~/models/api-token.server'
import { getFigures } from '~/models/stats.server'
import { prisma } from '~/utils/db.server'

import { signInOverHttp, startInProcessServer, type InProcessServer } from '../setup/app-server'
import { removeDataDir, userEnvironment } from '../setup/processes'
import { createTestUser, TEST_PASSWORD } from '../setup/remix'

const run = promisify(execFile)
let server: InProcessServer
let dataDir: string

beforeAll(async () => {
  server = await startInProcessServer()
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'xm-stats-cli-'))
})

afterAll(async () => {
  await server.close()
  await removeDataDir(dataDir)
})

let bureauToken: string
let enterpriseToken: string

beforeEach(async () => {
  await prisma.organization.createMany({
    data: [
      { id: 'uni', name: '西安某大学', kind: 'university', regionCode: '610113' },
      { id: 'ent', name: '西安某公司', kind: 'enterprise', regionCode: '610131' },
      { id: 'far', name: '北京某公司', kind: 'enterprise', regionCode: '110108' },
    ],
  })
  const registered = (id: string, buyer: string, amount: number, date: string) => ({
    id,
    title: id,
    contractType: 'development' as const,
    sellerOrgId: 'uni',
    buyerOrgId: buyer,
    contractAmount: amount,
    techTransactionAmount: amount,
    status: 'registered' as const,
    signedAt: new Date(date),
    registeredAt: new Date(date),
    registrationNo: `${date.slice(0, 4)}610113${id.padStart(6, '0')}`,
    sellerRegionCode: '610113',
    buyerRegionCode: buyer === 'far' ? '110108' : '610131',
  })
  await prisma.deal.createMany({
    data: [
      registered('1', 'ent', 300_000, '2026-02-10'),
      registered('2', 'far', 900_000, '2026-05-10'),
      registered('3', 'ent', 100_000, '2025-11-10'),
    ],
  })
  const bureau = await createTestUser({ role: 'bureau', email: 'bureau@example.com' })
  const enterprise = await createTestUser({ role: 'enterprise', orgId: 'ent' })
  bureauToken = (await createApiToken({ userId: bureau.id, name: '统计' })).token
  enterpriseToken = (await createApiToken({ userId: enterprise.id, name: '企业' })).token
})

interface ApiBody {
  filters?: unknown
  figures?: Record<string, unknown>
  rows?: unknown[]
  error?: { message: string; field?: string }
}

async function get(pathAndQuery: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${server.baseUrl}${pathAndQuery}`, { headers })
  return { status: response.status, body: (await response.json()) as ApiBody }
}

const asBureau = () => ({ Authorization: `Bearer ${bureauToken}` })

describe('the statistics API', () => {
  test('only the bureau sees the figures: 401 without an account, 403 for an enterprise', async () => {
    expect((await get('/api/v1/stats/summary')).status).toBe(401)
    const enterprise = await get('/api/v1/stats/summary', {
      Authorization: `Bearer ${enterpriseToken}`,
    })
    expect(enterprise).toEqual({
      status: 403,
      body: { error: { message: '您的账号无权查看技术合同统计' } },
    })
    expect(
      (await get('/api/v1/stats/breakdown/broker', { Authorization: 'Bearer xmk_forged' })).status,
    ).toBe(401)
    // The bureau, by token and by its session alike.
    expect((await get('/api/v1/stats/summary?year=2026', asBureau())).status).toBe(200)
    const cookie = await signInOverHttp(server.baseUrl, 'bureau@example.com', TEST_PASSWORD)
    expect((await get('/api/v1/stats/summary?year=2026', { Cookie: cookie })).status).toBe(200)
  })

  test('the summary and breakdowns are the model’s figures, for the period asked', async () => {
    const summary = await get('/api/v1/stats/summary?year=2026', asBureau())
    expect(summary.body).toEqual({
      filters: { period: { from: '2026-01', to: '2026-12' }, scope: 'city' },
      figures: await getFigures({ period: periodOf(2026), scope: 'city' }),
    })
    expect(summary.body.figures).toMatchObject({
      contractAmount: 1_200_000,
      count: 2,
      conversion: { byValue: 0.25, byCount: 0.5 },
    })
    const spring = await get('/api/v1/stats/summary?from=2025-11&to=2026-03', asBureau())
    expect(spring.body.figures).toMatchObject({ contractAmount: 400_000, count: 2 })
    const byBuyer = await get('/api/v1/stats/breakdown/buyerRegion?year=2026', asBureau())
    expect(byBuyer.status).toBe(200)
    expect(byBuyer.body.rows).toEqual([
      {
        key: '110108',
        label: '北京市',
        contractAmount: 900_000,
        techTransactionAmount: 900_000,
        count: 1,
      },
      {
        key: '610131',
        label: '西安市',
        contractAmount: 300_000,
        techTransactionAmount: 300_000,
        count: 1,
      },
    ])
    const filtered = await get(
      '/api/v1/stats/breakdown/month?year=2026&buyerRegion=610131',
      asBureau(),
    )
    expect(filtered.body.rows).toEqual([
      {
        key: '2026-02',
        label: '2026-02',
        contractAmount: 300_000,
        techTransactionAmount: 300_000,
        count: 1,
      },
    ])
  })

  test('malformed periods, filters and dimensions are a 4xx naming the parameter', async () => {
    const refused = async (query: string) => (await get(query, asBureau())).body.error
    expect(await refused('/api/v1/stats/summary?from=2026-13&to=2026-12')).toEqual({
      field: 'from',
      message: 'from：月份应写作 YYYY-MM（如 2026-03）',
    })
    expect(await refused('/api/v1/stats/summary?from=2026-06&to=2026-01')).toMatchObject({
      field: 'to',
      message: 'to：结束月份（to）不能早于起始月份（from）',
    })
    expect(await refused('/api/v1/stats/summary?year=abc')).toMatchObject({ field: 'year' })
    expect(await refused('/api/v1/stats/summary?year=2026&month=2&quarter=1')).toMatchObject({
      field: 'month',
    })
    expect(await refused('/api/v1/stats/summary?field=99')).toMatchObject({ field: 'field' })
    expect(await refused('/api/v1/stats/summary?buyer=1')).toMatchObject({
      message: '不支持的参数：buyer',
    })
    expect(await refused('/api/v1/stats/summary?year=2026&year=2025')).toMatchObject({
      field: 'year',
    })
    const unknown = await get('/api/v1/stats/breakdown/colour', asBureau())
    expect(unknown.status).toBe(404)
    expect(unknown.body.error?.field).toBe('dimension')
  })
})

describe('exports and the monthly report', () => {
  test('the workbook holds the summary and a sheet per breakdown, in typed numbers that add up', async () => {
    const cookie = await signInOverHttp(server.baseUrl, 'bureau@example.com', TEST_PASSWORD)
    const response = await fetch(`${server.baseUrl}/bureau/export?year=2026&format=xlsx`, {
      headers: { Cookie: cookie },
    })
    expect(response.status).toBe(200)
    expect(response.headers.get('content-disposition')).toContain(
      `filename*=UTF-8''${encodeURIComponent('技术合同统计_2026-01_2026-12.xlsx')}`,
    )
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load(await response.arrayBuffer())
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual([
      '总览',
      '月份',
      '合同类别',
      '合同子类',
      '技术领域',
      '卖方类型',
      '买方类型',
      '卖方所在地',
      '买方所在地',
      '技术经纪人',
    ])
    const summary = workbook.getWorksheet('总览')!
    expect(summary.getRow(1).values).toEqual([undefined, '指标', '数值'])
    expect(summary.getRow(2).values).toEqual([undefined, '技术合同成交额（元）', 1_200_000])
    for (const sheet of workbook.worksheets.slice(1)) {
      let amount = 0
      let count = 0
      sheet.eachRow((row, number) => {
        if (number === 1) return
        expect(typeof row.getCell(3).value, sheet.name).toBe('number')
        count += row.getCell(3).value as number
        amount += row.getCell(4).value as number
      })
      expect([sheet.name, count, amount]).toEqual([sheet.name, 2, 1_200_000])
    }
  })

  test('a breakdown as CSV, the report page, and nobody else’s download', async () => {
    const cookie = await signInOverHttp(server.baseUrl, 'bureau@example.com', TEST_PASSWORD)
    const csv = await fetch(`${server.baseUrl}/bureau/export?year=2026&by=buyerRegion&format=csv`, {
      headers: { Cookie: cookie },
    })
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    const bytes = new Uint8Array(await csv.arrayBuffer())
    // A byte-order mark first, so that Excel reads UTF-8.
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    expect(new TextDecoder().decode(bytes)).toBe(
      '买方所在地,代码,份数,成交额（元）,技术交易额（元）\r\n' +
        '北京市,110108,1,900000.00,900000.00\r\n西安市,610131,1,300000.00,300000.00\r\n',
    )
    const bad = await fetch(`${server.baseUrl}/bureau/export?year=2026&format=pdf`, {
      headers: { Cookie: cookie },
    })
    expect(bad.status).toBe(400)
    expect(await bad.text()).toBe('导出格式（format）应为 xlsx 或 csv')
    const report = await fetch(`${server.baseUrl}/bureau/report?year=2026&month=2`, {
      headers: { Cookie: cookie },
    })
    expect(report.status).toBe(200)
    const html = await report.text()
    expect(html).toContain('2026 年 2 月')
    expect(html).toContain('30')
    await createTestUser({ role: 'enterprise', orgId: 'ent', email: 'company@example.com' })
    const company = await signInOverHttp(server.baseUrl, 'company@example.com', TEST_PASSWORD)
    const refused = await fetch(`${server.baseUrl}/bureau/export?year=2026`, {
      headers: { Cookie: company },
      redirect: 'manual',
    })
    expect(refused.status).toBe(403)
  })
})

describe('npm run cli -- stats', () => {
  const cli = async (...args: string[]) => {
    try {
      const { stdout, stderr } = await run(
        path.resolve('node_modules/.bin/tsx'),
        ['cli.ts', 'stats', ...args],
        {
          env: userEnvironment({
            DATABASE_URL: process.env.DATABASE_URL!,
            DATA_DIR: dataDir,
          }) as NodeJS.ProcessEnv,
        },
      )
      return { code: 0, stdout, stderr }
    } catch (error) {
      return error as { code: number; stdout: string; stderr: string }
    }
  }

  test('prints the same figures as the API, in 万元 or as JSON; bad options exit 2', async () => {
    const json = await cli('--year', '2026', '--json')
    expect(json.code).toBe(0)
    const printed = JSON.parse(json.stdout) as {
      figures: unknown
      breakdowns: { contractType: unknown }
    }
    const api = await get('/api/v1/stats/summary?year=2026', asBureau())
    expect(printed.figures).toEqual(api.body.figures)
    const text = await cli('--year', '2026', '--month', '5')
    expect(text.stdout).toContain('2026-05 至 2026-05（本地：西安市）')
    expect(text.stdout).toContain('技术合同成交额  90 万元（1 份）')
    const bad = await cli('--year', '2026', '--quarter', '5')
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('--quarter：季度（quarter）应为 1–4 的整数')
  })
})
