import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { pathToFileURL } from 'node:url'

import type { ServerBuild } from '@remix-run/node'
import { io as connect } from 'socket.io-client'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'

import { publishEvent } from '~/models/events.server'
import { createHttpServer } from '~/server/http-server.server'
import { prisma } from '~/utils/db.server'

import { openSocket as openBrowserSocket, signInOverHttp } from '../setup/app-server'
import { createTestUser, TEST_PASSWORD } from '../setup/remix'

let baseUrl: string
let close: () => Promise<void>

beforeAll(async () => {
  // The server indexes whatever listings the database holds when it starts: none, not those a
  // previous file left (and wrote with no change log to say so) before this file's first
  // truncation.
  await prisma.$executeRaw`TRUNCATE "Result", "Need", "Expert", "SearchOutbox" RESTART IDENTITY CASCADE`
  // The real production bundle, as `npm test` builds it before running the suite.
  const build = (await import(pathToFileURL(path.resolve('build/index.js')).href)) as ServerBuild
  const server = createHttpServer({ build, mode: 'production' })
  await server.dispatcher.ready
  await new Promise<void>((resolve) => server.httpServer.listen(0, '127.0.0.1', resolve))
  baseUrl = `http://127.0.0.1:${(server.httpServer.address() as AddressInfo).port}`
  close = server.close
})

afterAll(async () => {
  await close()
})

function signIn(email: string) {
  return signInOverHttp(baseUrl, email, TEST_PASSWORD)
}

function openSocket(cookie?: string) {
  return openBrowserSocket(baseUrl, cookie)
}

describe('the HTTP server', () => {
  test('/healthz reports the database, search and realtime state as JSON', async () => {
    // The index builds in the background after start, and again once the indexer finds the
    // change log reset by the tests' truncation.
    const health = async () => {
      const response = await fetch(`${baseUrl}/healthz`)
      expect(response.status).toBe(200)
      return response.json()
    }
    await expect.poll(health, { timeout: 15_000, interval: 50 }).toEqual({
      status: 'ok',
      db: 'ok',
      search: {
        engine: 'embedded',
        ok: true,
        ready: true,
        pending: 0,
        documents: { results: 0, needs: 0, experts: 0 },
      },
      realtime: { ok: true, clients: 0 },
    })
  })

  test('pages carry security headers and a per-request script nonce', async () => {
    const first = await fetch(`${baseUrl}/login`)
    const second = await fetch(`${baseUrl}/login`)
    const csp = first.headers.get('content-security-policy') ?? ''
    expect(csp).toMatch(/script-src 'strict-dynamic' 'self' 'nonce-[A-Za-z0-9+/=]+'/)
    expect(csp).not.toBe(second.headers.get('content-security-policy'))
    expect(first.headers.get('x-content-type-options')).toBe('nosniff')
    expect(first.headers.get('x-powered-by')).toBeNull()
    expect(first.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin')
    const html = await first.text()
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1]
    expect(html).toContain(`nonce="${nonce}"`)
    expect(html).toContain('<html lang="zh-CN">')
  })

  test('an unknown page is a 404 in Chinese', async () => {
    const response = await fetch(`${baseUrl}/no/such/page`)
    expect(response.status).toBe(404)
    expect(await response.text()).toContain('页面不存在')
  })

  test('a write without an Origin, or from another site, is refused before it reaches the app', async () => {
    const user = await createTestUser()
    const body = new URLSearchParams({ email: user.email, password: TEST_PASSWORD })
    const headers = { 'Content-Type': 'application/x-www-form-urlencoded' }
    const missing = await fetch(`${baseUrl}/login`, {
      method: 'POST',
      body,
      headers,
      redirect: 'manual',
    })
    expect(missing.status).toBe(403)
    expect(await missing.text()).toContain('请求缺少来源信息')
    const foreign = await fetch(`${baseUrl}/login`, {
      method: 'POST',
      body,
      headers: { ...headers, Origin: 'https://evil.example' },
      redirect: 'manual',
    })
    expect(foreign.status).toBe(403)
    expect(await foreign.text()).toContain('请求来源与本站不符')
    expect(missing.headers.get('set-cookie')).toBeNull()

    // A plain form post from our own page: the browser vouches for it with Sec-Fetch-Site
    // (a header fetch() may not set, hence node:http).
    const postWithFetchSite = (fetchSite: string) =>
      new Promise<number>((resolve, reject) => {
        const request = http.request(`${baseUrl}/login`, {
          method: 'POST',
          headers: { ...headers, 'Sec-Fetch-Site': fetchSite },
        })
        request.on('response', (response) => {
          response.resume()
          resolve(response.statusCode ?? 0)
        })
        request.on('error', reject)
        request.end(body.toString())
      })
    expect(await postWithFetchSite('same-origin')).toBe(302)
    expect(await postWithFetchSite('cross-site')).toBe(403)
  })

  test('a visitor opening a bureau page is sent to login; a researcher gets 403', async () => {
    const visitor = await fetch(`${baseUrl}/bureau`, { redirect: 'manual' })
    expect(visitor.status).toBe(302)
    expect(visitor.headers.get('location')).toBe('/login?redirectTo=%2Fbureau')
    const researcher = await createTestUser({ role: 'researcher' })
    const forbidden = await fetch(`${baseUrl}/bureau`, {
      headers: { Cookie: await signIn(researcher.email) },
    })
    expect(forbidden.status).toBe(403)
    expect(await forbidden.text()).toContain('没有访问权限')
  })
})

