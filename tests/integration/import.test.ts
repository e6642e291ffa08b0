import { execFile } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'

import fc from 'fast-check'
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest'

import { completeCreditCode } from '~/domain/credit-code'
import { computePatentCheckDigit } from '~/domain/patent-number'
import {
  formatImportProblems,
  formatImportSummary,
  getImportColumns,
  IMPORT_KINDS,
  importRows,
  type ImportKind,
  type ImportOutcome,
  type ImportProblem,
} from '~/models/import.server'
import { prisma } from '~/utils/db.server'
import { formatCsvRow } from '~/utils/tabular'

import { createTestUser } from '../setup/remix'

const execFileAsync = promisify(execFile)

let workDir: string
beforeAll(async () => {
  workDir = await mkdtemp(path.join(os.tmpdir(), 'xm-import-test-'))
})
afterAll(async () => {
  await rm(workDir, { recursive: true, force: true })
})

// ---- Fixtures ------------------------------------------------------------------------------

const UNIVERSITY = '西安测试大学'
const ENTERPRISE = '西安测试科技有限公司'
const CREDIT_CODES = [
  completeCreditCode('12610000MA000001'),
  completeCreditCode('91610113MA000002'),
  completeCreditCode('91610131MA000003'),
]
// The same code with a wrong check character.
const BAD_CREDIT_CODE = CREDIT_CODES[2]!.slice(0, 17) + (CREDIT_CODES[2]!.endsWith('0') ? '1' : '0')
const PATENT = `ZL202310123456.${computePatentCheckDigit('202310123456')}`

async function createMarket() {
  const university = await prisma.organization.create({
    data: { name: UNIVERSITY, kind: 'university', regionCode: '610113', externalId: 'org-u' },
    select: { id: true },
  })
  const enterprise = await prisma.organization.create({
    data: { name: ENTERPRISE, kind: 'enterprise', regionCode: '610131', externalId: 'org-e' },
    select: { id: true },
  })
  const expert = await prisma.expert.create({
    data: { name: '王教授', orgId: university.id, fields: ['804'], externalId: 'expert-wang' },
    select: { id: true },
  })
  return { university, enterprise, expert }
}

function resultRow(index: number, overrides: Record<string, unknown> = {}) {
  return {
    externalId: `result-${index}`,
    title: `高比能锂电池正极材料第 ${index} 号`,
    summary: '本成果提出一种高能量密度、长循环寿命的锂电池正极材料制备方法，适合规模化生产。',
    field: '804',
    keywords: ['锂电池', '正极材料'],
    trl: 5,
    transferModes: ['license', 'transfer'],
    askingPrice: 500_000 + index,
    org: UNIVERSITY,
    ...overrides,
  }
}

function jsonl(rows: unknown[]) {
  return {
    format: 'jsonl' as const,
    bytes: new TextEncoder().encode(rows.map((row) => JSON.stringify(row)).join('\n')),
  }
}

function csv(
  rows: string[][],
  encode: (text: string) => Uint8Array = (text) => new TextEncoder().encode(text),
) {
  return { format: 'csv' as const, bytes: encode(rows.map(formatCsvRow).join('\r\n')) }
}

/** The problems of an outcome that must have failed. */
function problemsOf(outcome: ImportOutcome): ImportProblem[] {
  if (outcome.ok) throw new Error(`expected a report, got ${formatImportSummary(outcome)}`)
  return outcome.problems
}

function expectOk(outcome: ImportOutcome) {
  if (!outcome.ok) throw new Error(formatImportProblems(outcome.problems))
  return outcome
}

/** Row counts and latest change of every table the importer writes. */
async function snapshot() {
  const [row] = await prisma.$queryRawUnsafe<Record<string, unknown>[]>(`SELECT
    (SELECT count(*)::int FROM "Organization") AS orgs,
    (SELECT max("updatedAt") FROM "Organization") AS "orgsAt",
    (SELECT count(*)::int FROM "Expert") AS experts,
    (SELECT max("updatedAt") FROM "Expert") AS "expertsAt",
    (SELECT count(*)::int FROM "Result") AS results,
    (SELECT max("updatedAt") FROM "Result") AS "resultsAt",
    (SELECT count(*)::int FROM "Need") AS needs,
    (SELECT max("updatedAt") FROM "Need") AS "needsAt",
    (SELECT count(*)::int FROM "Deal") AS deals,
    (SELECT max("updatedAt") FROM "Deal") AS "dealsAt",
    (SELECT count(*)::int FROM "DealEvent") AS events,
    (SELECT count(*)::int FROM "SearchOutbox") AS outbox`)
  return row
}

