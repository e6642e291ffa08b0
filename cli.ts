import { Command, InvalidArgumentError, Option } from 'commander'

import type { RunningDatabase } from '~/utils/database.server'
import { EnvError, parseEnv } from '~/utils/env.server'

// Results go to stdout (a token, a summary) for scripts to read, so logs go to stderr, and
// only warnings unless LOG_LEVEL asks for more. Set before any module creates the logger:
// everything that logs is imported dynamically below.
process.env.LOG_DESTINATION = 'stderr'
process.env.LOG_LEVEL ||= 'warn'

/** Exit codes: 0 done, 1 failed, 2 the input was invalid (nothing was written). */
export const EXIT_INVALID_INPUT = 2

class CliInputError extends Error {}

let database: RunningDatabase | undefined

/**
 * Joins the database the server uses (the same DATA_DIR or DATABASE_URL, so it works after
 * one plain `npm start`), or starts the embedded one itself on an empty data directory, and
 * migrates it; every command that touches data calls this. Nothing here needs
 * SESSION_SECRET: the session cookie is only built when a request needs one.
 */
async function openDatabase() {
  const env = parseEnv()
  const { startDatabase } = await import('~/utils/database.server')
  const { applyMigrations } = await import('~/utils/migrate.server')
  database = await startDatabase({
    databaseUrl: env.DATABASE_URL,
    dataDir: env.DATA_DIR,
    shareRunning: true,
  })
  process.env.DATABASE_URL = database.url
  await applyMigrations(database.url)
}

async function closeDatabase() {
  const { prisma } = await import('~/utils/db.server')
  await prisma.$disconnect()
  await database?.stop()
}

function positiveInt(value: string) {
  const parsed = Number(value)
  if (!Number.isInteger(parsed) || parsed <= 0) throw new InvalidArgumentError('应为正整数')
  return parsed
}

const program = new Command()
  .name('npm run cli --')
  .description('西安科技大市场命令行工具：账号、令牌、演示数据、导入、搜索索引、匹配与统计')
  .showHelpAfterError('（使用 --help 查看用法）')
  .configureOutput({ writeErr: (text) => process.stderr.write(text) })

const user = program.command('user').description('管理账号')
user
  .command('create')
  .description('创建账号（技术经纪人、科技局、管理员账号只能由此创建）')
  .requiredOption('--email <email>', '登录邮箱')
  .requiredOption('--password <password>', '初始密码（至少 8 位，含字母和数字）')
  .requiredOption('--name <name>', '姓名')
  .addOption(
    new Option('--role <role>', '角色')
      .choices(['enterprise', 'researcher', 'broker', 'bureau', 'admin'])
      .makeOptionMandatory(),
  )
  .option('--org <name>', '所属单位名称（须已存在）')
  .action(
    async (options: {
      email: string
      password: string
      name: string
      role: string
      org?: string
    }) => {
      const { z } = await import('zod')
      const { emailSchema, passwordSchema, displayNameSchema } =
        await import('~/validation/account')
      const parsed = z
        .object({ email: emailSchema, password: passwordSchema, name: displayNameSchema })
        .safeParse(options)
      if (!parsed.success) {
        throw new CliInputError(
          parsed.error.issues
            .map((issue) => `--${issue.path.join('.')}: ${issue.message}`)
            .join('\n'),
        )
      }
      await openDatabase()
      try {
        const { prisma } = await import('~/utils/db.server')
        const { createUser } = await import('~/models/user.server')
        let orgId: string | null = null
        if (options.org) {
          const org = await prisma.organization.findUnique({
            where: { name: options.org },
            select: { id: true },
          })
          if (!org) throw new CliInputError(`--org: 单位“${options.org}”不存在`)
          orgId = org.id
        } else if (options.role === 'enterprise' || options.role === 'researcher') {
          throw new CliInputError('--org: 企业和科研人员账号必须指定所属单位')
        }
        const existing = await prisma.user.findUnique({
          where: { email: parsed.data.email },
          select: { id: true },
        })
        if (existing) throw new CliInputError(`--email: ${parsed.data.email} 已被注册`)
        const created = await createUser({
          email: parsed.data.email,
          password: parsed.data.password,
          displayName: parsed.data.name,
          role: options.role as 'enterprise',
          orgId,
        })
        process.stdout.write(`已创建账号 ${created.email}（${created.role}）\n`)
      } finally {
        await closeDatabase()
      }
    },
  )

