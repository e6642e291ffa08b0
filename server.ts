import cluster, { type Worker } from 'node:cluster'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'

import type { ServerBuild } from '@remix-run/node'

// Types only: the model is loaded once the database is up, since it creates the Prisma client.
import type * as DigestModel from '~/models/digest.server'
import { connectRedis, RedisUnavailableError } from '~/realtime/redis-adapter.server'
import { installProcessSafety } from '~/server/process-safety.server'
import {
  DatabaseUnavailableError,
  startDatabase,
  type RunningDatabase,
} from '~/utils/database.server'
import { EnvError, getRuntimeNodeEnv, parseEnv, shouldSeedDemo, type Env } from '~/utils/env.server'
import { logger } from '~/utils/logger.server'
import { applyMigrations } from '~/utils/migrate.server'


const BUILD_PATH = path.resolve('build/index.js')
const SHUTDOWN_GRACE_MS = 10_000
const EXPIRY_INTERVAL_MS = 60 * 60 * 1000
/** A worker that ran this long was healthy: the next crash is restarted quickly again. */
const WORKER_HEALTHY_MS = 60_000
const WORKER_RESTART_MAX_MS = 30_000

/** Start-up failures the user can act on: one sentence on stderr, exit code 1. */
function exitWithMessage(message: string): never {
  process.stderr.write(`${message}\n`)
  process.exit(1)
}

function readEnvOrExit(): Env {
  try {
    return parseEnv()
  } catch (error) {
    if (error instanceof EnvError) exitWithMessage(`${error.message}\n服务器未启动。`)
    throw error
  }
}

async function importBuild(): Promise<ServerBuild> {
  // The query string defeats the module cache so that a rebuilt bundle is really reloaded.
  return import(`${pathToFileURL(BUILD_PATH).href}?t=${Date.now()}`)
}

/**
 * Binds the port before anything else happens: a taken port must be reported before a
 * database is created, migrated or seeded, and leave nothing running. Until the app is
 * ready, requests get a 503 that says so.
 */
async function bindPort(env: Env) {
  const httpServer = http.createServer((_req, res) => {
    res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8', 'Retry-After': '2' })
    res.end('平台正在启动，请稍候几秒再刷新。')
  })
  try {
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject)
      httpServer.listen(env.PORT, env.HOST, () => {
        httpServer.off('error', reject)
        resolve()
      })
    })
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    const where = `${env.HOST}:${env.PORT}`
    if (code === 'EADDRINUSE') {
      exitWithMessage(
        `端口 ${env.PORT} 已被占用（${where}）：请先停止占用它的程序，或换一个端口，如 PORT=3001 npm start。服务器未启动。`,
      )
    }
    if (code === 'EACCES') {
      exitWithMessage(
        `没有权限监听端口 ${env.PORT}（${where}）：1024 以下的端口需要管理员权限，请换一个端口，如 PORT=3000。服务器未启动。`,
      )
    }
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
      exitWithMessage(`无法监听地址 ${env.HOST}：本机没有这个地址，请检查 HOST。服务器未启动。`)
    }
    throw error
  }
  return httpServer
}

// What shutdown has to undo, filled in as start-up gets further.
let database: RunningDatabase | undefined
let closeHttpServer: (() => Promise<void>) | undefined
let disconnectPrisma: (() => Promise<void>) | undefined

function installSignalHandlers() {
  let shuttingDown = false
  const shutdown = async (signal: string) => {
    if (shuttingDown) return
    shuttingDown = true
    logger.info({ signal }, '正在关闭服务器')
    setTimeout(() => {
      logger.error('关闭超时，强制退出')
      process.exit(1)
    }, SHUTDOWN_GRACE_MS).unref()
    await stopEverything()
    logger.info('服务器已关闭')
    process.exit(0)
  }
  // From the very start, so that Ctrl-C during a migration still stops the database.
  process.once('SIGINT', () => void shutdown('SIGINT'))
  process.once('SIGTERM', () => void shutdown('SIGTERM'))
}

async function stopEverything() {
  await closeHttpServer?.().catch((error: unknown) => logger.warn({ err: error }, '关闭 HTTP 出错'))
  await disconnectPrisma?.().catch(() => {})
  await database?.stop().catch((error: unknown) => logger.warn({ err: error }, '关闭数据库出错'))
}

