import { Transform, type TransformCallback } from 'node:stream'

import {
  createReadableStreamFromReadable,
  type ActionFunctionArgs,
  type AppLoadContext,
  type EntryContext,
  type LoaderFunctionArgs,
  redirect,
} from '@remix-run/node'
import { isRouteErrorResponse, RemixServer } from '@remix-run/react'
import { isbot } from 'isbot'
import { renderToPipeableStream } from 'react-dom/server'

import { getDatabaseFailure } from './utils/db.server'
import { logger } from './utils/logger.server'
import { NonceProvider } from './utils/nonce'

const ABORT_DELAY_MS = 5_000
/** React 18's Fizz renderer writes HTML through reusable views of this many bytes. */
const REACT_VIEW_SIZE = 2048

/**
 * React 18.3's streaming renderer encodes text into a 2,048-byte view with
 * `TextEncoder.encodeInto`, which stops before a multi-byte character that does not fit; React
 * then flushes the whole view, unwritten tail included, so up to three NUL bytes land in the
 * page wherever a Chinese character straddles a view boundary (browsers show them as �).
 * Fixed upstream in facebook/react#26228, which 18.x never received. Only a full-size view can
 * carry such a tail, and React's HTML never ends a view with NUL otherwise, so those bytes
 * are cut here.
 */
function createNulTrimmingStream() {
  return new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      if (chunk.length !== REACT_VIEW_SIZE || chunk[chunk.length - 1] !== 0) {
        callback(null, chunk)
        return
      }
      let end = chunk.length
      while (end > chunk.length - 3 && chunk[end - 1] === 0) end -= 1
      callback(null, chunk.subarray(0, end))
    },
  })
}

function isClosedEarly(error: unknown) {
  return error instanceof Error && error.message === 'The destination stream closed early.'
}

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  // Bots get the whole page at once; browsers get it streamed as soon as the shell is ready.
  const readyEvent = isbot(request.headers.get('user-agent') ?? '') ? 'onAllReady' : 'onShellReady'
  const nonce = loadContext.cspNonce
  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false
    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={nonce}>
        <RemixServer
          context={remixContext}
          url={request.url}
          abortDelay={ABORT_DELAY_MS}
          nonce={nonce}
        />
      </NonceProvider>,
      {
        nonce,
        [readyEvent]() {
          shellRendered = true
          const body = createNulTrimmingStream()
          responseHeaders.set('Content-Type', 'text/html; charset=utf-8')
          resolve(
            new Response(createReadableStreamFromReadable(body), {
              headers: responseHeaders,
              status: responseStatusCode,
            }),
          )
          pipe(body)
        },
        onShellError(error: unknown) {
          reject(error)
        },
        onError(error: unknown) {
          responseStatusCode = 500
          // A visitor who closed the tab or a client that hung up is not a rendering error.
          if (request.signal.aborted || isClosedEarly(error)) return
          if (shellRendered) logger.error({ err: error }, '页面渲染出错')
        },
      },
    )
    setTimeout(abort, ABORT_DELAY_MS)
  })
}

/**
 * A client-side navigation (a `.data` request) whose loader found the database away or
 * saturated is turned into a redirect that reloads the document: the browser then shows the
 * HTTP layer's 503 page with its message, instead of a generic error inside the layout.
 */
export function handleDataRequest(
  response: Response,
  { request, context }: LoaderFunctionArgs | ActionFunctionArgs,
) {
  if (!context.databaseFailure) return response
  const url = new URL(request.url)
  url.pathname = url.pathname.replace(/\.data$/, '').replace(/^\/_root$/, '/')
  url.searchParams.delete('_data')
  url.searchParams.delete('_routes')
  return redirect(`${url.pathname}${url.search}`, {
    headers: { 'X-Remix-Reload-Document': 'true', 'Cache-Control': 'no-store' },
  })
}

/**
 * Every error a loader or action throws passes here. A database that is down or saturated is
 * not a bug: it is noted on the request's context, and the HTTP layer answers 503 with
 * Retry-After instead of the 500 Remix would send (app/server/http-server.server.ts).
 */
export function handleError(
  error: unknown,
  { request, context }: LoaderFunctionArgs | ActionFunctionArgs,
) {
  if (request.signal.aborted) return
  // Remix reports its own 4xx answers here too (a `?_data=` naming no route on the page),
  // and warns about every legacy `?_data=` request, which only old tabs and bots still send.
  if (isRouteErrorResponse(error) && error.status < 500) return
  if (error instanceof Error && error.message.includes('should not be making ?_data requests')) {
    return
  }
  const failure = getDatabaseFailure(error)
  if (failure) {
    context.databaseFailure = failure
    return
  }
  logger.error({ err: error, method: request.method, url: request.url }, '请求处理出错')
}
