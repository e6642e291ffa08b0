import http from 'node:http'
import net, { type AddressInfo } from 'node:net'
import path from 'node:path'
import { pathToFileURL } from 'node:url'

import type { ServerBuild } from '@remix-run/node'
import { io as connect, type Socket } from 'socket.io-client'

import { createHttpServer } from '~/server/http-server.server'

export interface InProcessServer {
  baseUrl: string
  port: number
  close(): Promise<void>
}

/**
 * The real production bundle (as `npm test` builds it before running the suite) behind the
 * real Express/Socket.IO server, in this worker, on an ephemeral port and this worker's
 * database.
 */
export async function startInProcessServer(): Promise<InProcessServer> {
  const build = (await import(pathToFileURL(path.resolve('build/index.js')).href)) as ServerBuild
  const server = createHttpServer({ build, mode: 'production' })
  await Promise.all([server.dispatcher.ready, server.ready])
  await new Promise<void>((resolve) => server.httpServer.listen(0, '127.0.0.1', resolve))
  const port = (server.httpServer.address() as AddressInfo).port
  return { baseUrl: `http://127.0.0.1:${port}`, port, close: server.close }
}

/** Logs in through the login form as a browser would; returns the session cookie to send. */
export async function signInOverHttp(baseUrl: string, email: string, password: string) {
  const response = await fetch(`${baseUrl}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { Origin: baseUrl, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email, password }),
  })
  const cookie = response.headers.get('set-cookie')?.split(';')[0]
  if (response.status !== 302 || !cookie)
    throw new Error(`登录失败：${email}，状态 ${response.status}`)
  return cookie
}

/** A browser's socket: WebSocket only, with the session cookie if given, never reconnecting. */
export function openSocket(baseUrl: string, cookie?: string) {
  return new Promise<Socket>((resolve, reject) => {
    const socket = connect(baseUrl, {
      transports: ['websocket'],
      extraHeaders: cookie ? { Cookie: cookie } : {},
      reconnection: false,
    })
    socket.once('connect', () => resolve(socket))
    socket.once('connect_error', reject)
  })
}

export interface RawResponse {
  status: number
  headers: http.IncomingHttpHeaders
  body: string
}

/**
 * A request with exactly these headers, including ones fetch() refuses to set (Host, Origin,
 * Cookie, Sec-Fetch-*).
 */
export function rawRequest(
  port: number,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: string },
) {
  return new Promise<RawResponse>((resolve, reject) => {
    const request = http.request({
      host: '127.0.0.1',
      port,
      method: options.method ?? 'GET',
      path: options.path,
      headers: options.headers,
      setHost: !options.headers || !Object.keys(options.headers).some((h) => /^host$/i.test(h)),
    })
    request.on('response', (response) => {
      let body = ''
      response.setEncoding('utf8')
      response.on('data', (chunk: string) => (body += chunk))
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body }),
      )
    })
    request.on('error', reject)
    request.end(options.body)
  })
}

/**
 * Bytes written as they are to a fresh connection; resolves with the status line of the
 * answer (or `closed` when the server hung up without one).
 */
export function rawExchange(port: number, text: string, timeoutMs = 3000) {
  return new Promise<string>((resolve) => {
    const socket = net.connect(port, '127.0.0.1')
    let received = ''
    const finish = () => {
      socket.destroy()
      resolve(received.split('\r\n')[0] || 'closed')
    }
    socket.setTimeout(timeoutMs, finish)
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1')
      if (received.includes('\r\n')) finish()
    })
    socket.on('error', finish)
    socket.on('close', finish)
    socket.write(text)
  })
}
