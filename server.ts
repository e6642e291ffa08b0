import path from 'node:path'
import { pathToFileURL } from 'node:url'

import type { ServerBuild } from '@remix-run/node'

import {
  DatabaseUnavailableError,
  readOrCreateSecret,
  startDatabase,
  type RunningDatabase,
} from '~/utils/database.server'
import { EnvError, parseEnv, shouldSeedDemo, type Env } from '~/utils/env.server'
import { logger } from '~/utils/logger.server'
import { applyMigrations } from '~/utils/migrate.server'

const BUILD_PATH = path.resolve('build/index.js')
const SHUTDOWN_GRACE_MS = 10_000
const EXPIRY_INTERVAL_MS = 60 * 60 * 1000

function readEnvOrExit(): Env {
  try {
    return parseEnv()
  } catch (error) {
    if (error instanceof EnvError) {
      process.stderr.write(`${error.message}\n服务器未启动。\n`)
      process.exit(1)
    }
    throw error
  }
}

async function importBuild(): Promise<ServerBuild> {
  // The query string defeats the module cache so that a rebuilt bundle is really reloaded.
  return import(`${pathToFileURL(BUILD_PATH).href}?t=${Date.now()}`)
}

let database: RunningDatabase | undefined

async function main() {
  const env = readEnvOrExit()
  process.env.SESSION_SECRET ??= await readOrCreateSecret(
    path.resolve(env.DATA_DIR, 'session-secret'),
  )

  database = await startDatabase({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR })
  process.env.DATABASE_URL = database.url

  const applied = await applyMigrations(database.url)
  if (applied.length) logger.info({ migrations: applied }, '已执行数据库迁移')

  // Loaded only now: these modules create the Prisma client from DATABASE_URL.
  const { prisma } = await import('~/utils/db.server')
  if (shouldSeedDemo(env)) {
    const { seedDemoIfEmpty } = await import('./seeds/seed.server')
    await seedDemoIfEmpty()
  }
  const { createHttpServer } = await import('~/server/http-server.server')

  const devOrigin = process.env.REMIX_DEV_ORIGIN
  let build = await importBuild()
  const { httpServer, close: closeHttpServer } = createHttpServer({
    build: devOrigin ? async () => build : build,
    mode: devOrigin ? 'development' : 'production',
    trustProxy: env.TRUST_PROXY === '1',
    devOrigin,
  })
  if (devOrigin) {
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
  }

  // Listings that their owners stopped confirming leave public view: now, then every hour.
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

  await new Promise<void>((resolve) => httpServer.listen(env.PORT, env.HOST, resolve))
  logger.info(
    { port: env.PORT, database: database.embedded ? 'embedded' : 'external' },
    `西安科技大市场已启动：http://localhost:${env.PORT}`,
  )
  if (devOrigin) await (await import('@remix-run/node')).broadcastDevReady(build)

  let shuttingDown = false
  const shutdown = async (signal: string) => {
    if (shuttingDown) return
    shuttingDown = true
    logger.info({ signal }, '正在关闭服务器')
    setTimeout(() => {
      logger.error('关闭超时，强制退出')
      process.exit(1)
    }, SHUTDOWN_GRACE_MS).unref()
    clearInterval(expiryTimer)
    await closeHttpServer()
    await prisma.$disconnect()
    await database?.stop()
    logger.info('服务器已关闭')
    process.exit(0)
  }
  process.once('SIGINT', () => void shutdown('SIGINT'))
  process.once('SIGTERM', () => void shutdown('SIGTERM'))
}

main().catch(async (error: unknown) => {
  if (error instanceof DatabaseUnavailableError) {
    process.stderr.write(`${error.message}\n服务器未启动。\n`)
  } else {
    logger.fatal({ err: error }, '服务器启动失败')
  }
  await database?.stop().catch(() => {})
  process.exit(1)
})
