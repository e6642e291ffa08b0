import { randomBytes } from 'node:crypto'
import http from 'node:http'
import os from 'node:os'

import { createRequestHandler, type AppLoadContext, type ServerBuild } from '@remix-run/node'
import compression from 'compression'
import express from 'express'
import helmet from 'helmet'
import { pinoHttp } from 'pino-http'

import { DOCUMENT_MAX_BYTES } from '~/domain/documents'
import { checkDatabase } from '~/models/health.server'
import { getSearchHost, startSearchHost, stopSearchHost } from '~/models/search.server'
import { startEventDispatcher } from '~/realtime/dispatcher.server'
import { useRedisAdapter } from '~/realtime/redis-adapter.server'
import { attachRealtime, getRealtimeStatus } from '~/realtime/socket.server'
import { getDatabaseFailure, type DatabaseFailure } from '~/utils/db.server'
import { logger } from '~/utils/logger.server'
import { checkRequestOrigin } from '~/utils/origin.server'
import { rateLimits } from '~/utils/rate-limit.server'

import { createPageCache, sendCachedPage } from './page-cache.server'
import { forgetSessionUsers, setSessionUserCaching } from './session-users.server'

declare module '@remix-run/node' {
  interface AppLoadContext {
    clientIp: string
    cspNonce: string
    /** Set by entry.server's handleError when a loader or action failed for that reason. */
    databaseFailure?: DatabaseFailure
  }
}

/**
 * The largest request body accepted. Forms here are text: the longest field (a result's
 * 20,000-character description) is under 200 KB even percent-encoded. Bulk data goes through
 * the CLI importer, never through a form.
 */
export const MAX_BODY_BYTES = 2 * 1024 * 1024
/** Contract documents are files: their form may carry one up to the document limit. */
export const MAX_UPLOAD_BODY_BYTES = DOCUMENT_MAX_BYTES + 256 * 1024
/** Uploads buffered at once; each holds up to MAX_UPLOAD_BODY_BYTES in memory. */
const MAX_UPLOADS_IN_FLIGHT = 8
/** The one form that posts a file: a deal's contract documents. */
const UPLOAD_PATH = /^\/deals\/[^/]+\/documents\/?$/

function isUpload(req: express.Request) {
  return req.method === 'POST' && UPLOAD_PATH.test(req.path)
}

function bodyLimitOf(req: express.Request) {
  return isUpload(req) ? MAX_UPLOAD_BODY_BYTES : MAX_BODY_BYTES
}
/**
 * Requests inside Remix at once. Far above what the pool serves in a few seconds (so a burst
 * of a few hundred visitors is queued, not refused), low enough that a flood is answered 503
 * before buffered bodies and pending queries exhaust the memory.
 */
const MAX_REQUESTS_IN_FLIGHT = 1000
/** How long the rest of a refused oversized body is read and dropped before hanging up. */
const OVERSIZED_DRAIN_MS = 5_000
const RETRY_AFTER_SECONDS: Record<DatabaseFailure, number> = { unavailable: 5, busy: 2 }

export interface HttpServerOptions {
  /** The Remix build, or a getter that returns the newest one during development. */
  build: ServerBuild | (() => Promise<ServerBuild>)
  mode: 'development' | 'production'
  trustProxy?: boolean
  /** Extra origins allowed to open sockets and load scripts (the dev live-reload server). */
  devOrigin?: string
  /**
   * A server already bound to its port (server.ts listens before anything else starts, so a
   * taken port is reported before a database is created); its request listeners are replaced.
   */
  httpServer?: http.Server
}

/**
 * Express + Remix + Socket.IO on one HTTP server, with the dispatcher that hands events
 * recorded by models to the sockets; the caller listens, then calls `close` to shut it down.
 */
