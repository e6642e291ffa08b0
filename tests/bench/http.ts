// Page throughput: starts the real server (production build, demo data) and measures
// requests/s and p50/p99 latency of the home page, a list page, a detail page and a logged-in
// workbench at 50 and 200 connections, with `/healthz` (no database, no React) measured in the
// same run as the baseline of what the process can do at all. Uses a throwaway database: a new
// one on DATABASE_URL's server when that is set, otherwise an embedded PostgreSQL in a
// temporary directory.
//
//   npm run bench:http                 (BENCH_SECONDS=5 npm run bench:http for a quick run)
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

import autocannon from 'autocannon'
import pg from 'pg'

import { freePort } from '../setup/processes'

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10)
const CONNECTIONS = [50, 200] as const
const TARGET_RPS = 300
const TARGET_P99_MS = 250

function log(message: string) {
  process.stderr.write(`${message}\n`)
}

async function throwawayDatabase() {
  const serverUrl = process.env.DATABASE_URL
  if (!serverUrl) return { url: undefined, label: '嵌入式 PostgreSQL', drop: async () => {} }
  const name = `xm_bench_http_${randomBytes(4).toString('hex')}`
  const admin = new pg.Client({ connectionString: serverUrl })
  await admin.connect()
  await admin.query(`CREATE DATABASE "${name}"`)
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    label: 'DATABASE_URL 所在服务器',
    drop: async () => {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
      await admin.end()
    },
  }
}

async function startServer(port: number, dataDir: string, databaseUrl: string | undefined) {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    DEMO_SEED: '1',
    SESSION_SECRET: randomBytes(32).toString('hex'),
    LOG_LEVEL: 'warn',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    ...(process.env.WEB_CONCURRENCY ? { WEB_CONCURRENCY: process.env.WEB_CONCURRENCY } : {}),
  }
  const child = spawn(path.resolve('node_modules/.bin/tsx'), ['server.ts'], {
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let output = ''
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const baseUrl = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 120_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`服务器启动失败：\n${output}`)
    const ready = await fetch(`${baseUrl}/healthz`).then(
      (response) => response.ok,
      () => false,
    )
    if (ready) break
    if (Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error(`服务器 120 秒内未就绪：\n${output}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  return {
    baseUrl,
    stop: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      await exited
    },
  }
}

async function signIn(baseUrl: string) {
  const response = await fetch(`${baseUrl}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { Origin: baseUrl, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email: 'enterprise@demo.local', password: 'Demo@2026' }),
  })
  const cookie = response.headers.get('set-cookie')?.split(';')[0]
  if (response.status !== 302 || !cookie) throw new Error(`演示账号登录失败：${response.status}`)
  return cookie
}

async function firstResultPath(baseUrl: string) {
  const html = await (await fetch(`${baseUrl}/results`)).text()
  const match = /href="(\/results\/[a-z0-9]{20,})"/.exec(html)
  if (!match?.[1]) throw new Error('成果列表中没有找到详情链接')
  return match[1]
}

interface Figure {
  page: string
  connections: number
  rps: number
  p50: number
  p99: number
  non2xx: number
  errors: number
  status5xx: number
}

async function measure(
  page: string,
  url: string,
  connections: number,
  headers: Record<string, string> = {},
): Promise<Figure> {
  const run = (duration: number) =>
    autocannon({ url, connections, duration, headers, timeout: 10 }) as Promise<autocannon.Result>
  await run(2) // warm-up: JIT, caches, pool connections
  const result = await run(SECONDS)
  return {
    page,
    connections,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    status5xx: result['5xx'],
  }
}

function verdict(figure: Figure, baseline: boolean) {
  if (baseline) return '基线'
  if (figure.connections === 50) {
    return figure.rps >= TARGET_RPS && figure.p99 <= TARGET_P99_MS && figure.status5xx === 0
      ? '达标'
      : '未达标'
  }
  return figure.status5xx === 0 && figure.errors === 0 ? '达标' : '未达标'
}

async function main() {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'xm-bench-http-'))
  const database = await throwawayDatabase()
  const server = await startServer(await freePort(), dataDir, database.url)
  try {
    const { baseUrl } = server
    const cookie = await signIn(baseUrl)
    const pages: [string, string, Record<string, string>?][] = [
      ['/healthz（基线）', `${baseUrl}/healthz`],
      ['首页 /', `${baseUrl}/`],
      ['列表 /results', `${baseUrl}/results`],
      ['详情 /results/:id', `${baseUrl}${await firstResultPath(baseUrl)}`],
      ['企业工作台（已登录）', `${baseUrl}/workbench`, { Cookie: cookie }],
    ]
    log(
      `bench:http：${database.label}，每项 ${SECONDS} 秒（另加 2 秒预热），` +
        `${os.cpus().length} 核，WEB_CONCURRENCY=${process.env.WEB_CONCURRENCY ?? '默认'}`,
    )
    const figures: Figure[] = []
    for (const connections of CONNECTIONS) {
      for (const [page, url, headers] of pages) {
        const figure = await measure(page, url, connections, headers)
        figures.push(figure)
        log(
          `  ${connections} 连接 ${page}：${figure.rps.toFixed(0)} 请求/秒，` +
            `p50 ${figure.p50} ms，p99 ${figure.p99} ms，非 2xx ${figure.non2xx}`,
        )
      }
    }
    const rows = figures.map((figure) => [
      figure.page,
      String(figure.connections),
      figure.rps.toFixed(0),
      String(figure.p50),
      String(figure.p99),
      String(figure.non2xx),
      String(figure.status5xx),
      String(figure.errors),
      verdict(figure, figure.page.startsWith('/healthz')),
    ])
    const header = ['页面', '连接', '请求/秒', 'p50 ms', 'p99 ms', '非 2xx', '5xx', '错误', '结论']
    process.stdout.write(
      [header, ...rows].map((row) => `| ${row.join(' | ')} |`).join('\n') +
        `\n\n目标：50 连接时每个页面 ≥ ${TARGET_RPS} 请求/秒且 p99 ≤ ${TARGET_P99_MS} ms；` +
        `200 连接时没有 5xx。\n`,
    )
  } finally {
    await server.stop()
    await database.drop()
    await rm(dataDir, { recursive: true, force: true })
  }
}

main().catch((error: unknown) => {
  log(error instanceof Error ? (error.stack ?? error.message) : String(error))
  process.exit(1)
})