describe('realtime', () => {
  test('the socket handshake reads the session cookie; only the signed-in user hears their events', async () => {
    const user = await createTestUser()
    const mine = await openSocket(await signIn(user.email))
    const forged = await openSocket('xm_session=forged.value')
    const received: string[] = []
    mine.on('notification:new', (payload: { title: string }) =>
      received.push(`mine:${payload.title}`),
    )
    forged.on('notification:new', (payload: { title: string }) =>
      received.push(`forged:${payload.title}`),
    )
    // Rooms are joined just after the handshake; wait for the server to have done it.
    await new Promise((resolve) => setTimeout(resolve, 100))
    await publishEvent({
      type: 'notification:new',
      room: { userId: user.id },
      payload: { id: 'n1', title: '新消息', link: null },
    })
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(received).toEqual(['mine:新消息'])
    mine.close()
    forged.close()
  })

  test('a socket opened from another site is refused', async () => {
    const attempt = new Promise<string>((resolve) => {
      const socket = connect(baseUrl, {
        transports: ['websocket'],
        extraHeaders: { Origin: 'https://evil.example' },
        reconnection: false,
      })
      socket.once('connect', () => resolve('connected'))
      socket.once('connect_error', () => resolve('refused'))
    })
    expect(await attempt).toBe('refused')
  })

  test('logging out disconnects the sockets of that session, and only those', async () => {
    const user = await createTestUser()
    const cookie = await signIn(user.email)
    const otherLogin = await signIn(user.email)
    const socket = await openSocket(cookie)
    const other = await openSocket(otherLogin)
    const disconnected = new Promise<string>((resolve) => socket.once('disconnect', resolve))
    await new Promise((resolve) => setTimeout(resolve, 100))
    const logout = await fetch(`${baseUrl}/logout`, {
      method: 'POST',
      redirect: 'manual',
      headers: { Origin: baseUrl, Cookie: cookie },
    })
    expect(logout.status).toBe(302)
    expect(await disconnected).toBe('io server disconnect')
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(other.connected).toBe(true)
    other.close()
  })

  test('events recorded in a transaction arrive after commit, and never from a rollback', async () => {
    const user = await createTestUser()
    const socket = await openSocket(await signIn(user.email))
    const received: string[] = []
    socket.on('notification:new', (payload: { title: string }) => received.push(payload.title))
    await new Promise((resolve) => setTimeout(resolve, 100))
    const { recordEvent } = await import('~/models/events.server')
    const notify = (title: string) => ({
      type: 'notification:new' as const,
      room: { userId: user.id },
      payload: { id: title, title, link: null },
    })
    await prisma
      .$transaction(async (tx) => {
        await recordEvent(tx, notify('回滚'))
        throw new Error('rollback')
      })
      .catch(() => {})
    await prisma.$transaction(async (tx) => {
      await recordEvent(tx, notify('提交'))
      await new Promise((resolve) => setTimeout(resolve, 150))
      // Still inside the transaction: nothing may have been delivered yet.
      expect(received).toEqual([])
    })
    // A write from another process (the CLI, an import) is a plain NOTIFY on the same channel.
    await prisma.$executeRaw`SELECT pg_notify('market_events', ${JSON.stringify(notify('命令行'))})`
    await prisma.$executeRaw`SELECT pg_notify('market_events', 'not json')`
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(received).toEqual(['提交', '命令行'])
    socket.close()
  })
})
