import { execFile } from 'node:child_process'
import { mkdtemp } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'

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