const token = program.command('token').description('管理 API 访问令牌')
token
  .command('create')
  .description('为账号签发 API 令牌；令牌只显示这一次')
  .requiredOption('--email <email>', '令牌所属账号的邮箱')
  .requiredOption('--name <name>', '令牌用途说明')
  .option('--expires-days <days>', '有效天数（默认不过期）', positiveInt)
  .action(async (options: { email: string; name: string; expiresDays?: number }) => {
    await openDatabase()
    try {
      const { prisma } = await import('~/utils/db.server')
      const { createApiToken } = await import('~/models/api-token.server')
      const owner = await prisma.user.findUnique({
        where: { email: options.email.trim().toLowerCase() },
        select: { id: true },
      })
      if (!owner) throw new CliInputError(`--email: 账号 ${options.email} 不存在`)
      const expiresAt = options.expiresDays
        ? new Date(Date.now() + options.expiresDays * 86_400_000)
        : null
      const { token: secret } = await createApiToken({
        userId: owner.id,
        name: options.name.slice(0, 100),
        expiresAt,
      })
      process.stdout.write(`${secret}\n`)
      process.stderr.write('请妥善保存上面的令牌：平台只保存其摘要，无法再次查看。\n')
    } finally {
      await closeDatabase()
    }
  })

program
  .command('seed')
  .description('写入演示数据；加 --results N 时另行生成 N 条科技成果（用于性能测试）')
  .option('--results <count>', '额外生成的科技成果条数', positiveInt)
  .option('--seed <number>', '随机种子（相同种子生成相同数据）', positiveInt)
  .action(async (options: { results?: number; seed?: number }) => {
    await openDatabase()
    try {
      const { seedDemoIfEmpty, seedBenchmarkResults } = await import('./seeds/seed.server')
      const seeded = await seedDemoIfEmpty({ seed: options.seed })
      process.stderr.write(seeded ? '已写入演示数据。\n' : '数据库已有数据，跳过演示数据。\n')
      if (options.results) {
        const { createProgressBar } = await import('~/utils/progress')
        const bar = createProgressBar('生成科技成果', options.results)
        const written = await seedBenchmarkResults(options.results, {
          seed: options.seed,
          onProgress: bar.update,
        })
        bar.done()
        process.stderr.write(`已生成 ${written} 条科技成果。\n`)
      }
    } finally {
      await closeDatabase()
    }
  })

program
  .command('import')
  .description(
    '批量导入 JSON Lines 或 CSV 文件：先校验全部行，任何一行有误则不写入任何数据、列出问题并以退出码 2 结束；' +
      '按 externalId 更新已有记录，重复导入同一文件不会产生任何改动',
  )
  .argument(
    '<kind>',
    '数据类别：orgs（单位）、experts（专家）、results（科技成果）、needs（技术需求）、deals（技术合同）',
  )
  .argument('<file>', '.jsonl 或 .csv 文件（UTF-8 或 GBK 编码）')
  .option('--dry-run', '只校验，不写入')
  .action(async (kind: string, file: string, options: { dryRun?: boolean }) => {
    const kinds = ['orgs', 'experts', 'results', 'needs', 'deals'] as const
    const known = kinds.find((candidate) => candidate === kind)
    if (!known) {
      throw new CliInputError(`<kind>: 应为 ${kinds.join('、')} 之一，而不是“${kind}”`)
    }
    const { existsSync } = await import('node:fs')
    if (!existsSync(file)) throw new CliInputError(`<file>: 文件不存在：${file}`)
    await openDatabase()
    try {
      const { importFile, formatImportProblems, formatImportSummary } =
        await import('~/models/import.server')
      const { createProgressBar } = await import('~/utils/progress')
      const labels = { validate: '校验', write: '写入' }
      let phase: keyof typeof labels | undefined
      let bar: ReturnType<typeof createProgressBar> | undefined
      let outcome: Awaited<ReturnType<typeof importFile>>
      try {
        outcome = await importFile(known, file, {
          dryRun: options.dryRun,
          onProgress: (next, done, total) => {
            if (next !== phase) {
              bar?.done()
              phase = next
              bar = createProgressBar(labels[next], total)
            }
            bar?.update(done)
          },
        })
      } finally {
        // Also when the import fails: a bar left running would keep redrawing over the error.
        bar?.done()
      }
      if (!outcome.ok) {
        process.stderr.write(formatImportProblems(outcome.problems))
        throw new CliInputError(formatImportSummary(outcome))
      }
      process.stdout.write(`${formatImportSummary(outcome)}\n`)
    } finally {
      await closeDatabase()
    }
  })

