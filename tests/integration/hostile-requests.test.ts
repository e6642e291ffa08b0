import { afterAll, beforeAll, describe, expect, test } from 'vitest'

import {
  rawExchange,
  rawRequest,
  startInProcessServer,
  type InProcessServer,
} from '../setup/app-server'
import { createTestUser, TEST_PASSWORD } from '../setup/remix'

let server: InProcessServer

beforeAll(async () => {
  server = await startInProcessServer()
})

afterAll(async () => {
  await server.close()
})

/** Header sets a browser, a proxy or an attacker might send; none may end the process. */
function hostileHeaderSets(self: string): Record<string, Record<string, string>> {
  const host = new URL(self).host
  return {
    'Origin: null': { Origin: 'null' },
    'Origin that does not parse': { Origin: 'http://[bad' },
    'Origin of another scheme': { Origin: 'javascript:alert(1)' },
    'Origin of another site': { Origin: 'https://evil.example' },
    'Origin of this site, other scheme': { Origin: `https://${host}` },
    'broken percent-encoding in the cookie': { Cookie: 'xm_session=%E0%A4%A' },
    'a cookie with an empty signature': { Cookie: 'xm_session=s%3A.' },
    'a cookie of only separators': { Cookie: '=;=;;=' },
    'a forged session cookie': { Cookie: 'xm_session=eyJzZXNzaW9uSWQiOiJ4In0%3D.forged' },
    'a Host that does not parse': { Host: '[bad' },
    'a Host with a space': { Host: 'a b' },
    'an empty Host': { Host: '' },
    'a Host with a port out of range': { Host: '127.0.0.1:99999' },
    'a foreign Host': { Host: 'evil.example' },
    'a Referer that does not parse': { Referer: 'http://[bad' },
    'a Referer that is no URL': { Referer: 'not a url at all' },
    'Origin null with a same-origin Referer': { Origin: 'null', Referer: `${self}/login` },
    'bogus Sec-Fetch headers': {
      'Sec-Fetch-Site': 'same-origin;;',
      'Sec-Fetch-Mode': '\u00ff',
      'Sec-Fetch-Dest': 'x'.repeat(500),
    },
    'a forwarded host that does not parse': { 'X-Forwarded-Host': '[bad' },
    'a forwarded host of another site': { 'X-Forwarded-Host': 'evil.example' },
    'a forwarded protocol that is no protocol': { 'X-Forwarded-Proto': 'gopher://' },
    'a bearer token with a foreign Origin': {
      Authorization: 'Bearer forged',
      Origin: 'https://evil.example',
    },
    'an Accept-Language of nonsense': { 'Accept-Language': '*;q=x,,,;' },
    'a long cookie': { Cookie: `xm_session=${'a'.repeat(8000)}` },
  }
}

