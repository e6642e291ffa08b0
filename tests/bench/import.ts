// Times the bulk importer on 100,000 generated results (JSON Lines and CSV): a dry run, the
// import, and a second run of the same file that must change nothing. As the baseline, the
// naive importer (one Prisma upsert per row) runs on a 2,000-row slice in the same database,
// extrapolated per row. Uses a throwaway database: a new one on DATABASE_URL's server when
// that is set, otherwise an embedded PostgreSQL in a temporary directory.
//
//   npm run bench:import            (BENCH_ROWS=20000 npm run bench:import for a quick run)
import { randomBytes } from 'node:crypto'
import { mkdir, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

import pg from 'pg'

import { LISTING_TTL_DAYS } from '../../app/domain/constants'
import { formatCsvRow } from '../../app/utils/tabular'
import { generateDemoData, generateResults, type ResultSeed } from '../../seeds/generator'

const ROWS = Number(process.env.BENCH_ROWS ?? 100_000)
const NAIVE_ROWS = 2_000
const RESULT_COLUMNS = [
  'externalId',
  'title',
  'summary',
  'description',
  'field',
  'keywords',
  'trl',
  'ipType',
  'patentNos',
  'transferModes',
  'askingPrice',
  'org',
  'leadExpert',
] as const

type ImportRow = Record<(typeof RESULT_COLUMNS)[number], unknown>

interface Figure {
  step: string
  rows: number
  seconds: number
  note?: string
}

function log(message: string) {
  process.stderr.write(`${message}\n`)
}

async function openBenchDatabase(dataDir: string) {
  const serverUrl = process.env.DATABASE_URL
  if (!serverUrl) {
    const { startDatabase } = await import('../../app/utils/database.server')
    const database = await startDatabase({ dataDir, databaseName: 'bench' })
    return { url: database.url, label: '嵌入式 PostgreSQL 18', close: () => database.stop() }
  }
  // Never write 200,000 benchmark rows into someone's database: make a throwaway one beside it.
  const name = `xm_bench_${randomBytes(4).toString('hex')}`
  const admin = new pg.Client({ connectionString: serverUrl })
  await admin.connect()
  await admin.query(`CREATE DATABASE "${name}"`)
  const version = await admin.query<{ server_version: string }>('SHOW server_version')
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    label: `DATABASE_URL 所在服务器（PostgreSQL ${version.rows[0]?.server_version ?? '?'}）`,
    close: async () => {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
      await admin.end()
    },
  }
}

/** A generated result in the import row format of DESIGN.md. */
function toImportRow(result: ResultSeed, orgNames: Map<string, string>): ImportRow {
  return {
    externalId: result.externalId,
    title: result.title,
    summary: result.summary,
    description: result.description,
    field: result.fieldCode,
    keywords: result.keywords,
    trl: result.trl,
    ipType: result.ipType ?? undefined,
    patentNos: result.patentNos,
    transferModes: result.transferModes,
    askingPrice: result.askingPrice ?? undefined,
    org: orgNames.get(result.orgExternalId),
    // Demo experts are seeded with their externalIds, which the importer resolves first.
    leadExpert: result.leadExpertExternalId ?? undefined,
  }
}

function toCsvLine(row: ImportRow) {
  return formatCsvRow(
    RESULT_COLUMNS.map((column) => {
      const value = row[column]
      if (value === undefined || value === null) return ''
      return Array.isArray(value) ? value.join(';') : String(value)
    }),
  )
}

function generateRows(count: number, prefix: string, seed: number) {
  const context = generateDemoData()
  const orgNames = new Map(context.organizations.map((org) => [org.externalId, org.name]))
  return Array.from(generateResults(count, context, { seed, externalIdPrefix: prefix }), (result) =>
    toImportRow(result, orgNames),
  )
}

async function time<T>(work: () => Promise<T>) {
  const startedAt = performance.now()
  const value = await work()
  return { value, seconds: (performance.now() - startedAt) / 1000 }
}

