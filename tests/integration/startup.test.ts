import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import http from 'node:http'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'

import pg from 'pg'
import { describe, expect, inject, test } from 'vitest'

import { withDatabase } from '../setup/global-setup'
import {
  freePort,
  removeDataDir,
  spawnTsx,
  startTcpProxy,
  stopProcess,
  userEnvironment,
  waitFor,
  type Spawned,
} from '../setup/processes'

const UNAVAILABLE = '暂时无法访问，请稍后再试'

/** Command lines of running processes that mention `text` (a data directory, say). */
function processesMentioning(text: string) {
  return execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes(text) && !line.includes('ps -eo'))
}

async function get(url: string) {
  const response = await fetch(url, { redirect: 'manual' })
  return { status: response.status, headers: response.headers, text: await response.text() }
}

/** The server's answer to a request with a Host a browser on the LAN would send. */
function requestAs(
  port: number,
  host: string,
  options: { method?: string; path: string; cookie?: string; form?: Record<string, string> },
) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>(
    (resolve, reject) => {
      const body = options.form ? new URLSearchParams(options.form).toString() : undefined
      const request = http.request({
        host: '127.0.0.1',
        port,
        method: options.method ?? 'GET',
        path: options.path,
        setHost: false,
        headers: {
          Host: host,
          ...(body
            ? { Origin: `http://${host}`, 'Content-Type': 'application/x-www-form-urlencoded' }
            : {}),
          ...(options.cookie ? { Cookie: options.cookie } : {}),
        },
      })
      request.on('response', (response) => {
        let text = ''
        response.setEncoding('utf8')
        response.on('data', (chunk: string) => (text += chunk))
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body: text }),
        )
      })
      request.on('error', reject)
      request.end(body)
    },
  )
}

async function startServer(options: { cwd?: string; env: Record<string, string> }) {
  const port = await freePort()
  const server = spawnTsx('server.ts', [], {
    cwd: options.cwd,
    env: userEnvironment({ PORT: String(port), HOST: '127.0.0.1', ...options.env }),
  })
  const baseUrl = `http://127.0.0.1:${port}`
  await waitFor(
    '服务器启动',
    async () => ((await fetch(`${baseUrl}/healthz`)).status === 200 ? true : undefined),
    { process: server },
  )
  return { server, port, baseUrl }
}

/**
 * Polls a page until the outage shows (503 with the sentence, the data request likewise,
 * /healthz degraded), lets the database return, and waits for the same page to be served
 * again by the same, never restarted, server.
 */
async function expectOutageAndRecovery(
  baseUrl: string,
  server: Spawned,
  options: { restore?: () => Promise<void>; healthMustDegrade: boolean },
) {
  const seen = await waitFor(
    '数据库中断后页面答 503',
    async () => {
      const page = await get(`${baseUrl}/results`)
      if (page.status !== 503) return undefined
      const [data, health] = await Promise.all([
        get(`${baseUrl}/needs.data`),
        get(`${baseUrl}/healthz`),
      ])
      return { page, data, health }
    },
    { process: server, timeoutMs: 20_000, intervalMs: 50 },
  )
  await options.restore?.()
  expect(seen.page.text).toContain(UNAVAILABLE)
  expect(seen.page.headers.get('retry-after')).toMatch(/^\d+$/)
  expect(seen.page.headers.get('content-type')).toContain('text/html')
  // A navigation inside the app (a single-fetch `.data` request) is told to reload the
  // document, which then is the 503 page above.
  if (seen.data.status !== 200) {
    expect(seen.data.status).toBe(202)
    expect(seen.data.headers.get('x-remix-reload-document')).toBe('true')
    expect(seen.data.headers.get('location')).toBe('/needs')
  }
  if (options.healthMustDegrade) {
    expect(seen.health.status).toBe(503)
    expect(JSON.parse(seen.health.text)).toMatchObject({ status: 'degraded', db: 'error' })
  }
  await waitFor(
    '数据库恢复后页面自动恢复',
    async () => ((await get(`${baseUrl}/results`)).status === 200 ? true : undefined),
    { process: server, timeoutMs: 60_000 },
  )
  expect((await get(`${baseUrl}/healthz`)).status).toBe(200)
}