describe('hostile requests', () => {
  test('no header combination makes a page, a form post, a data request or a handshake fail with 500', async () => {
    const sets = hostileHeaderSets(server.baseUrl)
    const targets: { method: string; path: string; body?: string }[] = [
      { method: 'GET', path: '/' },
      { method: 'GET', path: '/results?page=2' },
      { method: 'GET', path: '/login' },
      { method: 'GET', path: '/?_data=root' },
      { method: 'GET', path: '/results?_data=routes%2Fresults._index' },
      { method: 'GET', path: '/?_data=%00' },
      { method: 'GET', path: '/_root.data' },
      { method: 'GET', path: '/results.data?_routes=routes%2Fresults._index' },
      { method: 'GET', path: '/no/such.data' },
      { method: 'POST', path: '/login.data', body: 'email=a%40b.cn&password=x' },
      { method: 'POST', path: '/login', body: 'email=a%40b.cn&password=x' },
      { method: 'POST', path: '/login?_data=routes%2Flogin', body: 'email=a%40b.cn&password=x' },
      { method: 'POST', path: '/logout', body: '' },
      { method: 'GET', path: '/socket.io/?EIO=4&transport=polling' },
      { method: 'POST', path: '/socket.io/?EIO=4&transport=polling&sid=nope', body: '40' },
    ]
    const failures: string[] = []
    for (const [label, headers] of Object.entries(sets)) {
      for (const target of targets) {
        const response = await rawRequest(server.port, {
          method: target.method,
          path: target.path,
          headers: {
            ...(target.body !== undefined
              ? { 'Content-Type': 'application/x-www-form-urlencoded' }
              : {}),
            ...headers,
          },
          body: target.body,
        })
        if (response.status >= 500) {
          failures.push(`${label}: ${target.method} ${target.path} → ${response.status}`)
        }
      }
    }
    expect(failures).toEqual([])
    expect((await fetch(`${server.baseUrl}/healthz`)).status).toBe(200)
  })

  test('WebSocket upgrades with hostile headers are refused or served, never fatal', async () => {
    const upgrade = (extra: string) =>
      rawExchange(
        server.port,
        [
          'GET /socket.io/?EIO=4&transport=websocket HTTP/1.1',
          `Host: 127.0.0.1:${server.port}`,
          'Connection: Upgrade',
          'Upgrade: websocket',
          'Sec-WebSocket-Version: 13',
          'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
          extra,
        ].join('\r\n') + '\r\n\r\n',
      )
    expect(await upgrade('Origin: null')).toMatch(/^HTTP\/1\.1 (400|403)/)
    expect(await upgrade('Origin: http://[bad')).toMatch(/^HTTP\/1\.1 (400|403)/)
    expect(await upgrade('Origin: https://evil.example')).toMatch(/^HTTP\/1\.1 (400|403)/)
    expect(await upgrade('Cookie: xm_session=%E0%A4%A')).toMatch(/^HTTP\/1\.1 101/)
    expect(await upgrade('Cookie: =;=;;')).toMatch(/^HTTP\/1\.1 101/)
    expect(await upgrade(`X-Filler: ${'a'.repeat(100)}`)).toMatch(/^HTTP\/1\.1 101/)
    // A handshake whose Host does not parse, and one that is not HTTP at all.
    expect(
      await rawExchange(
        server.port,
        'GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: [bad\r\nOrigin: http://[bad\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
      ),
    ).toMatch(/^HTTP\/1\.1 (400|403)/)
    expect(
      await rawExchange(server.port, '\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n'),
    ).toMatch(/^(HTTP\/1\.1 400|closed)/)
    expect((await fetch(`${server.baseUrl}/healthz`)).status).toBe(200)
  })

  test('oversized headers, absolute-form targets and broken percent-encoding are client errors', async () => {
    const huge = await rawExchange(
      server.port,
      `GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'a'.repeat(40_000)}\r\n\r\n`,
    )
    expect(huge).toMatch(/^HTTP\/1\.1 431/)
    const absolute = await rawExchange(
      server.port,
      `GET http://evil.example/ HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\n\r\n`,
    )
    expect(absolute).toMatch(/^HTTP\/1\.1 400/)
    const percent = await rawRequest(server.port, { path: '/results/%E0%A4%A' })
    expect(percent.status).toBeGreaterThanOrEqual(400)
    expect(percent.status).toBeLessThan(500)
    expect(percent.body).not.toMatch(/at .*\.js:\d+/) // no stack trace, ever
    const badHost = await rawRequest(server.port, { path: '/', headers: { Host: '[bad' } })
    expect(badHost.status).toBe(400)
    expect(badHost.body).toContain('Host 请求头无效')
    expect((await fetch(`${server.baseUrl}/`)).status).toBe(200)
  })
})