/** An encoder for a legacy encoding, built from the platform's decoder of that encoding. */
function encoderFor(label: string) {
  let table: Map<string, number[]> | undefined
  return (text: string) => {
    if (!table) {
      table = new Map()
      const decoder = new TextDecoder(label)
      const add = (bytes: number[]) => {
        const char = decoder.decode(new Uint8Array(bytes))
        if (char.length === 1 && char !== '\ufffd' && !table!.has(char)) table!.set(char, bytes)
      }
      for (let lead = 0x80; lead <= 0xff; lead++) add([lead])
      for (let lead = 0x81; lead <= 0xfe; lead++) {
        for (let trail = 0x40; trail <= 0xfe; trail++) if (trail !== 0x7f) add([lead, trail])
      }
    }
    const bytes: number[] = []
    for (const char of text) {
      const code = char.charCodeAt(0)
      const encoded = code < 0x80 ? [code] : table.get(char)
      if (!encoded) throw new Error(`not in ${label}: ${char}`)
      bytes.push(...encoded)
    }
    return new Uint8Array(bytes)
  }
}
const encodeGbk = encoderFor('gbk')

/** Any generated value as CSV cell text (String() throws on objects with odd toString keys). */
function toCell(value: unknown): string {
  if (typeof value === 'string') return value
  return value === null || value === undefined ? '' : (JSON.stringify(value) ?? '')
}

/** Runs `npm run cli -- …` as a user would, against this worker's database. */
async function cli(...args: string[]) {
  try {
    const { stdout, stderr } = await execFileAsync(
      path.resolve('node_modules/.bin/tsx'),
      ['cli.ts', ...args],
      { env: { ...process.env, LOG_LEVEL: 'silent' } },
    )
    return { code: 0, stdout, stderr }
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string }
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr }
  }
}

// ---- Tests ---------------------------------------------------------------------------------

describe('import: all or nothing, and idempotent', () => {
  beforeEach(async () => {
    await createMarket()
  })

  test('one invalid row among 1,000 writes nothing; the fixed file imports once', async () => {
    const rows = Array.from({ length: 1000 }, (_, index) => resultRow(index + 1))
    const broken = rows.map((row, index) => (index === 500 ? { ...row, trl: 12 } : row))
    const file = path.join(workDir, 'results-1000.jsonl')
    await writeFile(file, broken.map((row) => JSON.stringify(row)).join('\n'))

    // From the command line: exit code 2 and a report naming row, field and reason.
    const refused = await cli('import', 'results', file)
    expect(refused.code).toBe(2)
    expect(refused.stderr).toContain('第 501 行 trl：技术成熟度（TRL）应为 1–9 的整数')
    expect(refused.stderr).toContain('未写入任何数据')
    expect(await prisma.result.count()).toBe(0)
    expect(await prisma.searchOutbox.count()).toBe(0)

    const outcome = await importRows('results', jsonl(broken))
    expect(problemsOf(outcome)).toEqual([
      { row: 501, field: 'trl', message: '技术成熟度（TRL）应为 1–9 的整数' },
    ])
    expect(await prisma.result.count()).toBe(0)
    expect(await prisma.searchOutbox.count()).toBe(0)

    // The fixed file, first as a dry run, then for real.
    await writeFile(file, rows.map((row) => JSON.stringify(row)).join('\n'))
    const dry = await cli('import', 'results', file, '--dry-run')
    expect(dry.code).toBe(0)
    expect(dry.stdout).toContain('校验通过：共 1000 行')
    expect(await prisma.result.count()).toBe(0)

    const imported = await cli('import', 'results', file)
    expect(imported.code).toBe(0)
    expect(imported.stdout).toContain('导入完成：新增 1000 条，更新 0 条，未变 0 条')
    expect(imported.stderr).toMatch(/写入 \[#+\] 1000\/1000/)
    expect(await prisma.result.count()).toBe(1000)
    expect(await prisma.searchOutbox.count({ where: { entity: 'result', op: 'upsert' } })).toBe(
      1000,
    )
    const published = await prisma.result.findFirstOrThrow({
      where: { externalId: 'result-1' },
      select: {
        status: true,
        publishedAt: true,
        confirmedAt: true,
        expiresAt: true,
        askingPrice: true,
      },
    })
    expect(published.status).toBe('published')
    expect(published.publishedAt).toEqual(published.confirmedAt)
    expect(published.expiresAt!.getTime() - published.confirmedAt!.getTime()).toBe(180 * 86_400_000)
    expect(published.askingPrice?.toNumber()).toBe(500_001)

    // Again: nothing changes.
    const before = await prisma.result.findMany({ select: { id: true, updatedAt: true } })
    const again = expectOk(await importRows('results', jsonl(rows)))
    expect(formatImportSummary(again)).toBe('导入完成：新增 0 条，更新 0 条，未变 1000 条')
    expect(await prisma.result.findMany({ select: { id: true, updatedAt: true } })).toEqual(before)
    expect(await prisma.searchOutbox.count()).toBe(1000)

    // A changed row updates exactly that row, queues it once, and keeps its status and dates.
    const changed = rows.map((row, index) =>
      index === 9 ? { ...row, title: '改进后的正极材料' } : row,
    )
    const third = expectOk(await importRows('results', jsonl(changed)))
    expect(third).toMatchObject({ inserted: 0, updated: 1, unchanged: 999 })
    const after = await prisma.result.findMany({ select: { id: true, updatedAt: true } })
    const moved = after.filter(
      (row) =>
        row.updatedAt.getTime() !== before.find((old) => old.id === row.id)?.updatedAt.getTime(),
    )
    const edited = await prisma.result.findUniqueOrThrow({
      where: { externalId: 'result-10' },
      select: { id: true, title: true, version: true, status: true },
    })
    expect(moved.map((row) => row.id)).toEqual([edited.id])
    expect(edited).toMatchObject({ title: '改进后的正极材料', version: 2, status: 'published' })
    expect(await prisma.searchOutbox.count()).toBe(1001)
    expect(
      await prisma.searchOutbox.findFirst({ orderBy: { seq: 'desc' }, select: { entityId: true } }),
    ).toEqual({
      entityId: edited.id,
    })
  })

  test('large files are written in several batches, counted exactly once', async () => {
    const rows = Array.from({ length: 12_000 }, (_, index) => ({
      externalId: `bulk-${index}`,
      title: `批量成果第 ${index} 号`,
      summary: '用于检验分批写入的科技成果简介，长度满足二十个字符的要求。',
      field: '804',
      trl: 1 + (index % 9),
      transferModes: ['license'],
      org: UNIVERSITY,
    }))
    const progress: number[] = []
    const first = await importRows('results', jsonl(rows), {
      onProgress: (phase, done) => {
        if (phase === 'write') progress.push(done)
      },
    })
    expect(expectOk(first)).toMatchObject({ inserted: 12_000, updated: 0 })
    expect(progress).toEqual([0, 5000, 10_000, 12_000])
    expect(await prisma.result.count()).toBe(12_000)
    // The planner is told at once: statistics from before the import would plan a scan of
    // 12,000 rows as if the table were empty.
    const [stats] = await prisma.$queryRaw<{ reltuples: number }[]>`
      SELECT reltuples FROM pg_class WHERE oid = '"Result"'::regclass`
    expect(stats!.reltuples).toBeGreaterThanOrEqual(12_000)
    expect(await prisma.searchOutbox.count()).toBe(12_000)
    const again = expectOk(await importRows('results', jsonl(rows)))
    expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: 12_000 })
    expect(await prisma.searchOutbox.count()).toBe(12_000)
  })

  test('the command explains itself and refuses an unknown kind', async () => {
    const help = await cli('import', '--help')
    expect(help.code).toBe(0)
    expect(help.stdout).toMatch(/Usage: npm run cli -- import \[options\] <kind> <file>/)
    expect(help.stdout).toContain('--dry-run')
    const unknown = await cli('import', 'patents', 'whatever.csv')
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain('<kind>: 应为 orgs、experts、results、needs、deals 之一')
  })

  test('--dry-run validates against the database but writes nothing', async () => {
    const outcome = await importRows('results', jsonl([resultRow(1), resultRow(2)]), {
      dryRun: true,
    })
    expect(outcome).toEqual({
      ok: true,
      dryRun: true,
      rows: 2,
      inserted: 0,
      updated: 0,
      unchanged: 2,
    })
    expect(await prisma.result.count()).toBe(0)
    const unknown = await importRows('results', jsonl([resultRow(1, { org: '没有这家单位' })]), {
      dryRun: true,
    })
    expect(problemsOf(unknown)).toEqual([
      { row: 1, field: 'org', message: expect.stringContaining('“没有这家单位”不存在') },
    ])
  })
})