async function main() {
  const env = readEnvOrExit()
  if (cluster.isWorker) return serveAsWorker(env)
  const safety = installProcessSafety({
    onFatal: () => void stopEverything().finally(() => process.exit(1)),
  })
  installSignalHandlers()
  const boundServer = await bindPort(env)
  closeHttpServer = () => new Promise((resolve) => boundServer.close(() => resolve()))

  database = await startDatabase({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR })
  process.env.DATABASE_URL = database.url

  const applied = await applyMigrations(database.url)
  if (applied.length) logger.info({ migrations: applied }, '已执行数据库迁移')

  // Loaded only now: these modules create the Prisma client from DATABASE_URL.
  const { prisma } = await import('~/utils/db.server')
  disconnectPrisma = () => prisma.$disconnect()
  let demo: { emails: string[]; password: string } | undefined
  if (shouldSeedDemo(env)) {
    const { seedDemoIfEmpty, DEMO_EMAILS, DEMO_PASSWORD } = await import('./seeds/seed.server')
    await seedDemoIfEmpty()
    demo = { emails: Object.values(DEMO_EMAILS), password: DEMO_PASSWORD }
  }
  // Listings that their owners stopped confirming leave public view: before serving, then
  // every hour.
  const { expireStaleListings } = await import('~/models/listing.server')
  const expireListings = () =>
    expireStaleListings()
      .then((expired) => {
        if (expired.result + expired.need > 0) logger.info({ expired }, '已下线过期信息')
      })
      .catch((error: unknown) => logger.error({ err: error }, '过期信息下线任务失败'))
  await expireListings()
  const expiryTimer = setInterval(expireListings, EXPIRY_INTERVAL_MS)
  expiryTimer.unref()
  scheduleDailyDigest(await import('~/models/digest.server'))

  const devOrigin = process.env.REMIX_DEV_ORIGIN
  const workerCount = countWorkers(env, devOrigin)
  if (workerCount > 1) {
    // A Redis that cannot be reached is reported once here, not by every worker it fails.
    if (env.REDIS_URL) await (await connectRedis(env.REDIS_URL)).close()
    // The workers listen on the same port through the cluster module, which holds it here.
    boundServer.close()
    boundServer.closeAllConnections()
    const workers = startWorkers(workerCount, database.url)
    closeHttpServer = workers.stop
    await workers.listening
  } else {
    await serveInThisProcess(env, boundServer, devOrigin)
  }
  safety.markStarted()
  announce(env, database, demo, workerCount)
}

/** The daily digest of unread notifications, every morning (see app/models/digest.server.ts). */
function scheduleDailyDigest(digest: typeof DigestModel) {
  const timer = setTimeout(() => {
    digest
      .sendNotificationDigests()
      .then((outcome) => {
        if (outcome.users > 0) logger.info({ digest: outcome }, '已发出每日通知摘要')
      })
      .catch((error: unknown) => logger.error({ err: error }, '每日通知摘要失败'))
      .finally(() => scheduleDailyDigest(digest))
  }, digest.msUntilNextDigest(new Date()))
  timer.unref()
}

/** One process serves HTTP itself; under `npm run dev` it reloads each rebuilt bundle. */
async function serveInThisProcess(
  env: Env,
  boundServer: http.Server,
  devOrigin: string | undefined,
) {
  const { createHttpServer } = await import('~/server/http-server.server')
  let build = await importBuild()
  const server = createHttpServer({
    build: devOrigin ? async () => build : build,
    mode: devOrigin ? 'development' : 'production',
    trustProxy: env.TRUST_PROXY === '1',
    devOrigin,
    httpServer: boundServer,
  })
  closeHttpServer = server.close
  await server.ready
  if (!devOrigin) return
  const [{ broadcastDevReady }, chokidar] = await Promise.all([
    import('@remix-run/node'),
    import('chokidar'),
  ])
  const reload = async () => {
    build = await importBuild()
    await broadcastDevReady(build)
  }
  chokidar
    .watch(path.resolve('build/version.txt'), { ignoreInitial: true })
    .on('add', reload)
    .on('change', reload)
  await broadcastDevReady(build)
}

/** A short banner for people in development; one JSON line for the log collector otherwise. */
function announce(
  env: Env,
  running: RunningDatabase,
  demo: { emails: string[]; password: string } | undefined,
  workers: number,
) {
  const local = `http://localhost:${env.PORT}`
  if (getRuntimeNodeEnv() !== 'development') {
    logger.info(
      { port: env.PORT, database: running.embedded ? 'embedded' : 'external', workers },
      `西安科技大市场已启动：${local}`,
    )
    return
  }
  // Listening on every interface: also show the addresses other machines on the LAN can use.
  const wildcard = env.HOST === '0.0.0.0' || env.HOST === '::'
  const lan = wildcard
    ? Object.values(os.networkInterfaces())
        .flat()
        .flatMap((address) =>
          address && address.family === 'IPv4' && !address.internal
            ? [`http://${address.address}:${env.PORT}`]
            : [],
        )
    : []
  const lines = [
    '',
    `  西安科技大市场已启动`,
    `  本机访问   ${wildcard ? local : `http://${env.HOST}:${env.PORT}`}`,
    ...(lan.length ? [`  局域网     ${lan.join('  ')}`] : []),
    running.embedded
      ? `  数据库     嵌入式 PostgreSQL，数据位于 ${running.location}`
      : `  数据库     ${running.location}（DATABASE_URL）`,
    `  数据目录   ${path.resolve(env.DATA_DIR)}`,
    `  服务进程   ${workers} 个${workers > 1 ? '（每核一个，WEB_CONCURRENCY 可调）' : ''}`,
    ...(demo
      ? [
          `  演示账号   ${demo.emails.slice(0, 3).join('、')}、`,
          `             ${demo.emails.slice(3).join('、')}，密码均为 ${demo.password}`,
        ]
      : []),
    `  按 Ctrl+C 停止`,
    '',
  ]
  process.stdout.write(`${lines.join('\n')}\n`)
}

