import { Form } from '@remix-run/react'
import {
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
  type FormEvent,
  type KeyboardEvent,
} from 'react'

import { MESSAGE_MAX_LENGTH } from '~/domain/deals'
import type { DealStatus } from '~/generated/prisma/enums'
import type { ChatMessage } from '~/realtime/events'
import { useDealRoom, useSocket, useSocketEvent } from '~/realtime/socket-context'
import { dealStatusLabels, formatDateTime } from '~/utils/labels'

import { ErrorList } from './forms'

/** The intent of the room's form when it is posted without a live connection. */
export const MESSAGE_INTENT = 'message'

const TYPING_SHOWN_MS = 4_000
const TYPING_SENT_EVERY_MS = 2_500
const READ_MARKED_EVERY_MS = 2_000

/** Messages from any source (page, live, catch-up) as one list: each once, in order. */
export function mergeMessages(current: ChatMessage[], incoming: ChatMessage[]) {
  if (incoming.length === 0) return current
  const byId = new Map(current.map((message) => [message.id, message]))
  for (const message of incoming) byId.set(message.id, message)
  return [...byId.values()].sort(
    (a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id),
  )
}

interface StatusNote {
  id: string
  createdAt: string
  fromStatus: DealStatus | null
  toStatus: DealStatus | null
  note: string | null
  actor: { displayName: string } | null
}

/**
 * 洽谈室: the parties and the broker talk here, live. What was said loads with the page and
 * pages back on request; a reconnecting browser fetches what it missed; moves of the deal
 * show in line with their notes. Without a live connection the form still posts.
 */