describe('one CSRF decision', () => {
  const form = 'email=a%40b.cn&password=x'
  const post = (headers: Record<string, string>) =>
    rawRequest(server.port, {
      method: 'POST',
      path: '/login',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
      body: form,
    })

  test('Origin: null with a same-origin Referer is refused with a reason, not an empty 500', async () => {
    const response = await post({ Origin: 'null', Referer: `${server.baseUrl}/login` })
    expect(response.status).toBe(403)
    expect(response.body).toContain('Origin: null')
  })

  test('a Bearer header earns no exemption on pages, with or without a foreign Origin', async () => {
    const foreign = await post({
      Authorization: 'Bearer xmk_forged',
      Origin: 'https://evil.example',
    })
    expect(foreign.status).toBe(403)
    expect(foreign.body).toContain('请求来源与本站不符')
    const bare = await post({ Authorization: 'Bearer xmk_forged' })
    expect(bare.status).toBe(403)
    expect(bare.body).toContain('请求缺少来源信息')
  })

  test('a forwarded host never makes Remix second-guess a same-origin post', async () => {
    const user = await createTestUser()
    const response = await rawRequest(server.port, {
      method: 'POST',
      path: '/login',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Origin: server.baseUrl,
        'X-Forwarded-Host': 'evil.example',
      },
      body: new URLSearchParams({ email: user.email, password: TEST_PASSWORD }).toString(),
    })
    expect(response.status).toBe(302)
  })
})

describe('request bodies', () => {
  test('a 20 MB login post is refused with 413 before Remix reads it, and memory stays flat', async () => {
    const before = process.memoryUsage().rss
    const chunk = new TextEncoder().encode('a'.repeat(1024 * 1024))
    let sent = 0
    // Streamed, so that the test itself does not hold the 20 MB either.
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('email=a%40b.cn&password=x&redirectTo=/'))
      },
      pull(controller) {
        if (sent >= 20) {
          controller.close()
          return
        }
        sent += 1
        controller.enqueue(chunk)
      },
    })
    const startedAt = Date.now()
    const response = await fetch(`${server.baseUrl}/login`, {
      method: 'POST',
      headers: { Origin: server.baseUrl, 'Content-Type': 'application/x-www-form-urlencoded' },
      body,
      duplex: 'half',
    } as RequestInit)
    const text = await response.text()
    expect(response.status).toBe(413)
    expect(text).toContain('提交的内容过大')
    expect(text.length).toBeLessThan(1000)
    expect(Date.now() - startedAt).toBeLessThan(5000)
    expect(process.memoryUsage().rss - before).toBeLessThan(60 * 1024 * 1024)
    expect((await fetch(`${server.baseUrl}/healthz`)).status).toBe(200)
  })

  test('a 20 MB form with its length declared, as browsers send it, gets the 413 at once', async () => {
    const startedAt = Date.now()
    const response = await fetch(`${server.baseUrl}/login`, {
      method: 'POST',
      headers: { Origin: server.baseUrl, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: Buffer.alloc(20 * 1024 * 1024, 'a'),
    })
    expect(response.status).toBe(413)
    expect(await response.text()).toContain('上限 2 MB')
    expect(Date.now() - startedAt).toBeLessThan(5000)
  })

  test('a declared Content-Length over the limit is refused without reading', async () => {
    const status = await rawExchange(
      server.port,
      `POST /login HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nOrigin: ${server.baseUrl}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 104857600\r\n\r\nemail=`,
    )
    expect(status).toMatch(/^HTTP\/1\.1 413/)
  })

  test('a long redirectTo within the limit is not echoed back', async () => {
    const redirectTo = `/${'a'.repeat(1024 * 1024)}`
    const response = await fetch(`${server.baseUrl}/login`, {
      method: 'POST',
      headers: { Origin: server.baseUrl, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email: 'nobody@example.com', password: 'wrong', redirectTo }),
    })
    const html = await response.text()
    expect(response.status).toBe(400)
    expect(html).toContain('邮箱或密码不正确')
    expect(html.length).toBeLessThan(100_000)
  })

  test('a compressed body is refused rather than inflated', async () => {
    const response = await rawRequest(server.port, {
      method: 'POST',
      path: '/login',
      headers: {
        Origin: server.baseUrl,
        'Content-Type': 'application/x-www-form-urlencoded',
        'Content-Encoding': 'gzip',
      },
      body: 'not really gzip',
    })
    expect(response.status).toBe(415)
    expect(response.body).toContain('内容编码')
  })
})