program
  .command('digest')
  .description(
    '发出每日通知摘要：有新的未读通知的用户各收到一封（设置 SMTP_URL 时发邮件，开发环境写入日志；服务器每天 8:00 自动执行）',
  )
  .action(async () => {
    await openDatabase()
    try {
      const { sendNotificationDigests } = await import('~/models/digest.server')
      const outcome = await sendNotificationDigests()
      process.stdout.write(
        outcome.skipped
          ? '另一个进程正在发送通知摘要，本次未执行\n'
          : `通知摘要：${outcome.users} 位用户，发出邮件 ${outcome.sent} 封，写入日志 ${outcome.logged} 条，发送失败 ${outcome.failed} 封\n`,
      )
      if (outcome.failed > 0) process.exitCode = 1
    } finally {
      await closeDatabase()
    }
  })

program
  .command('expire')
  .description('让超过有效期、未再确认的科技成果和技术需求下线（服务器每小时自动执行一次）')
  .action(async () => {
    await openDatabase()
    try {
      const { expireStaleListings } = await import('~/models/listing.server')
      const expired = await expireStaleListings()
      process.stdout.write(
        `已下线过期信息：科技成果 ${expired.result} 项，技术需求 ${expired.need} 项\n`,
      )
    } finally {
      await closeDatabase()
    }
  })

/** The search host of a CLI run: the same engine and snapshot as the server's. */
async function openSearch() {
  const os = await import('node:os')
  const { createConfiguredEngine, createSearchHost, snapshotFileIn } =
    await import('~/models/search.server')
  return createSearchHost({
    engine: createConfiguredEngine({ threads: Math.min(2, os.availableParallelism()) }),
    snapshotFile: snapshotFileIn(parseEnv().DATA_DIR),
  })
}

/**
 * Index work with a progress bar, shown once the total is known and closed however the work
 * ends (a bar left running would keep redrawing over an error).
 */
async function withIndexProgress(
  work: (onProgress: (done: number, total: number) => void) => Promise<unknown>,
) {
  const { createProgressBar } = await import('~/utils/progress')
  let bar: ReturnType<typeof createProgressBar> | undefined
  try {
    await work((done, total) => {
      bar ??= createProgressBar('建立索引', total)
      bar.update(done)
    })
  } finally {
    bar?.done()
  }
}

program
  .command('reindex')
  .description('从数据库重建搜索索引（带进度条）；运行中的服务器随即载入新索引')
  .action(async () => {
    await openDatabase()
    const host = await openSearch()
    try {
      await withIndexProgress((onProgress) => host.reindex(onProgress))
      const { publishEvent } = await import('~/models/events.server')
      await publishEvent({ type: 'search:rebuilt' })
      const status = await host.status()
      const { results, needs, experts } = status.documents
      process.stdout.write(
        `搜索索引已重建（${status.engine}）：科技成果 ${results} 项，技术需求 ${needs} 项，专家 ${experts} 位\n`,
      )
    } finally {
      await host.stop()
      await closeDatabase()
    }
  })

program
  .command('match')
  .description('为一项需求匹配科技成果和专家，列出得分与理由')
  .requiredOption(
    '--need-file <file>',
    'JSON 文件：{"title", "description", "field"?, "keywords"?, "budgetMax"?（元）}',
  )
  .option('--top <count>', '每类列出的条数（默认 10）', positiveInt, 10)
  .option('--json', '以 JSON 输出')
  .action(async (options: { needFile: string; top: number; json?: boolean }) => {
    const { readFile } = await import('node:fs/promises')
    let body: unknown
    try {
      body = JSON.parse(await readFile(options.needFile, 'utf8'))
    } catch (error) {
      const reason =
        (error as NodeJS.ErrnoException).code === 'ENOENT' ? '文件不存在' : '不是有效的 JSON'
      throw new CliInputError(`--need-file: ${reason}：${options.needFile}`)
    }
    const { matchRequestSchema } = await import('~/validation/search')
    const parsed = matchRequestSchema.safeParse(body)
    if (!parsed.success) {
      throw new CliInputError(
        parsed.error.issues
          .map((issue) => `${issue.path.join('.') || '需求'}：${issue.message}`)
          .join('\n'),
      )
    }
    await openDatabase()
    const host = await openSearch()
    try {
      await withIndexProgress((onProgress) => host.prepare(onProgress))
      const { setSearchHost } = await import('~/models/search.server')
      const { matchNeedText } = await import('~/models/matching.server')
      setSearchHost(host)
      const need = parsed.data
      const outcome = await matchNeedText(
        {
          title: need.title,
          description: need.description,
          fieldCode: need.field,
          keywords: need.keywords,
          budgetMax: need.budgetMax,
        },
        options.top,
      )
      if (outcome.state !== 'ready') throw new Error('搜索服务不可用，未能匹配')
      const { results, experts } = outcome
      if (options.json) {
        process.stdout.write(`${JSON.stringify({ results, experts }, null, 2)}\n`)
        return
      }
      const { describeMatchReasons } = await import('~/utils/labels')
      for (const [title, matches] of [
        ['科技成果', results],
        ['专家', experts],
      ] as const) {
        process.stdout.write(`\n${title}（${matches.length}）\n`)
        matches.forEach((match, index) => {
          process.stdout.write(
            `${String(index + 1).padStart(2)}. ${(match.score * 100).toFixed(0).padStart(3)}%  ${match.title}（${match.orgName}）\n` +
              `      ${describeMatchReasons(match.reasons).join('；')}\n`,
          )
        })
      }
    } finally {
      await host.stop()
      await closeDatabase()
    }
  })

