import { spawn, type ChildProcess } from 'node:child_process'
import { lstat, readlink, rm } from 'node:fs/promises'
import net from 'node:net'
import path from 'node:path'

/**
 * The environment a user's shell would give `npm start` or `npm run cli`: none of the
 * variables the test runner sets for itself (NODE_ENV=test, SESSION_SECRET, LOG_LEVEL,
 * DATABASE_URL, VITEST_*), so a child started with it cannot lean on them.
 */
export function userEnvironment(extra: Record<string, string> = {}): Record<string, string> {
  const keep = ['PATH', 'HOME', 'LANG', 'TMPDIR', 'TZ', 'USER', 'SHELL']
  const env: Record<string, string> = {}
  for (const key of keep) {
    const value = process.env[key]
    if (value !== undefined) env[key] = value
  }
  return { ...env, ...extra }
}

export function freePort() {
  return new Promise<number>((resolve, reject) => {
    const server = net.createServer()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo
      server.close(() => resolve(port))
    })
  })
}

export interface Spawned {
  child: ChildProcess
  /** Everything written to stdout and stderr so far. */
  output(): string
  stdout(): string
  stderr(): string
  exited: Promise<number | null>
}

/** `tsx script …args` from the checkout at `cwd`, as `npm start` and `npm run cli` run. */
export function spawnTsx(
  script: string,
  args: string[],
  options: { cwd?: string; env: Record<string, string> },
) {
  const cwd = options.cwd ?? process.cwd()
  return spawnCommand(path.join(cwd, 'node_modules/.bin/tsx'), [script, ...args], options)
}

export function spawnCommand(
  file: string,
  args: string[],
  options: { cwd?: string; env: Record<string, string> },
) {
  const cwd = options.cwd ?? process.cwd()
  const child = spawn(file, args, {
    cwd,
    env: options.env as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  let err = ''
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()))
  child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()))
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  )
  return {
    child,
    output: () => out + err,
    stdout: () => out,
    stderr: () => err,
    exited,
  } satisfies Spawned
}

/** Polls until `check` returns a value (not undefined), or fails with what the process said. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined>,
  options: { timeoutMs?: number; intervalMs?: number; process?: Spawned } = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 90_000)
  for (;;) {
    if (options.process && options.process.child.exitCode !== null) {
      throw new Error(`${what}：进程已退出\n${options.process.output()}`)
    }
    try {
      const value = await check()
      if (value !== undefined) return value
    } catch {
      // not yet
    }
    if (Date.now() > deadline) {
      throw new Error(`${what}：超时\n${options.process?.output() ?? ''}`)
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 200))
  }
}

export async function stopProcess(spawned: Spawned, signal: NodeJS.Signals = 'SIGTERM') {
  if (spawned.child.exitCode !== null || spawned.child.signalCode !== null) return spawned.exited
  spawned.child.kill(signal)
  return spawned.exited
}

/**
 * A TCP forwarder standing in for the network between the server and an external database:
 * `cut()` drops every connection and refuses new ones, `restore()` listens again on the
 * same port.
 */
export async function startTcpProxy(target: { host: string; port: number }) {
  const sockets = new Set<net.Socket>()
  let listener: net.Server | undefined
  const port = await freePort()
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      listener = net.createServer((client) => {
        const upstream = net.connect(target.port, target.host)
        for (const socket of [client, upstream]) {
          sockets.add(socket)
          socket.on('close', () => sockets.delete(socket))
          socket.on('error', () => socket.destroy())
        }
        client.pipe(upstream).pipe(client)
      })
      listener.once('error', reject)
      listener.listen(port, '127.0.0.1', () => resolve())
    })
  await listen()
  return {
    port,
    async cut() {
      await new Promise<void>((resolve) => {
        listener?.close(() => resolve())
        for (const socket of sockets) socket.destroy()
      })
    },
    restore: listen,
    async close() {
      for (const socket of sockets) socket.destroy()
      await new Promise<void>((resolve) =>
        listener?.listening ? listener.close(() => resolve()) : resolve(),
      )
    },
  }
}

/**
 * Removes a directory a server used as DATA_DIR, and the cluster it links to when the
 * postgres user could not reach it and the server put the cluster in the shared root.
 */
export async function removeDataDir(dir: string, dataDir = dir) {
  const link = path.join(dataDir, 'postgres')
  const stat = await lstat(link).catch(() => undefined)
  if (stat?.isSymbolicLink()) await rm(await readlink(link), { recursive: true, force: true })
  await rm(dir, { recursive: true, force: true })
}