export function createHttpServer(options: HttpServerOptions) {
  const app = express()
  app.disable('x-powered-by')
  if (options.trustProxy) app.set('trust proxy', 1)

  // Headers a client may send that would make Remix build a URL it cannot parse, or compare
  // Origin with a host other than the one checked below: refused or dropped up front.
  app.use((req, res, next) => {
    if (!options.trustProxy) {
      delete req.headers['x-forwarded-host']
      delete req.headers['x-forwarded-proto']
    }
    if (!req.originalUrl.startsWith('/') || !parseRequestUrl(req)) {
      sendText(res, 400, '请求地址或 Host 请求头无效。')
      return
    }
    next()
  })

  app.use(compression())
  app.use((_req, res, next) => {
    res.locals.cspNonce = randomBytes(16).toString('base64')
    next()
  })
  const devConnect = options.devOrigin
    ? [options.devOrigin, options.devOrigin.replace(/^http/, 'ws')]
    : []
  app.use(
    helmet({
      // Plain-HTTP installs on a LAN must still work; deployments behind TLS add HSTS at the proxy.
      strictTransportSecurity: false,
      // With no-referrer, browsers send `Origin: null` on plain form posts, which the CSRF
      // check below must refuse; this policy keeps the origin on same-site requests.
      referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
      crossOriginEmbedderPolicy: false,
      contentSecurityPolicy: {
        directives: {
          'default-src': ["'self'"],
          'script-src': [
            "'strict-dynamic'",
            "'self'",
            (_req, res) => `'nonce-${(res as express.Response).locals.cspNonce}'`,
          ],
          'connect-src': ["'self'", ...devConnect],
          'img-src': ["'self'", 'data:'],
          'style-src': ["'self'", "'unsafe-inline'"],
          'upgrade-insecure-requests': null,
        },
      },
    }),
  )

  // Static files come before the request log: a line per stylesheet and script is noise.
  // Only paths that name a file are looked for on disk: a stat per page view, failing with
  // an error object each time, cost signed-in pages 8 % of their time.
  app.use('/build', express.static('public/build', { immutable: true, maxAge: '1y' }))
  const servePublicFile = express.static('public', { maxAge: '1h' })
  app.use((req, res, next) => {
    if (FILE_PATH.test(req.path)) servePublicFile(req, res, next)
    else next()
  })

  app.use(
    pinoHttp({
      logger,
      // Method, path, status and time are what operators read; headers would leak cookies.
      serializers: {
        req: (req: { method: string; url: string }) => ({ method: req.method, url: req.url }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      autoLogging: { ignore: (req) => req.url === '/healthz' },
      // One line per page view is for LOG_LEVEL=debug; what is wrong is logged at error, and a
      // 503 while the database is away is reported once by whatever watches the database.
      customLogLevel: (_req, res, error) =>
        error || (res.statusCode >= 500 && res.statusCode !== 503) ? 'error' : 'debug',
    }),
  )

  app.get('/healthz', async (_req, res) => {
    const db = await checkDatabase()
    const realtime = getRealtimeStatus()
    const search = db
      ? await getSearchHost()
          ?.status()
          .catch(() => undefined)
      : undefined
    const healthy = db && search?.ok === true
    res.status(db ? 200 : 503).json({
      status: healthy ? 'ok' : 'degraded',
      db: db ? 'ok' : 'error',
      search: search ?? { ok: false },
      realtime,
    })
  })

  app.use(async (req, res, next) => {
    const verdict = checkRequestOrigin({
      method: req.method,
      origin: req.get('origin'),
      referer: req.get('referer'),
      fetchSite: req.get('sec-fetch-site'),
      protocol: req.protocol,
      host: comparedHost(req),
      cookielessApiCall: req.path.startsWith('/api/') && req.get('cookie') === undefined,
    })
    if (!verdict.ok) {
      sendText(res, 403, verdict.reason)
      return
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      try {
        const limit = await rateLimits.mutation.hit(req.ip ?? 'unknown')
        if (!limit.allowed) {
          res.set('Retry-After', String(limit.retryAfterSeconds))
          sendText(res, 429, '操作过于频繁，请稍后再试。')
          return
        }
      } catch (error) {
        next(error)
        return
      }
    }
    next()
  })

  // A body declared too big is refused before a byte of it is read. The answer goes out at
  // once; what the client is still sending is read and dropped for a moment, because closing
  // on unread data resets the connection and the client would never see the 413.
  app.use((req, res, next) => {
    const limit = bodyLimitOf(req)
    if (Number(req.get('content-length')) <= limit || !req.get('content-length')) {
      next()
      return
    }
    res.set('Connection', 'close')
    sendText(res, 413, tooLargeMessage(limit))
    req.resume()
    const drain = setTimeout(() => req.socket.destroy(), OVERSIZED_DRAIN_MS)
    drain.unref()
    req.once('end', () => clearTimeout(drain))
  })
  // Bodies are read here, with a cap, before Remix sees them: an unbounded body would be
  // buffered whole by request.formData(). Compressed bodies are refused rather than inflated.
  const readBody = express.raw({ type: () => true, limit: MAX_BODY_BYTES, inflate: false })
  const readUpload = express.raw({ type: () => true, limit: MAX_UPLOAD_BODY_BYTES, inflate: false })
  let uploadsInFlight = 0
  app.use((req, res, next) => {
    if (!isUpload(req)) return readBody(req, res, next)
    if (uploadsInFlight >= MAX_UPLOADS_IN_FLIGHT) {
      res.set('Retry-After', '5')
      sendText(res, 503, '同时上传的文件较多，请稍候几秒再试。')
      req.resume()
      return
    }
    uploadsInFlight += 1
    res.once('close', () => (uploadsInFlight -= 1))
    readUpload(req, res, next)
  })

  let inFlight = 0
  const handleRemixRequest = createRequestHandler(options.build, options.mode)
  // Development rebuilds change pages without any write, so only production caches them.
  const pageCache = options.mode === 'production' ? createPageCache() : undefined
  app.use(async (req, res, next) => {
    if (inFlight >= MAX_REQUESTS_IN_FLIGHT) {
      sendUnavailable(req, res, 'busy')
      return
    }
    inFlight += 1
    res.once('close', () => (inFlight -= 1))
    const nonce = String(res.locals.cspNonce)
    const context: AppLoadContext = { clientIp: req.ip ?? 'unknown', cspNonce: nonce }
    // A write through this process clears at once; the others hear of it from the dispatcher.
    if (req.method !== 'GET' && req.method !== 'HEAD') res.once('finish', forgetCachedAnswers)
    // Cached pages are only as fresh as the invalidations heard: none while not listening.
    const cacheKey = dispatcher.listening ? (pageCache?.keyOf(req) ?? null) : null
    const cached = cacheKey ? pageCache?.get(cacheKey) : undefined
    if (cached) {
      sendCachedPage(res, cached, nonce)
      return
    }
    try {
      const response = await handleRemixRequest(createRemixRequest(req, res), context)
      if (context.databaseFailure && response.status >= 500) {
        await response.body?.cancel()
        sendUnavailable(req, res, context.databaseFailure)
        return
      }
      const stored = cacheKey ? await pageCache?.store(cacheKey, response, nonce) : null
      if (stored) sendCachedPage(res, stored, nonce)
      else await sendRemixResponse(res, response)
    } catch (error) {
      next(error)
    }
  })

  // Last: whatever went wrong, the client gets a status and a Chinese sentence, never a stack.
  app.use(
    (error: unknown, req: express.Request, res: express.Response, _next: express.NextFunction) => {
      const failure = getDatabaseFailure(error)
      if (failure) {
        if (!res.headersSent) sendUnavailable(req, res, failure)
        return
      }
      const status = httpStatusOf(error)
      if (status >= 500) logger.error({ err: error, url: req.originalUrl }, '请求处理出错')
      if (res.headersSent) {
        res.destroy()
        return
      }
      if (status === 413) {
        res.set('Connection', 'close')
        sendText(res, status, tooLargeMessage(bodyLimitOf(req)))
        return
      }
      sendText(res, status, CLIENT_ERROR_MESSAGES[status] ?? '服务器内部错误，请稍后再试。')
    },
  )

  const httpServer = options.httpServer ?? http.createServer()
  httpServer.removeAllListeners('request')
  httpServer.on('request', app)
  const io = attachRealtime(httpServer)
  const redisUrl = process.env.REDIS_URL
  const redis = redisUrl ? useRedisAdapter(io, redisUrl) : undefined
  const databaseUrl = process.env.DATABASE_URL
  if (!databaseUrl) throw new Error('DATABASE_URL 未设置：数据库启动之前不能创建服务器')
  // What is remembered between requests is only as fresh as the changes heard: nothing is
  // kept while the dispatcher cannot hear them.
  const forgetCachedAnswers = () => {
    pageCache?.clear()
    forgetSessionUsers()
  }
  void startSearchHost({ threads: Math.min(2, os.availableParallelism()) })
  const dispatcher = startEventDispatcher(io, databaseUrl, {
    onEvent: (event) => {
      if (event.type === 'market:changed') {
        pageCache?.clear()
        // Listings were written: their search documents are in the outbox.
        getSearchHost()?.nudge()
      }
      if (event.type === 'accounts:changed') forgetSessionUsers()
      if (event.type === 'search:rebuilt') {
        getSearchHost()
          ?.reload()
          .catch((error: unknown) => logger.warn({ err: error }, '载入重建后的搜索索引失败'))
      }
    },
    onListening: (listening) => {
      pageCache?.clear()
      setSessionUserCaching(listening)
    },
  })
  const close = async () => {
    setSessionUserCaching(false)
    await dispatcher.stop()
    await stopSearchHost()
    io.close()
    await redis?.then((adapter) => adapter.close()).catch(() => {})
    if (httpServer.listening)
      await new Promise<void>((resolve) => httpServer.close(() => resolve()))
  }
  /** Resolves when what the server shares with other processes is connected (Redis). */
  const ready = redis ? redis.then(() => undefined) : Promise.resolve()
  return { app, httpServer, io, dispatcher, ready, close }
}

/** A path whose last segment has an extension (`/favicon.svg`); pages and ids have none. */
const FILE_PATH = /\.[a-z0-9]+$/i

const CLIENT_ERROR_MESSAGES: Record<number, string> = {
  400: '请求格式有误，无法处理。',
  415: '不支持该请求的内容编码。',
}

function tooLargeMessage(limit: number) {
  return `提交的内容过大（上限 ${Math.floor(limit / 1024 / 1024)} MB），未予处理。`
}

function httpStatusOf(error: unknown) {
  const status = (error as { status?: unknown; statusCode?: unknown } | null)?.status
  return typeof status === 'number' && status >= 400 && status < 600 ? status : 500
}

/**
 * The host Remix will put in the request URL and compare Origin with: the first
 * X-Forwarded-Host behind a trusted proxy (others are deleted above), else Host.
 */
function comparedHost(req: express.Request) {
  const forwarded = req.get('x-forwarded-host')?.split(',')[0]?.trim()
  return forwarded || req.get('host')
}

function parseRequestUrl(req: express.Request) {
  const host = comparedHost(req)
  if (!host) return undefined
  try {
    return new URL(`${req.protocol}://${host}${req.originalUrl}`)
  } catch {
    return undefined
  }
}

function createRemixRequest(req: express.Request, res: express.Response) {
  const url = parseRequestUrl(req)
  // The first middleware refused requests whose URL does not parse.
  if (!url) throw Object.assign(new Error('unparsable request URL'), { status: 400 })
  const headers = new Headers()
  for (const [key, value] of Object.entries(req.headers)) {
    if (value === undefined) continue
    for (const item of Array.isArray(value) ? value : [value]) headers.append(key, item)
  }
  const controller = new AbortController()
  // Abort loaders and actions once the response can no longer be written.
  res.on('close', () => {
    if (!res.writableFinished) controller.abort()
  })
  const body: unknown = req.body
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD' && Buffer.isBuffer(body)
  return new Request(url.href, {
    method: req.method,
    headers,
    signal: controller.signal,
    body: hasBody
      ? new Uint8Array(body.buffer as ArrayBuffer, body.byteOffset, body.byteLength)
      : undefined,
  })
}

async function sendRemixResponse(res: express.Response, response: Response) {
  res.statusMessage = response.statusText
  res.status(response.status)
  for (const [key, value] of response.headers.entries()) res.append(key, value)
  if (response.headers.get('Content-Type')?.match(/text\/event-stream/i)) res.flushHeaders()
  if (response.body) await writeBody(response.body, res)
  else res.end()
}

/**
 * Streams a body as Remix's writeReadableStreamToWritable does, but the pieces React emits
 * in one go (2 KB views, then the data scripts) leave in one packet rather than a system call
 * and a compression flush each: writes are corked until the event loop turns. What streams
 * later (deferred data) still leaves as soon as it is ready.
 */
async function writeBody(body: ReadableStream<Uint8Array>, res: express.Response) {
  const reader = body.getReader()
  let corked = false
  const release = () => {
    if (!corked) return
    corked = false
    ;(res as express.Response & { flush?: () => void }).flush?.()
    res.uncork()
  }
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      if (!corked) {
        corked = true
        res.cork()
        setImmediate(release)
      }
      if (!res.write(value)) await drainedOrClosed(res)
      // A client that hung up reads no more: stop rendering for it.
      if (res.destroyed) {
        await reader.cancel()
        return
      }
    }
    release()
    res.end()
  } catch (error) {
    res.destroy(error as Error)
    throw error
  }
}