program
  .command('stats')
  .description(
    '技术合同统计：成交额、技术交易额、输出与吸纳、就地转化率，及按合同类别的分解（与统计看板、API 同一口径）',
  )
  .option('--year <year>', '年份（默认本年）')
  .option('--quarter <quarter>', '季度 1–4')
  .option('--month <month>', '月份 1–12')
  .option('--scope <scope>', '本地范围：city 西安市（默认）或 province 陕西省')
  .option('--json', '以 JSON 输出')
  .action(
    async (options: {
      year?: string
      quarter?: string
      month?: string
      scope?: string
      json?: boolean
    }) => {
      const { statsQuerySchema, toStatFilters } = await import('~/validation/statistics')
      const { json, ...query } = options
      const parsed = statsQuerySchema.safeParse(query)
      if (!parsed.success) {
        throw new CliInputError(
          parsed.error.issues
            .map(
              (issue) => (issue.path.length ? `--${issue.path.join('.')}：` : '') + issue.message,
            )
            .join('\n'),
        )
      }
      await openDatabase()
      try {
        const { getBreakdown, getFigures } = await import('~/models/stats.server')
        const { currentYear } = await import('~/domain/statistics')
        const filters = toStatFilters(parsed.data, currentYear())
        const [figures, contractTypes] = await Promise.all([
          getFigures(filters),
          getBreakdown(filters, 'contractType'),
        ])
        if (json) {
          process.stdout.write(
            `${JSON.stringify({ filters, figures, breakdowns: { contractType: contractTypes } }, null, 2)}\n`,
          )
          return
        }
        const { formatPercent, formatWan } = await import('~/utils/labels')
        const { LOCALITY_SCOPES } = await import('~/domain/statistics')
        const { period, scope } = filters
        const wan = (yuan: number) => `${formatWan(yuan)} 万元`
        const { conversion } = figures
        process.stdout.write(
          [
            `${period.from} 至 ${period.to}（本地：${LOCALITY_SCOPES[scope].label}）`,
            `技术合同成交额  ${wan(figures.contractAmount)}（${figures.count} 份）`,
            `技术交易额      ${wan(figures.techTransactionAmount)}`,
            `输出（卖方在本地）  ${wan(figures.output.amount)}（${figures.output.count} 份）`,
            `吸纳（买方在本地）  ${wan(figures.absorbed.amount)}（${figures.absorbed.count} 份）`,
            `科技成果就地转化率  按金额 ${formatPercent(conversion.byValue)}，按份数 ${formatPercent(conversion.byCount)}` +
              `（本地高校院所卖出 ${conversion.totalCount} 份，其中本地买方 ${conversion.localCount} 份）`,
            '',
            '按合同类别',
            ...(contractTypes.length === 0
              ? ['  （本期没有登记的技术合同）']
              : contractTypes.map(
                  (row) => `  ${row.label}  ${wan(row.contractAmount)}（${row.count} 份）`,
                )),
            '',
          ].join('\n'),
        )
      } finally {
        await closeDatabase()
      }
    },
  )

program
  .command('migrate')
  .description('执行尚未执行的数据库迁移')
  .action(async () => {
    await openDatabase()
    await closeDatabase()
    process.stderr.write('数据库已是最新结构。\n')
  })

program.parseAsync(process.argv).catch(async (error: unknown) => {
  await database?.stop().catch(() => {})
  if (error instanceof CliInputError || error instanceof EnvError) {
    process.stderr.write(`${error.message}\n`)
    process.exit(EXIT_INVALID_INPUT)
  }
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`)
  process.exit(1)
})