describe('import: every kind, from CSV and from JSON Lines', () => {
  test('organizations, experts, results, needs and deals, with references resolved', async () => {
    const broker = await createTestUser({ email: 'broker@example.com', role: 'broker' })

    // Organizations: CSV with a list-free header, then JSONL updating one of them by name.
    expectOk(
      await importRows(
        'orgs',
        csv([
          ['externalId', 'name', 'kind', 'creditCode', 'regionCode', 'zone', 'highTech'],
          ['org-u', UNIVERSITY, 'university', CREDIT_CODES[0]!, '610113', '', ''],
          [
            '',
            ENTERPRISE,
            'enterprise',
            CREDIT_CODES[1]!,
            '610131',
            '西安高新技术产业开发区',
            '是',
          ],
        ]),
      ),
    )
    const orgs = expectOk(
      await importRows(
        'orgs',
        jsonl([
          {
            name: ENTERPRISE,
            kind: 'enterprise',
            creditCode: CREDIT_CODES[1],
            regionCode: '610116',
            highTech: true,
          },
          {
            externalId: 'org-far',
            name: '北京远方科技有限公司',
            kind: 'enterprise',
            regionCode: '110108',
          },
        ]),
      ),
    )
    expect(orgs).toMatchObject({ inserted: 1, updated: 1, unchanged: 0 })
    const enterprise = await prisma.organization.findUniqueOrThrow({
      where: { name: ENTERPRISE },
      select: { id: true, externalId: true, regionCode: true, highTech: true, zone: true },
    })
    // Matched by name, it keeps no externalId and takes the file's values (zone not given).
    expect(enterprise).toMatchObject({
      externalId: null,
      regionCode: '610116',
      highTech: true,
      zone: null,
    })
    // A row with an externalId adopts the organization of its name that has none yet.
    const adopted = expectOk(
      await importRows(
        'orgs',
        jsonl([
          {
            externalId: 'org-e',
            name: ENTERPRISE,
            kind: 'enterprise',
            creditCode: CREDIT_CODES[1],
            regionCode: '610116',
            highTech: true,
          },
        ]),
      ),
    )
    expect(adopted).toMatchObject({ inserted: 0, updated: 1 })
    expect(
      await prisma.organization.findUniqueOrThrow({
        where: { id: enterprise.id },
        select: { externalId: true },
      }),
    ).toEqual({ externalId: 'org-e' })

    // Experts: JSONL and CSV (list columns as ;-separated cells).
    expectOk(
      await importRows(
        'experts',
        jsonl([
          {
            externalId: 'expert-li',
            name: '李研究员',
            title: '研究员',
            org: UNIVERSITY,
            fields: ['804'],
            keywords: ['储能'],
          },
        ]),
      ),
    )
    expectOk(
      await importRows(
        'experts',
        csv([
          ['externalId', 'name', 'org', 'fields', 'keywords', 'bio'],
          ['expert-zhao', '赵教授', UNIVERSITY, '804;801', '电池;材料', '长期从事储能材料研究。'],
        ]),
      ),
    )
    expect(
      await prisma.expert.findUniqueOrThrow({
        where: { externalId: 'expert-zhao' },
        select: { fields: true, keywords: true },
      }),
    ).toEqual({ fields: ['804', '801'], keywords: ['电池', '材料'] })

    // Results: lead experts by name (CSV) and by externalId (JSONL).
    expectOk(
      await importRows(
        'results',
        csv([
          [
            'externalId',
            'title',
            'summary',
            'field',
            'keywords',
            'trl',
            'ipType',
            'patentNos',
            'transferModes',
            'askingPrice',
            'org',
            'leadExpert',
          ],
          [
            'result-csv',
            '固态电解质薄膜',
            '一种可规模化制备的固态电解质薄膜，离子电导率高，适用于动力电池。',
            '804',
            '固态电池;电解质',
            '6',
            'invention_patent',
            PATENT,
            'license;equity',
            '',
            UNIVERSITY,
            '赵教授',
          ],
        ]),
      ),
    )
    expectOk(await importRows('results', jsonl([resultRow(1, { leadExpert: 'expert-li' })])))
    const results = await prisma.result.findMany({
      orderBy: { externalId: 'asc' },
      select: {
        externalId: true,
        leadExpert: { select: { name: true } },
        patentNos: true,
        askingPrice: true,
        transferModes: true,
      },
    })
    expect(results).toEqual([
      {
        externalId: 'result-1',
        leadExpert: { name: '李研究员' },
        patentNos: [],
        askingPrice: expect.anything(),
        transferModes: ['license', 'transfer'],
      },
      {
        externalId: 'result-csv',
        leadExpert: { name: '赵教授' },
        patentNos: [PATENT],
        askingPrice: null,
        transferModes: ['license', 'equity'],
      },
    ])

    // Needs.
    const needBase = {
      title: '动力电池热失控预警技术',
      description: '需要一套可在线监测动力电池热失控风险的技术方案，能在早期给出预警信号。',
      field: '804',
      org: ENTERPRISE,
    }
    expectOk(
      await importRows(
        'needs',
        jsonl([
          {
            ...needBase,
            externalId: 'need-1',
            budgetMin: 100_000,
            budgetMax: 500_000,
            deadline: '2099-06-30',
            cooperationModes: ['commissioned_development'],
          },
        ]),
      ),
    )
    expectOk(
      await importRows(
        'needs',
        csv([
          ['externalId', 'title', 'description', 'field', 'cooperationModes', 'org', 'deadline'],
          [
            'need-2',
            '电池回收梯次利用方案',
            needBase.description,
            '804',
            'consulting;service',
            ENTERPRISE,
            '2099-12-31',
          ],
        ]),
      ),
    )
    const need = await prisma.need.findUniqueOrThrow({
      where: { externalId: 'need-1' },
      select: { status: true, deadline: true, budgetMax: true, publishedAt: true },
    })
    expect(need.status).toBe('open')
    expect(need.deadline?.toISOString().slice(0, 10)).toBe('2099-06-30')
    expect(need.budgetMax?.toNumber()).toBe(500_000)
    expect(need.publishedAt).not.toBeNull()

    // Deals: CSV with references, then JSONL.
    expectOk(
      await importRows(
        'deals',
        csv([
          [
            'externalId',
            'contractType',
            'subType',
            'sellerOrg',
            'buyerOrg',
            'contractAmount',
            'techTransactionAmount',
            'status',
            'signedAt',
            'registeredAt',
            'registrationNo',
            'field',
            'result',
            'need',
            'broker',
          ],
          [
            'deal-1',
            'license',
            '专利实施许可（普通）',
            UNIVERSITY,
            ENTERPRISE,
            '300000',
            '280000',
            'registered',
            '2026-03-01',
            '2026-03-15',
            '2026610113000001',
            '804',
            'result-csv',
            'need-1',
            'Broker@Example.com',
          ],
        ]),
      ),
    )
    expectOk(
      await importRows(
        'deals',
        jsonl([
          {
            externalId: 'deal-2',
            title: '技术咨询合同',
            contractType: 'consulting',
            sellerOrg: UNIVERSITY,
            buyerOrg: '北京远方科技有限公司',
            contractAmount: 50_000,
            status: 'intent',
          },
        ]),
      ),
    )
    const deal = await prisma.deal.findUniqueOrThrow({
      where: { externalId: 'deal-1' },
      select: {
        title: true,
        brokerId: true,
        sellerRegionCode: true,
        buyerRegionCode: true,
        result: { select: { externalId: true } },
        need: { select: { externalId: true } },
        contractAmount: true,
        events: { select: { fromStatus: true, toStatus: true, note: true } },
      },
    })
    expect(deal).toMatchObject({
      title: `${UNIVERSITY}与${ENTERPRISE}专利实施许可（普通）合同`,
      brokerId: broker.id,
      sellerRegionCode: '610113',
      buyerRegionCode: '610116',
      result: { externalId: 'result-csv' },
      need: { externalId: 'need-1' },
      events: [{ fromStatus: null, toStatus: 'registered', note: '批量导入' }],
    })
    expect(deal.contractAmount?.toNumber()).toBe(300_000)
    expect(
      await prisma.deal.findUniqueOrThrow({
        where: { externalId: 'deal-2' },
        select: { title: true, buyerRegionCode: true },
      }),
    ).toEqual({ title: '技术咨询合同', buyerRegionCode: '110108' })

    // Search outbox: one row per expert, result and need written.
    const queued = await prisma.searchOutbox.groupBy({
      by: ['entity'],
      _count: true,
      orderBy: { entity: 'asc' },
    })
    expect(queued.map((group) => [group.entity, group._count])).toEqual([
      ['result', 2],
      ['need', 2],
      ['expert', 2],
    ])

    // Re-importing a deal with a new status logs the change and keeps the region snapshot,
    // although its buyer has moved since.
    await prisma.organization.update({
      where: { externalId: 'org-far' },
      data: { regionCode: '110105' },
    })
    const progressed = expectOk(
      await importRows(
        'deals',
        jsonl([
          {
            externalId: 'deal-2',
            title: '技术咨询合同',
            contractType: 'consulting',
            sellerOrg: UNIVERSITY,
            buyerOrg: '北京远方科技有限公司',
            contractAmount: 50_000,
            status: 'negotiating',
          },
        ]),
      ),
    )
    expect(progressed).toMatchObject({ updated: 1 })
    expect(
      await prisma.dealEvent.findMany({
        where: { deal: { externalId: 'deal-2' } },
        orderBy: { createdAt: 'asc' },
        select: { fromStatus: true, toStatus: true },
      }),
    ).toEqual([
      { fromStatus: null, toStatus: 'intent' },
      { fromStatus: 'intent', toStatus: 'negotiating' },
    ])
    expect(
      await prisma.deal.findUniqueOrThrow({
        where: { externalId: 'deal-2' },
        select: { status: true, buyerRegionCode: true, version: true },
      }),
    ).toEqual({ status: 'negotiating', buyerRegionCode: '110108', version: 2 })

    // A file cannot move a contract back, nor give it a malformed registration number.
    const backwards = await importRows(
      'deals',
      jsonl([
        {
          externalId: 'deal-2',
          contractType: 'consulting',
          sellerOrg: UNIVERSITY,
          buyerOrg: '北京远方科技有限公司',
          contractAmount: 50_000,
          status: 'intent',
        },
        {
          externalId: 'deal-3',
          contractType: 'consulting',
          sellerOrg: UNIVERSITY,
          buyerOrg: '北京远方科技有限公司',
          contractAmount: 50_000,
          status: 'registered',
          signedAt: '2026-03-01',
          registeredAt: '2026-03-02',
          registrationNo: 'XA2026-0001',
        },
      ]),
    )
    expect(problemsOf(backwards)).toEqual([
      { row: 1, field: 'status', message: '合同状态（status）不能从“洽谈”改为“意向”' },
      {
        row: 2,
        field: 'registrationNo',
        message:
          '登记编号（registrationNo）应为 16 位数字：年份 4 位、登记机构地区代码 6 位、流水号 6 位',
      },
    ])
    expect(await prisma.deal.count({ where: { externalId: 'deal-3' } })).toBe(0)
  })

  test('an organization whose region changes queues its listings for the search index', async () => {
    const { university, expert } = await createMarket()
    expectOk(await importRows('results', jsonl([resultRow(1), resultRow(2)])))
    const queued = () => prisma.searchOutbox.count()
    const before = await queued()
    const org = { externalId: 'org-u', name: UNIVERSITY, kind: 'university', regionCode: '610113' }
    expectOk(await importRows('orgs', jsonl([org])))
    expect(await queued()).toBe(before)
    expectOk(await importRows('orgs', jsonl([{ ...org, regionCode: '610116' }])))
    const requeued = await prisma.searchOutbox.findMany({
      where: { seq: { gt: BigInt(before) } },
      select: { entity: true, entityId: true },
      orderBy: { seq: 'asc' },
    })
    const results = await prisma.result.findMany({
      where: { orgId: university.id },
      select: { id: true },
    })
    expect(requeued).toHaveLength(3)
    expect(new Set(requeued.map((row) => `${row.entity}:${row.entityId}`))).toEqual(
      new Set([...results.map((row) => `result:${row.id}`), `expert:${expert.id}`]),
    )
  })

  test('a GBK-encoded CSV imports correctly', async () => {
    await createMarket()
    const outcome = await importRows(
      'results',
      csv(
        [
          ['title', 'summary', 'field', 'keywords', 'trl', 'transferModes', 'org', 'leadExpert'],
          [
            '钙钛矿太阳能电池',
            '一种稳定性高、可低温制备的钙钛矿太阳能电池结构，光电转换效率超过百分之二十。',
            '804',
            '钙钛矿;光伏',
            '4',
            'license',
            UNIVERSITY,
            '王教授',
          ],
        ],
        encodeGbk,
      ),
    )
    expect(expectOk(outcome).inserted).toBe(1)
    expect(
      await prisma.result.findFirstOrThrow({
        select: { title: true, keywords: true, externalId: true },
      }),
    ).toEqual({ title: '钙钛矿太阳能电池', keywords: ['钙钛矿', '光伏'], externalId: null })
  })
})

