import { randomBytes } from 'node:crypto'
import http from 'node:http'

import { createRequestHandler } from '@remix-run/express'
import type { ServerBuild } from '@remix-run/node'
import compression from 'compression'
import express from 'express'
import helmet from 'helmet'
import { pinoHttp } from 'pino-http'

import { checkDatabase } from '~/models/health.server'
import { startEventDispatcher } from '~/realtime/dispatcher.server'
import { attachRealtime, getRealtimeStatus } from '~/realtime/socket.server'
import { logger } from '~/utils/logger.server'
import { checkRequestOrigin } from '~/utils/origin.server'
import { rateLimits } from '~/utils/rate-limit.server'

declare module '@remix-run/node' {
  interface AppLoadContext {
    clientIp: string
    cspNonce: string
  }
}

export interface HttpServerOptions {
  /** The Remix build, or a getter that returns the newest one during development. */
  build: ServerBuild | (() => Promise<ServerBuild>)
  mode: 'development' | 'production'
  trustProxy?: boolean
  /** Extra origins allowed to open sockets and load scripts (the dev live-reload server). */
  devOrigin?: string
}

/**
 * Express + Remix + Socket.IO on one HTTP server, with the dispatcher that hands events
 * recorded by models to the sockets; the caller listens, then calls `close` to shut it down.
 */
export function createHttpServer(options: HttpServerOptions) {
  const app = express()
  app.disable('x-powered-by')
  if (options.trustProxy) app.set('trust proxy', 1)

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
  app.use(
    pinoHttp({
      logger,
      // Method, path, status and time are what operators read; headers would leak cookies.
      serializers: {
        req: (req: { method: string; url: string }) => ({ method: req.method, url: req.url }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      autoLogging: {
        ignore: (req) => req.url === '/healthz' || req.url?.startsWith('/build/') === true,
      },
      customLogLevel: (_req, res, error) =>
        error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
    }),
  )

  app.use('/build', express.static('public/build', { immutable: true, maxAge: '1y' }))
  app.use(express.static('public', { maxAge: '1h' }))

  app.get('/healthz', async (_req, res) => {
    const db = await checkDatabase()
    const realtime = getRealtimeStatus()
    res
      .status(db ? 200 : 503)
      .json({ status: db ? 'ok' : 'degraded', db: db ? 'ok' : 'error', realtime })
  })

  app.use((req, res, next) => {
    const verdict = checkRequestOrigin({
      method: req.method,
      origin: req.get('origin'),
      referer: req.get('referer'),
      authorization: req.get('authorization'),
      fetchSite: req.get('sec-fetch-site'),
      selfOrigin: `${req.protocol}://${req.get('host')}`,
    })
    if (!verdict.ok) {
      res.status(403).type('text/plain; charset=utf-8').send(verdict.reason)
      return
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      const limit = rateLimits.mutation.hit(req.ip ?? 'unknown')
      if (!limit.allowed) {
        res
          .status(429)
          .set('Retry-After', String(limit.retryAfterSeconds))
          .type('text/plain; charset=utf-8')
          .send('操作过于频繁，请稍后再试。')
        return
      }
    }
    next()
  })

  app.all(
    '*',
    createRequestHandler({
      build: options.build,
      mode: options.mode,
      getLoadContext: (req, res) => ({
        clientIp: req.ip ?? 'unknown',
        cspNonce: String(res.locals.cspNonce),
      }),
    }),
  )

  const httpServer = http.createServer(app)
  const io = attachRealtime(httpServer)
  const databaseUrl = process.env.DATABASE_URL
  if (!databaseUrl) throw new Error('DATABASE_URL 未设置：数据库启动之前不能创建服务器')
  const dispatcher = startEventDispatcher(io, databaseUrl)
  const close = async () => {
    await dispatcher.stop()
    io.close()
    if (httpServer.listening)
      await new Promise<void>((resolve) => httpServer.close(() => resolve()))
  }
  return { app, httpServer, io, dispatcher, close }
}
