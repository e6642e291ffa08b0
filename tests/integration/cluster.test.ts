import { readdirSync, readFileSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

import pg from 'pg'
import { io as connect, type Socket } from 'socket.io-client'
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest'

import { signInOverHttp } from '../setup/app-server'
import { withDatabase } from '../setup/global-setup'
import {
  freePort,
  spawnTsx,
  stopProcess,
  userEnvironment,
  waitFor,
  type Spawned,
} from '../setup/processes'

// The server as production runs it: a primary and two workers on one port, demo data, and
// the page cache for visitors. Each worker hears events through PostgreSQL, so what one
// process (or the CLI) writes reaches sockets and cached pages of all of them.
let server: Spawned
let baseUrl: string
let databaseUrl: string
let dataDir: string

beforeAll(async () => {
  const adminUrl = inject('adminDatabaseUrl')
  const database = `xm_${inject('runId')}_cluster`
  const admin = new pg.Client({ connectionString: adminUrl })
  await admin.connect()
  await admin.query(`CREATE DATABASE "${database}" TEMPLATE "${inject('templateDatabase')}"`)
  await admin.end()
  databaseUrl = withDatabase(adminUrl, database)
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'xm-cluster-'))
  const port = await freePort()
  baseUrl = `http://127.0.0.1:${port}`
  server = spawnTsx('server.ts', [], {
    env: userEnvironment({
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      DATABASE_URL: databaseUrl,
      NODE_ENV: 'production',
      SESSION_SECRET: 'cluster-test-session-secret-of-at-least-32-chars',
      DEMO_SEED: '1',
      WEB_CONCURRENCY: '2',
      LOG_LEVEL: 'warn',
    }),
  })
  await waitFor(
    '集群启动',
    async () => (workerPids().length === 2 && (await fetch(`${baseUrl}/`)).ok ? true : undefined),
    { process: server },
  )
})

afterAll(async () => {
  await stopProcess(server)
  await rm(dataDir, { recursive: true, force: true })
})

/** Pids of the cluster's workers: descendants of the server that carry cluster's worker id. */
function workerPids() {
  const parents = new Map<number, number>()
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]))
    } catch {
      // gone meanwhile
    }
  }
  const root = server.child.pid!
  const isDescendant = (pid: number): boolean => {
    const parent = parents.get(pid)
    return parent === root || (parent !== undefined && parent > 1 && isDescendant(parent))
  }
  return [...parents.keys()].filter((pid) => {
    if (!isDescendant(pid)) return false
    try {
      return readFileSync(`/proc/${pid}/environ`, 'utf8').includes('NODE_UNIQUE_ID=')
    } catch {
      return false
    }
  })
}

function signIn(email: string) {
  return signInOverHttp(baseUrl, email, 'Demo@2026')
}

function openSocket(cookie: string) {
  return new Promise<Socket>((resolve, reject) => {
    const socket = connect(baseUrl, {
      transports: ['websocket'],
      extraHeaders: { Cookie: cookie },
      reconnection: false,
      forceNew: true,
    })
    socket.once('connect', () => resolve(socket))
    socket.once('connect_error', reject)
  })
}

function nonceOf(html: string) {
  return /nonce="([^"]+)"/.exec(html)?.[1]
}

describe('a cluster of workers', () => {
  test('a visitor’s page is shared, each copy with its own nonce; signed-in pages are not', async () => {
    const first = await fetch(`${baseUrl}/results`)
    const second = await fetch(`${baseUrl}/results`)
    const [firstHtml, secondHtml] = [await first.text(), await second.text()]
    const [firstNonce, secondNonce] = [nonceOf(firstHtml), nonceOf(secondHtml)]
    expect(firstNonce).toBeTruthy()
    expect(firstNonce).not.toBe(secondNonce)
    expect(second.headers.get('content-security-policy')).toContain(`'nonce-${secondNonce}'`)
    expect(secondHtml.replaceAll(secondNonce!, firstNonce!)).toBe(firstHtml)

    const cookie = await signIn('enterprise@demo.local')
    const signedIn = await fetch(`${baseUrl}/results`, { headers: { Cookie: cookie } })
    expect(await signedIn.text()).toContain('我的需求')
    expect(firstHtml).not.toContain('我的需求')
  })

  test('a listing imported by the CLI shows on every worker’s cached list at once', async () => {
    // Fill both workers' caches (connections are spread round-robin).
    for (let index = 0; index < 6; index += 1) await (await fetch(`${baseUrl}/results`)).text()
    const reader = new pg.Client({ connectionString: databaseUrl })
    await reader.connect()
    const { rows } = await reader.query<{ name: string }>(
      `SELECT name FROM "Organization" WHERE kind = 'university' ORDER BY name LIMIT 1`,
    )
    await reader.end()
    const title = `集群缓存验证用高温合金涡轮叶片${Date.now()}`
    const file = path.join(dataDir, 'results.jsonl')
    await writeFile(
      file,
      `${JSON.stringify({
        externalId: `cluster-${Date.now()}`,
        title,
        summary: '用于验证新成果在所有服务进程的访客页面上立即出现。',
        field: '501',
        keywords: ['高温合金'],
        trl: 6,
        transferModes: ['license'],
        org: rows[0]!.name,
      })}\n`,
    )
    const cli = spawnTsx('cli.ts', ['import', 'results', file], {
      env: userEnvironment({ DATABASE_URL: databaseUrl, DATA_DIR: dataDir }),
    })
    expect(await cli.exited, cli.output()).toBe(0)
    await waitFor(
      '两个服务进程的访客页面都出现新成果',
      async () => {
        const pages = await Promise.all(
          Array.from({ length: 6 }, async () => (await fetch(`${baseUrl}/results`)).text()),
        )
        return pages.every((html) => html.includes(title)) ? true : undefined
      },
      { process: server, timeoutMs: 5_000, intervalMs: 100 },
    )
  })

  test('logging out through one worker disconnects that session’s sockets on every worker', async () => {
    const cookie = await signIn('researcher@demo.local')
    const sockets = await Promise.all(Array.from({ length: 4 }, () => openSocket(cookie)))
    const disconnected = sockets.map(
      (socket) => new Promise<string>((resolve) => socket.once('disconnect', resolve)),
    )
    await new Promise((resolve) => setTimeout(resolve, 200))
    const logout = await fetch(`${baseUrl}/logout`, {
      method: 'POST',
      redirect: 'manual',
      headers: { Origin: baseUrl, Cookie: cookie },
    })
    expect(logout.status).toBe(302)
    expect(await Promise.all(disconnected)).toEqual(Array(4).fill('io server disconnect'))
  })

  test('a worker that dies is replaced while the other keeps serving', async () => {
    const [victim, survivor] = workerPids()
    expect(survivor).toBeDefined()
    process.kill(victim!, 'SIGKILL')
    await waitFor(
      '主进程发现服务进程退出',
      async () => (server.output().includes('服务进程意外退出，正在重启') ? true : undefined),
      { process: server, timeoutMs: 10_000, intervalMs: 20 },
    )
    const statuses = await Promise.all(
      Array.from({ length: 20 }, async () => (await fetch(`${baseUrl}/needs`)).status),
    )
    expect(statuses.every((status) => status === 200)).toBe(true)
    const replaced = await waitFor(
      '替换的服务进程',
      async () => {
        const pids = workerPids()
        return pids.length === 2 && !pids.includes(victim!) ? pids : undefined
      },
      { process: server, timeoutMs: 20_000 },
    )
    expect(replaced).toContain(survivor)
  })
})