describe('import: bad input is reported, never written', () => {
  beforeEach(async () => {
    await createMarket()
  })

  test('a wrong CSV header is refused, naming the columns', async () => {
    const outcome = await importRows(
      'results',
      csv([
        ['title', 'summary', 'feild', 'trl', 'transferModes', 'org'],
        [
          '钙钛矿太阳能电池',
          '一种稳定性高、可低温制备的钙钛矿太阳能电池结构，效率高。',
          '804',
          '4',
          'license',
          UNIVERSITY,
        ],
      ]),
    )
    expect(problemsOf(outcome)).toEqual([
      { row: 1, field: '', message: expect.stringContaining('表头有未知的列：feild') },
      { row: 1, field: '', message: '表头缺少必填列：field' },
    ])
  })

  test('bytes that are neither UTF-8 nor GBK are refused', async () => {
    const bytes = new Uint8Array([...new TextEncoder().encode('title,summary\n'), 0xff, 0xfe, 0xfd])
    const file = path.join(workDir, 'garbled.csv')
    await writeFile(file, bytes)
    const refused = await cli('import', 'results', file)
    expect(refused.code).toBe(2)
    expect(refused.stderr).toContain('文件编码无法识别：既不是 UTF-8 也不是 GBK')
    expect(problemsOf(await importRows('results', { format: 'csv', bytes }))).toEqual([
      { row: null, field: '', message: expect.stringContaining('既不是 UTF-8 也不是 GBK') },
    ])
  })

  test('files in other legacy encodings are refused, not stored as mojibake', async () => {
    const orgs = [
      ['externalId', 'name', 'kind', 'regionCode'],
      ['org-de', 'Müller Präzisionstechnik GmbH', 'enterprise', '110108'],
      ['org-ch', 'Zürich Gießerei AG', 'enterprise', '110108'],
    ]
    const file = path.join(workDir, 'orgs-1252.csv')
    await writeFile(file, csv(orgs, encoderFor('windows-1252')).bytes)
    const refused = await cli('import', 'orgs', file)
    expect(refused.code).toBe(2)
    expect(refused.stderr).toContain('文件编码无法识别：既不是 UTF-8 也不是 GBK')
    expect(refused.stderr).toContain('如第 2 行“M黮ler Pr鋤isionstechnik GmbH”')
    expect(refused.stderr).toContain('未写入任何数据')

    const japanese = csv(
      [
        ['name', 'kind', 'regionCode'],
        ['株式会社日立製作所', 'enterprise', '110108'],
        ['トヨタ自動車株式会社', 'enterprise', '110108'],
      ],
      encoderFor('shift_jis'),
    )
    expect(problemsOf(await importRows('orgs', japanese))).toEqual([
      { row: null, field: '', message: expect.stringContaining('既不是 UTF-8 也不是 GBK') },
    ])
    expect(await prisma.organization.count()).toBe(2)

    // GBK itself, with Latin names (GBK has ü and é) and a rare hanzi in a name, still imports.
    const gbk = csv(
      [
        ['name', 'kind', 'regionCode'],
        ['Müller 精密机械（西安）有限公司', 'enterprise', '610113'],
        ['西安鑫堃科技有限公司', 'enterprise', '610118'],
        ['André Laboratories', 'institute', '110108'],
      ],
      encodeGbk,
    )
    expect(expectOk(await importRows('orgs', gbk)).inserted).toBe(3)
    expect(
      await prisma.organization.count({
        where: { name: { in: ['Müller 精密机械（西安）有限公司', '西安鑫堃科技有限公司'] } },
      }),
    ).toBe(2)
  })

  test('a header of 100,000 columns is refused, naming a few of them', async () => {
    const required = getImportColumns('results').required
    const header = [
      ...required,
      ...Array.from({ length: 50_000 }, () => 'title'),
      ...Array.from({ length: 50_000 }, (_, index) => `column${index + 1}`),
    ]
    const problems = problemsOf(await importRows('results', csv([header])))
    const unknown = Array.from({ length: 20 }, (_, index) => `column${index + 1}`).join('、')
    expect(problems).toEqual([
      {
        row: 1,
        field: '',
        message: expect.stringContaining(`表头有未知的列：${unknown} 等 50000 列（可用的列：`),
      },
      { row: 1, field: '', message: '表头中的列重复：title' },
    ])
  })

  test('each kind of bad value is reported with its row, field and reason', async () => {
    const results = await importRows(
      'results',
      jsonl([
        resultRow(1, { org: '不存在的大学' }),
        resultRow(2, { leadExpert: '查无此人' }),
        resultRow(3, { field: '999' }),
        resultRow(4, { trl: 0 }),
        resultRow(5, { trl: 10 }),
        resultRow(6, { ipType: 'invention_patent', patentNos: ['ZL202310123456.0', 'CN12345'] }),
        resultRow(7, { title: '' }),
        resultRow(8, { externalId: 'result-1' }),
        resultRow(9, { extra: 1 }),
        'not an object',
      ]),
    )
    expect(problemsOf(results)).toEqual([
      {
        row: 1,
        field: 'org',
        message: '所属单位（org）“不存在的大学”不存在：请先导入该单位（orgs），名称须完全一致',
      },
      {
        row: 2,
        field: 'leadExpert',
        message: expect.stringContaining('“查无此人”不是“西安测试大学”的专家'),
      },
      { row: 3, field: 'field', message: '技术领域代码“999”不存在' },
      { row: 4, field: 'trl', message: '技术成熟度（TRL）应为 1–9 的整数' },
      { row: 5, field: 'trl', message: '技术成熟度（TRL）应为 1–9 的整数' },
      {
        row: 6,
        field: 'patentNos',
        message: expect.stringContaining('专利号“ZL202310123456.0”格式不正确'),
      },
      { row: 6, field: 'patentNos', message: expect.stringContaining('专利号“CN12345”格式不正确') },
      { row: 7, field: 'title', message: '请填写成果名称（title）' },
      { row: 8, field: 'externalId', message: '外部编号（externalId）“result-1”与第 1 行重复' },
      { row: 9, field: 'extra', message: '未知字段“extra”，请检查拼写' },
      { row: 10, field: '', message: '每行应为一个 JSON 对象（{…}）' },
    ])

    const needs = await importRows(
      'needs',
      csv([
        [
          'title',
          'description',
          'field',
          'budgetMin',
          'budgetMax',
          'deadline',
          'cooperationModes',
          'org',
        ],
        [
          '动力电池热失控预警',
          '需要一套可在线监测动力电池热失控风险的技术方案。',
          '804',
          '500000',
          '100000',
          '2099-01-01',
          'consulting',
          ENTERPRISE,
        ],
        [
          '动力电池热失控预警',
          '需要一套可在线监测动力电池热失控风险的技术方案。',
          '804',
          '-1',
          '',
          '2020-01-01',
          'consulting',
          ENTERPRISE,
        ],
        [
          '动力电池热失控预警',
          '需要一套可在线监测动力电池热失控风险的技术方案。',
          '804',
          '',
          '',
          '',
          'consulting',
          '查无此企业',
        ],
      ]),
    )
    expect(problemsOf(needs)).toEqual([
      { row: 2, field: 'budgetMax', message: '预算上限不能低于预算下限' },
      { row: 3, field: 'budgetMin', message: '预算下限（budgetMin）不能为负数' },
      { row: 3, field: 'deadline', message: '截止日期不能早于今天' },
      {
        row: 4,
        field: 'org',
        message: expect.stringContaining('发布企业（org）“查无此企业”不存在'),
      },
    ])

    const orgs = await importRows(
      'orgs',
      jsonl([
        {
          name: '新成立的科技公司',
          kind: 'enterprise',
          regionCode: '610113',
          creditCode: BAD_CREDIT_CODE,
        },
        { name: '另一家科技公司', kind: 'company', regionCode: '6101' },
        { externalId: 'org-new', name: UNIVERSITY, kind: 'university', regionCode: '610113' },
      ]),
    )
    expect(problemsOf(orgs)).toEqual([
      { row: 1, field: 'creditCode', message: '统一社会信用代码校验位不正确' },
      { row: 2, field: 'kind', message: expect.stringContaining('单位类型（kind）应为') },
      { row: 2, field: 'regionCode', message: '区县代码应为 6 位数字' },
      {
        row: 3,
        field: 'name',
        message: expect.stringContaining(`单位名称（name）“${UNIVERSITY}”已被另一家单位`),
      },
    ])

    const deals = await importRows(
      'deals',
      jsonl([
        { contractType: 'service', sellerOrg: UNIVERSITY, buyerOrg: UNIVERSITY, status: 'intent' },
        {
          contractType: 'service',
          sellerOrg: UNIVERSITY,
          buyerOrg: ENTERPRISE,
          contractAmount: 10,
          status: 'intent',
          result: 'nope',
          broker: 'nobody@example.com',
        },
      ]),
    )
    expect(problemsOf(deals)).toEqual([
      { row: 1, field: 'contractAmount', message: '请填写合同金额（contractAmount）' },
      { row: 1, field: 'buyerOrg', message: '买方单位与卖方单位不能是同一家单位' },
      {
        row: 2,
        field: 'result',
        message: expect.stringContaining('关联成果（result）“nope”不存在'),
      },
      { row: 2, field: 'broker', message: '技术经纪人（broker）账号 nobody@example.com 不存在' },
    ])

    const after = await snapshot()
    expect(after).toMatchObject({ results: 0, needs: 0, deals: 0, orgs: 2, outbox: 0 })
  })

  test('random rows of every kind get a report or an import, never a crash', async () => {
    const plausible = fc.constantFrom(
      UNIVERSITY,
      ENTERPRISE,
      '王教授',
      'expert-wang',
      '804',
      '80',
      '5',
      'license;transfer',
      'university',
      'enterprise',
      'service',
      'intent',
      '610113',
      '2099-01-01',
      '2020-01-01',
      PATENT,
      CREDIT_CODES[2]!,
      '一种可规模化制备的固态电解质薄膜，离子电导率高，适用于动力电池。',
    )
    const scalar = fc.oneof(
      plausible,
      fc.string(),
      fc.string({ unit: 'binary' }),
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
    )
    const value = fc.oneof(
      { weight: 4, arbitrary: scalar },
      { weight: 1, arbitrary: fc.array(scalar, { maxLength: 3 }) },
      { weight: 1, arbitrary: fc.object({ maxDepth: 1 }) },
    )

    // Valid rows of each kind, so that random values also reach the writing path: a row is
    // either pure noise or a valid row with some fields replaced by noise.
    const validRows: Record<ImportKind, Record<string, unknown>> = {
      orgs: { name: '随机测试单位', kind: 'enterprise', regionCode: '610113' },
      experts: { name: '随机专家', org: UNIVERSITY, fields: ['804'] },
      results: { ...resultRow(0), externalId: undefined },
      needs: {
        title: '动力电池热失控预警',
        description: '需要一套可在线监测动力电池热失控风险的技术方案，能给出预警。',
        field: '804',
        cooperationModes: ['consulting'],
        org: ENTERPRISE,
      },
      deals: {
        contractType: 'service',
        sellerOrg: UNIVERSITY,
        buyerOrg: ENTERPRISE,
        contractAmount: 10_000,
        status: 'intent',
      },
    }
    let written = 0

    for (const kind of IMPORT_KINDS) {
      const columns = getImportColumns(kind).all
      const noise = fc.record(Object.fromEntries(columns.map((column) => [column, value])), {
        requiredKeys: [],
      })
      // A valid row with at most two fields replaced, so that a good share passes.
      const damage = fc
        .array(fc.tuple(fc.constantFrom(...columns), value), { maxLength: 2 })
        .map((entries) => ({ ...validRows[kind], ...Object.fromEntries(entries) }))
      const row = fc.oneof({ weight: 1, arbitrary: noise }, { weight: 3, arbitrary: damage })
      const line = fc.oneof({ weight: 8, arbitrary: row }, { weight: 1, arbitrary: fc.anything() })
      await fc.assert(
        fc.asyncProperty(
          fc.array(line, { minLength: 1, maxLength: 4 }),
          fc.boolean(),
          async (lines, asCsv) => {
            const before = await snapshot()
            const source = asCsv
              ? csv([
                  columns,
                  ...lines.map((item) =>
                    columns.map((column) => {
                      const cell =
                        typeof item === 'object' && item !== null
                          ? (item as Record<string, unknown>)[column]
                          : item
                      return Array.isArray(cell) ? cell.map(toCell).join(';') : toCell(cell)
                    }),
                  ),
                ])
              : {
                  format: 'jsonl' as const,
                  bytes: new TextEncoder().encode(
                    lines.map((item) => JSON.stringify(item) ?? '').join('\n'),
                  ),
                }
            const outcome = await importRows(kind, source)
            if (outcome.ok) {
              expect(outcome.inserted + outcome.updated + outcome.unchanged).toBe(outcome.rows)
              written += outcome.inserted + outcome.updated
            } else {
              expect(outcome.problems.length).toBeGreaterThan(0)
              expect(await snapshot()).toEqual(before)
            }
          },
        ),
        { numRuns: 50 },
      )
    }
    // The property must have reached the writing path, not only the reports.
    expect(written).toBeGreaterThan(0)
  }, 300_000)
})