export function DealRoom({
  dealId,
  viewerId,
  initial,
  moves,
  failed,
}: {
  dealId: string
  viewerId: string
  initial: { messages: ChatMessage[]; hasMore: boolean; canSpeak: boolean }
  moves: StatusNote[]
  failed?: { error: string; body?: string }
}) {
  const socket = useSocket()
  const [messages, setMessages] = useState(initial.messages)
  const [hasMore, setHasMore] = useState(initial.hasMore)
  const [draft, setDraft] = useState(failed?.body ?? '')
  const [error, setError] = useState(failed?.error)
  const [busy, setBusy] = useState(false)
  // Set once the server has let this page into the room: live messages flow from then on.
  const [live, setLive] = useState(false)
  const [typing, setTyping] = useState<{ name: string; until: number } | null>(null)
  const listRef = useRef<HTMLDivElement>(null)
  const stickToBottom = useRef(true)
  const keepOffset = useRef<number | null>(null)
  const lastTypingSent = useRef(0)
  const lastReadSent = useRef(0)
  const latestId = useRef(messages.at(-1)?.id)
  useEffect(() => {
    latestId.current = messages.at(-1)?.id
  })

  // A revalidated page (after a move) brings the latest messages again: merge, never drop.
  const [pageMessages, setPageMessages] = useState(initial.messages)
  if (pageMessages !== initial.messages) {
    setPageMessages(initial.messages)
    setMessages(mergeMessages(messages, initial.messages))
  }

  const markRead = () => {
    if (!socket || !initial.canSpeak || document.visibilityState !== 'visible') return
    const now = Date.now()
    if (now - lastReadSent.current < READ_MARKED_EVERY_MS) return
    lastReadSent.current = now
    socket.emit('deal:read', dealId, () => {})
  }

  useDealRoom(dealId, () => {
    setLive(true)
    if (!socket) return
    const after = latestId.current
    socket.emit('deal:messages', after ? { dealId, after } : { dealId }, (reply) => {
      if (reply.ok) setMessages((current) => mergeMessages(current, reply.messages))
    })
  })

  useSocketEvent('deal:message', (message) => {
    if (message.dealId !== dealId) return
    const list = listRef.current
    stickToBottom.current = !list || list.scrollHeight - list.scrollTop - list.clientHeight < 80
    setMessages((current) => mergeMessages(current, [message]))
    if (message.sender.id !== viewerId) {
      setTyping(null)
      markRead()
    }
  })

  useSocketEvent('deal:typing', (payload) => {
    if (payload.dealId !== dealId || payload.userId === viewerId) return
    setTyping({ name: payload.name, until: Date.now() + TYPING_SHOWN_MS })
  })

  useEffect(() => {
    if (!typing) return
    const timer = setTimeout(() => setTyping(null), typing.until - Date.now())
    return () => clearTimeout(timer)
  }, [typing])

  useLayoutEffect(() => {
    const list = listRef.current
    if (!list) return
    if (keepOffset.current !== null) {
      list.scrollTop = list.scrollHeight - keepOffset.current
      keepOffset.current = null
    } else if (stickToBottom.current) {
      list.scrollTop = list.scrollHeight
    }
  }, [messages])

  const loadOlder = () => {
    const first = messages[0]
    if (!socket || !first) return
    socket.emit('deal:messages', { dealId, before: first.id }, (reply) => {
      if (!reply.ok) return setError(reply.error)
      const list = listRef.current
      keepOffset.current = list ? list.scrollHeight - list.scrollTop : null
      setMessages((current) => mergeMessages(current, reply.messages))
      setHasMore(reply.hasMore)
    })
  }

  const send = (event: FormEvent<HTMLFormElement>) => {
    // Without a live connection the form posts to the page's action instead.
    if (!socket?.connected) return
    event.preventDefault()
    if (busy) return
    setBusy(true)
    socket.emit('deal:send', { dealId, body: draft }, (reply) => {
      setBusy(false)
      if (!reply.ok) return setError(reply.error)
      setError(undefined)
      setDraft('')
      stickToBottom.current = true
      setMessages((current) => mergeMessages(current, [reply.message]))
    })
  }

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault()
      event.currentTarget.form?.requestSubmit()
    }
  }

  const onDraftChange = (value: string) => {
    setDraft(value)
    const now = Date.now()
    if (socket && value && now - lastTypingSent.current > TYPING_SENT_EVERY_MS) {
      lastTypingSent.current = now
      socket.emit('deal:typing', dealId)
    }
  }

  const entries = [
    ...messages.map((message) => ({ kind: 'message' as const, at: message.createdAt, message })),
    ...moves.flatMap((move) =>
      // Moves from a status to another, within the stretch of talk loaded so far.
      move.fromStatus &&
      move.toStatus &&
      move.toStatus !== move.fromStatus &&
      (!hasMore || !messages[0] || move.createdAt >= messages[0].createdAt)
        ? [{ kind: 'move' as const, at: move.createdAt, move, to: move.toStatus }]
        : [],
    ),
  ].sort((a, b) => a.at.localeCompare(b.at))

  return (
    <section className="card stack" aria-labelledby="room-title" data-live={live}>
      <h2 id="room-title">洽谈室</h2>
      {/* A scrolling region must be reachable by keyboard, to scroll it (WCAG 2.1.1). */}
      {/* eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex */}
      <div className="chat" ref={listRef} tabIndex={0} role="log" aria-label="洽谈消息">
        {hasMore ? (
          <button
            type="button"
            className="button button--ghost button--small chat__older"
            onClick={loadOlder}
          >
            加载更早的消息
          </button>
        ) : null}
        {entries.length === 0 ? <p className="empty">还没有消息。</p> : null}
        {entries.map((entry) =>
          entry.kind === 'message' ? (
            <article
              key={entry.message.id}
              className={
                entry.message.sender.id === viewerId
                  ? 'chat__message chat__message--own'
                  : 'chat__message'
              }
            >
              <header className="chat__meta">
                <strong>{entry.message.sender.name}</strong>{' '}
                <time dateTime={entry.message.createdAt}>
                  {formatDateTime(entry.message.createdAt)}
                </time>
              </header>
              <p className="chat__body">{entry.message.body}</p>
            </article>
          ) : (
            <p key={entry.move.id} className="chat__move">
              {entry.move.actor?.displayName ?? '系统'} 将合同推进到“{dealStatusLabels[entry.to]}”
              {entry.move.note ? `：${entry.move.note}` : ''}
            </p>
          ),
        )}
      </div>
      <p className="chat__typing muted" aria-live="polite">
        {typing ? `${typing.name} 正在输入…` : ''}
      </p>
      {initial.canSpeak ? (
        <Form method="post" className="stack" onSubmit={send}>
          <input type="hidden" name="intent" value={MESSAGE_INTENT} />
          <div className="field">
            <label htmlFor="message-body">消息</label>
            <textarea
              id="message-body"
              name="body"
              rows={3}
              required
              maxLength={MESSAGE_MAX_LENGTH}
              value={draft}
              onChange={(event) => onDraftChange(event.target.value)}
              onKeyDown={onKeyDown}
              aria-describedby="message-hint"
              aria-invalid={error ? true : undefined}
            />
          </div>
          <p id="message-hint" className="muted">
            Ctrl+Enter 发送 · {draft.length}/{MESSAGE_MAX_LENGTH}
          </p>
          {error ? <ErrorList errors={[error]} /> : null}
          <button type="submit" className="button" disabled={busy}>
            发送
          </button>
        </Form>
      ) : (
        <p className="muted">科技局可以查看洽谈记录，但不在洽谈室发言。</p>
      )}
    </section>
  )
}