/** A slow client's buffer emptied, or the client went away (then 'drain' never comes). */
function drainedOrClosed(res: express.Response) {
  return new Promise<void>((resolve) => {
    const done = () => {
      res.off('drain', done)
      res.off('close', done)
      resolve()
    }
    res.on('drain', done)
    res.on('close', done)
  })
}

function sendText(res: express.Response, status: number, text: string) {
  res.status(status).type('text/plain; charset=utf-8').send(text)
}

const UNAVAILABLE_TEXT: Record<DatabaseFailure, { title: string; detail: string }> = {
  unavailable: {
    title: '暂时无法访问，请稍后再试',
    detail: '平台的数据库暂时无法连接，正在自动恢复，通常几秒钟即可恢复。本页面会自动刷新。',
  },
  busy: {
    title: '暂时无法访问，请稍后再试',
    detail: '访问人数过多，服务器正忙。请稍候片刻，本页面会自动刷新。',
  },
}

/**
 * 503 with Retry-After. Data requests from the Remix client get the sentence as a caught
 * response, which the route's error boundary shows; page requests get a small page that
 * needs neither the database nor React, and reloads itself.
 */
function sendUnavailable(req: express.Request, res: express.Response, failure: DatabaseFailure) {
  const { title, detail } = UNAVAILABLE_TEXT[failure]
  const retryAfter = RETRY_AFTER_SECONDS[failure]
  res.status(503).set('Retry-After', String(retryAfter)).set('Cache-Control', 'no-store')
  if ('_data' in req.query) {
    res.set('X-Remix-Catch', 'yes')
    sendText(res, 503, title)
    return
  }
  res
    .type('text/html; charset=utf-8')
    .send(
      [
        '<!DOCTYPE html>',
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        `<meta http-equiv="refresh" content="${retryAfter * 2}">`,
        `<title>${title} · 西安科技大市场</title>`,
        '<style>body{font-family:system-ui,sans-serif;color:#1f2937;margin:0;display:grid;',
        'place-items:center;min-height:100vh;background:#f8fafc}main{max-width:32rem;',
        'padding:2rem;text-align:center}h1{font-size:1.5rem}a{color:#1d4ed8}</style>',
        '</head><body><main>',
        `<p>503</p><h1>${title}</h1><p>${detail}</p><p><a href="">重新加载</a></p>`,
        '</main></body></html>',
      ].join(''),
    )
}