/**
 * One process per core unless WEB_CONCURRENCY says otherwise: a page render is CPU-bound,
 * so a single Node process leaves the other cores idle. Live reload (`npm run dev`) and the
 * test suite keep one process, which is simpler to watch and lighter on the machine.
 */
function countWorkers(env: Env, devOrigin: string | undefined) {
  if (env.WEB_CONCURRENCY) return env.WEB_CONCURRENCY
  if (devOrigin || getRuntimeNodeEnv() === 'test') return 1
  return Math.min(os.availableParallelism(), 8)
}

/**
 * A page render allocates a few megabytes that die young. With V8's default 16 MB semi-spaces
 * the young generation is scavenged every few requests and survivors of half-finished
 * renders are promoted, to be collected later at greater cost; 64 MB ones cut the CPU time
 * of a signed-in page by about a fifth (bench:http) for about 150 MB more per worker.
 */
const WORKER_V8_FLAGS = ['--max-semi-space-size=64']

/**
 * Forks the HTTP workers and keeps them running: one that exits unasked is restarted, after
 * a growing delay if it keeps failing at once. Everything else (the database and its
 * supervision, migrations, the expiry job) stays in this primary process.
 */
function startWorkers(count: number, databaseUrl: string) {
  let stopping = false
  let restartDelay = 500
  const startedAt = new Map<Worker, number>()
  cluster.setupPrimary({ execArgv: [...process.execArgv, ...WORKER_V8_FLAGS] })
  const fork = () => startedAt.set(cluster.fork({ DATABASE_URL: databaseUrl }), Date.now())
  cluster.on('exit', (worker, code, signal) => {
    const ranFor = Date.now() - (startedAt.get(worker) ?? 0)
    startedAt.delete(worker)
    if (stopping) return
    if (ranFor > WORKER_HEALTHY_MS) restartDelay = 500
    logger.error(
      { pid: worker.process.pid, code, signal, restartInMs: restartDelay },
      '服务进程意外退出，正在重启',
    )
    setTimeout(fork, restartDelay).unref()
    restartDelay = Math.min(restartDelay * 2, WORKER_RESTART_MAX_MS)
  })
  const listening = new Promise<void>((resolve) => {
    let ready = 0
    const onListening = () => {
      ready += 1
      if (ready < count) return
      cluster.off('listening', onListening)
      resolve()
    }
    cluster.on('listening', onListening)
  })
  for (let index = 0; index < count; index += 1) fork()
  return {
    listening,
    async stop() {
      stopping = true
      const workers = Object.values(cluster.workers ?? {}).filter((worker) => !!worker)
      await Promise.all(
        workers.map(
          (worker) =>
            new Promise<void>((resolve) => {
              if (worker.isDead()) return resolve()
              worker.once('exit', () => resolve())
              worker.process.kill('SIGTERM')
            }),
        ),
      )
    },
  }
}

/** A worker serves HTTP and sockets on the shared port; the primary owns everything else. */
async function serveAsWorker(env: Env) {
  const safety = installProcessSafety({ onFatal: () => process.exit(1) })
  const { prisma } = await import('~/utils/db.server')
  const { createHttpServer } = await import('~/server/http-server.server')
  const server = createHttpServer({
    build: await importBuild(),
    mode: 'production',
    trustProxy: env.TRUST_PROXY === '1',
  })
  await server.ready
  await new Promise<void>((resolve) => server.httpServer.listen(env.PORT, env.HOST, resolve))
  safety.markStarted()
  let stopping = false
  const stop = async () => {
    if (stopping) return
    stopping = true
    setTimeout(() => process.exit(1), SHUTDOWN_GRACE_MS).unref()
    await server.close().catch(() => {})
    await prisma.$disconnect().catch(() => {})
    process.exit(0)
  }
  process.on('SIGTERM', () => void stop())
  // Ctrl-C reaches the whole process group; the primary then stops the workers in order.
  process.on('SIGINT', () => {})
  process.on('disconnect', () => void stop())
}

main().catch(async (error: unknown) => {
  if (error instanceof DatabaseUnavailableError || error instanceof RedisUnavailableError) {
    process.stderr.write(`${error.message}\n服务器未启动。\n`)
  } else {
    logger.fatal({ err: error }, '服务器启动失败')
  }
  await stopEverything()
  process.exit(1)
})