async function main() {
  // The table is the output; the app's info logs (database start, demo seed) would bury it.
  process.env.LOG_LEVEL ||= 'warn'
  // Directly under the temporary directory: the embedded server runs as the `postgres` user,
  // who must be able to reach it (a mkdtemp directory is private to its creator).
  const dataDir = path.join(os.tmpdir(), `xm-bench-import-${randomBytes(4).toString('hex')}`)
  await mkdir(dataDir, { recursive: true })
  const database = await openBenchDatabase(dataDir)
  const cleanUp = async () => {
    await database.close()
    await rm(dataDir, { recursive: true, force: true })
  }
  // An interrupted run must not leave a PostgreSQL server and 300 MB of files behind.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      log('已中断，正在清理临时数据库……')
      void cleanUp().finally(() => process.exit(130))
    })
  }
  const figures: Figure[] = []
  try {
    process.env.DATABASE_URL = database.url
    const { applyMigrations } = await import('../../app/utils/migrate.server')
    await applyMigrations(database.url)
    // Loaded only now: the Prisma client reads DATABASE_URL when its module is first imported.
    const { seedDemoIfEmpty } = await import('../../seeds/seed.server')
    const { importFile } = await import('../../app/models/import.server')
    const { prisma } = await import('../../app/utils/db.server')
    const { importSchemas } = await import('../../app/validation/listings')
    await seedDemoIfEmpty()
    log(`数据库：${database.label}；生成 ${ROWS} 条科技成果……`)

    const jsonlFile = path.join(dataDir, 'results.jsonl')
    const csvFile = path.join(dataDir, 'results.csv')
    // Different externalIds, so that the CSV import inserts rather than finds the JSONL rows.
    await writeFile(
      jsonlFile,
      generateRows(ROWS, 'bench-jsonl-', 1)
        .map((row) => JSON.stringify(row))
        .join('\n'),
    )
    await writeFile(
      csvFile,
      [RESULT_COLUMNS.join(','), ...generateRows(ROWS, 'bench-csv-', 2).map(toCsvLine)].join(
        '\r\n',
      ),
    )

    for (const [format, file] of [
      ['JSONL', jsonlFile],
      ['CSV', csvFile],
    ] as const) {
      for (const [step, dryRun] of [
        ['校验（--dry-run）', true],
        ['导入（全部新增）', false],
        ['再次导入（无改动）', false],
      ] as const) {
        log(`${format} ${step}……`)
        const { value, seconds } = await time(() => importFile('results', file, { dryRun }))
        if (!value.ok) throw new Error(`基准数据未通过校验：${JSON.stringify(value.problems[0])}`)
        figures.push({
          step: `${format} ${step}`,
          rows: value.rows,
          seconds,
          note: dryRun
            ? undefined
            : `新增 ${value.inserted}，更新 ${value.updated}，未变 ${value.unchanged}`,
        })
      }
    }

    // The baseline: what a straightforward importer does, one row at a time, still validated
    // and still all-or-nothing in one transaction.
    log(`逐行 Prisma upsert（${NAIVE_ROWS} 行）……`)
    const naiveRows = generateRows(NAIVE_ROWS, 'bench-naive-', 3)
    const naive = await time(() =>
      prisma.$transaction(
        async (tx) => {
          for (const row of naiveRows) {
            const data = importSchemas.results.parse(row)
            const org = await tx.organization.findUniqueOrThrow({
              where: { name: data.org },
              select: { id: true },
            })
            const lead = data.leadExpert
              ? await tx.expert.findFirst({
                  where: {
                    orgId: org.id,
                    OR: [{ externalId: data.leadExpert }, { name: data.leadExpert }],
                  },
                  select: { id: true },
                })
              : null
            const fields = {
              title: data.title,
              summary: data.summary,
              description: data.description ?? null,
              fieldCode: data.field,
              keywords: data.keywords,
              trl: data.trl,
              ipType: data.ipType ?? null,
              patentNos: data.patentNos,
              transferModes: data.transferModes,
              askingPrice: data.askingPrice ?? null,
              orgId: org.id,
              leadExpertId: lead?.id ?? null,
            }
            const now = new Date()
            const saved = await tx.result.upsert({
              where: { externalId: data.externalId },
              create: {
                ...fields,
                externalId: data.externalId,
                status: 'published',
                publishedAt: now,
                confirmedAt: now,
                expiresAt: new Date(now.getTime() + LISTING_TTL_DAYS * 86_400_000),
              },
              update: fields,
              select: { id: true },
            })
            await tx.searchOutbox.create({
              data: { entity: 'result', entityId: saved.id, op: 'upsert' },
            })
          }
        },
        { timeout: 30 * 60_000 },
      ),
    )
    figures.push({
      step: '对照：逐行 Prisma upsert',
      rows: NAIVE_ROWS,
      seconds: naive.seconds,
      note: `折算 ${ROWS} 行约 ${Math.round((naive.seconds / NAIVE_ROWS) * ROWS)} 秒`,
    })
    await prisma.$disconnect()

    const lines = [
      `\n批量导入基准：${ROWS} 条科技成果，${os.cpus().length} 核，${database.label}\n`,
      '| 步骤 | 行数 | 秒 | 行/秒 | 说明 |',
      '| --- | ---: | ---: | ---: | --- |',
      ...figures.map(
        (figure) =>
          `| ${figure.step} | ${figure.rows} | ${figure.seconds.toFixed(1)} | ` +
          `${Math.round(figure.rows / figure.seconds)} | ${figure.note ?? ''} |`,
      ),
    ]
    process.stdout.write(`${lines.join('\n')}\n`)
  } finally {
    await cleanUp()
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  )
  process.exitCode = 1
})