describe('npm start', () => {
  test('on a taken port it fails before creating anything, in one Chinese line naming the port', async () => {
    const home = await mkdtemp(path.join(os.tmpdir(), 'xm-port-'))
    const dataDir = path.join(home, 'data')
    const blocker = net.createServer()
    const port = await new Promise<number>((resolve) =>
      blocker.listen(0, '127.0.0.1', () => resolve((blocker.address() as net.AddressInfo).port)),
    )
    try {
      const server = spawnTsx('server.ts', [], {
        env: userEnvironment({ PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir }),
      })
      const code = await server.exited
      expect(code).not.toBe(0)
      const lines = server.stderr().trim().split('\n')
      expect(lines).toHaveLength(1)
      expect(lines[0]).toContain(`端口 ${port} 已被占用`)
      expect(server.stdout()).toBe('')
      // Nothing was created, initialised or left running.
      expect(existsSync(dataDir)).toBe(false)
      expect(processesMentioning(dataDir)).toEqual([])
    } finally {
      blocker.close()
      await rm(home, { recursive: true, force: true })
    }
  })

  test('a plain start: banner, login over http://market.lan, the CLI alongside, and a database that dies and comes back', async () => {
    const home = await mkdtemp(path.join(os.tmpdir(), 'xm-plain-'))
    const dataDir = path.join(home, 'data')
    // Under a private (0700) directory, as a clone in /root is: as root, the cluster then
    // lives where the postgres user can reach it, and DATA_DIR/postgres-location says where.
    const { server, port, baseUrl } = await startServer({ env: { DATA_DIR: dataDir } })
    const clusterDir = (await readFile(path.join(dataDir, 'postgres-location'), 'utf8')).trim()
    try {
      // The banner says where to go, where the data is and how to sign in; no JSON, no
      // line per request or asset.
      await fetch(`${baseUrl}/`)
      await fetch(`${baseUrl}/favicon.svg`)
      const stdout = server.stdout()
      expect(stdout).toContain(`http://127.0.0.1:${port}`)
      expect(stdout).toMatch(/数据位于 \S+/)
      expect(stdout).toContain('researcher@demo.local')
      expect(stdout).not.toContain('{"level"')
      expect(stdout).not.toContain('favicon')
      expect(stdout).not.toContain('NODE_ENV=production')

      // Reached by name on a LAN over plain HTTP (NODE_ENV unset, the build in production
      // mode): the cookie must not be Secure, or the browser would drop it.
      const host = `market.lan:${port}`
      const login = await requestAs(port, host, {
        method: 'POST',
        path: '/login',
        form: { email: 'researcher@demo.local', password: 'Demo@2026' },
      })
      expect(login.status).toBe(302)
      const setCookie = String(login.headers['set-cookie'])
      expect(setCookie).toContain('xm_session=')
      expect(setCookie).not.toMatch(/;\s*Secure/i)
      const cookie = setCookie.split(';')[0]!
      const workbench = await requestAs(port, host, { path: '/workbench', cookie })
      expect(workbench.status).toBe(200)
      expect(workbench.body).toContain('李研究')

      // The README's way to create staff accounts, next to the running server, with no
      // SESSION_SECRET anywhere.
      const cli = spawnTsx(
        'cli.ts',
        [
          'user',
          'create',
          '--email',
          'broker2@example.com',
          '--password',
          'Broker2026',
          '--name',
          '王经纪',
          '--role',
          'broker',
        ],
        { env: userEnvironment({ DATA_DIR: dataDir }) },
      )
      expect(await cli.exited, cli.output()).toBe(0)
      expect(cli.stdout()).toContain('已创建账号 broker2@example.com')
      const staff = await requestAs(port, host, {
        method: 'POST',
        path: '/login',
        form: { email: 'broker2@example.com', password: 'Broker2026' },
      })
      expect(staff.status).toBe(302)

      // The embedded PostgreSQL dies under the running server.
      const postmaster = Number(
        (await readFile(path.join(clusterDir, 'postmaster.pid'), 'utf8')).split('\n')[0],
      )
      process.kill(postmaster, 'SIGKILL')
      await expectOutageAndRecovery(baseUrl, server, { healthMustDegrade: false })
      expect(server.output()).toContain('嵌入式 PostgreSQL 意外退出')
      expect(server.output()).toContain('嵌入式 PostgreSQL 已重新启动')
    } finally {
      await stopProcess(server)
      await removeDataDir(home, dataDir)
    }
    expect(await server.exited).toBe(0)
    expect(processesMentioning(clusterDir)).toEqual([])
    // A cluster started, killed and restarted, a server and a CLI: about 20 s on an idle
    // machine, and each of them slows when the cores are shared.
  }, 90_000)

  test('in production with DATABASE_URL: JSON logs, a Secure cookie, and 503s while the database is unreachable that end by themselves', async () => {
    const adminUrl = new URL(inject('adminDatabaseUrl'))
    const database = `xm_${inject('runId')}_outage_${Date.now().toString(36)}`
    const admin = new pg.Client({ connectionString: adminUrl.toString() })
    await admin.connect()
    await admin.query(`CREATE DATABASE "${database}" TEMPLATE "${inject('templateDatabase')}"`)
    await admin.end()
    const proxy = await startTcpProxy({
      host: adminUrl.hostname,
      port: Number(adminUrl.port || 5432),
    })
    const throughProxy = new URL(withDatabase(adminUrl.toString(), database))
    throughProxy.host = `127.0.0.1:${proxy.port}`
    const home = await mkdtemp(path.join(os.tmpdir(), 'xm-external-'))
    const env = {
      NODE_ENV: 'production',
      SESSION_SECRET: 'a-production-secret-of-at-least-32-characters',
      DATABASE_URL: throughProxy.toString(),
      DATA_DIR: home,
    }
    const account = ['--email', 'ops@example.com', '--password', 'Opsops2026']
    const cli = spawnTsx(
      'cli.ts',
      ['user', 'create', ...account, '--name', '运维', '--role', 'admin'],
      {
        env: userEnvironment(env),
      },
    )
    expect(await cli.exited, cli.output()).toBe(0)
    const { server, port, baseUrl } = await startServer({ env })
    try {
      expect((await get(`${baseUrl}/results`)).status).toBe(200)
      // Behind TLS in production: the cookie is Secure.
      const login = await requestAs(port, `127.0.0.1:${port}`, {
        method: 'POST',
        path: '/login',
        form: { email: 'ops@example.com', password: 'Opsops2026' },
      })
      expect(login.status).toBe(302)
      expect(String(login.headers['set-cookie'])).toMatch(/;\s*Secure/i)
      // Log collectors get one JSON object per line, with an ISO time; no banner.
      const lines = server.stdout().trim().split('\n')
      for (const line of lines) {
        expect(JSON.parse(line)).toMatchObject({ time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) })
      }
      expect(lines.some((line) => line.includes('西安科技大市场已启动'))).toBe(true)

      await proxy.cut()
      await expectOutageAndRecovery(baseUrl, server, {
        restore: proxy.restore,
        healthMustDegrade: true,
      })
    } finally {
      await stopProcess(server)
      await proxy.close()
      await rm(home, { recursive: true, force: true })
    }
    expect(await server.exited).toBe(0)
  })
})
