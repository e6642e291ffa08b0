// Deal-room delivery: 1,000 signed-in clients in 250 deal rooms (four to a room), messages
// sent through `deal:send` at a steady rate, on one server process and then on two that share
// rooms through Redis (clients alternate between them, so every room spans both). Prints the
// delivery latency p50/p99 of stored messages (written, announced through PostgreSQL, read
// back and emitted), messages/s and the servers' RSS. The baseline, measured in the same run
// on the same sockets, is the typing notice: Socket.IO relaying an event with no storage.
// Uses an embedded PostgreSQL in a temporary directory, or a throwaway database on
// DATABASE_URL's server when that is set.
//
//   npm run bench:realtime          (BENCH_SECONDS=10 BENCH_RATE=200 npm run bench:realtime)
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { readFileSync, readdirSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'

import pg from 'pg'
import { io as connect, type Socket } from 'socket.io-client'

import { freePort } from '../setup/processes'

const SECONDS = Number(process.env.BENCH_SECONDS ?? 20)
const RATE = Number(process.env.BENCH_RATE ?? 100)
const CLIENTS = 1_000
const ROOMS = 250
const WARM_UP_MS = 3_000
const TARGET_P99_MS = 100
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379'
const SESSION_SECRET = randomBytes(32).toString('hex')

function log(message: string) {
  process.stderr.write(`${message}\n`)
}

async function redisAnswers(url: string) {
  const { hostname, port } = new URL(url)
  return new Promise<boolean>((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port || 6379) })
    const answer = (up: boolean) => {
      socket.destroy()
      resolve(up)
    }
    socket.setTimeout(2_000)
    socket.once('connect', () => answer(true))
    socket.once('error', () => answer(false))
    socket.once('timeout', () => answer(false))
  })
}

/** A migrated database of our own: a throwaway one on DATABASE_URL's server, or embedded. */
async function benchDatabase(dataDir: string) {
  const { startDatabase } = await import('~/utils/database.server')
  const { applyMigrations } = await import('~/utils/migrate.server')
  const serverUrl = process.env.DATABASE_URL
  let drop = async () => {}
  let url: string | undefined
  if (serverUrl) {
    const name = `xm_bench_realtime_${randomBytes(4).toString('hex')}`
    const admin = new pg.Client({ connectionString: serverUrl })
    await admin.connect()
    await admin.query(`CREATE DATABASE "${name}"`)
    const parsed = new URL(serverUrl)
    parsed.pathname = `/${name}`
    url = parsed.toString()
    drop = async () => {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
      await admin.end()
    }
  }
  const running = await startDatabase({ databaseUrl: url, dataDir })
  await applyMigrations(running.url)
  return {
    url: running.url,
    label: serverUrl ? 'DATABASE_URL 所在服务器' : '嵌入式 PostgreSQL',
    stop: async () => {
      await running.stop()
      await drop()
    },
  }
}

interface Participant {
  userId: string
  dealId: string
  cookie: string
}

/** 250 deals, each between two organizations with two members apiece, all signed in. */
async function seedRooms(databaseUrl: string): Promise<Participant[]> {
  process.env.SESSION_SECRET = SESSION_SECRET
  const { authSessionStorage } = await import('~/utils/session.server')
  const db = new pg.Client({ connectionString: databaseUrl })
  await db.connect()
  const tag = randomBytes(3).toString('hex')
  const orgs = Array.from({ length: ROOMS * 2 }, (_, index) => ({
    id: `benchorg${tag}${index}`,
    name: `压测单位${tag}-${index}`,
    kind: index % 2 ? 'enterprise' : 'university',
  }))
  await db.query(
    `INSERT INTO "Organization" (id, name, kind, "regionCode", "updatedAt")
     SELECT o.id, o.name, o.kind::"OrgKind", '610113', now()
     FROM jsonb_to_recordset($1::jsonb) AS o(id text, name text, kind text)`,
    [JSON.stringify(orgs)],
  )
  const users = Array.from({ length: CLIENTS }, (_, index) => {
    const room = Math.floor(index / 4)
    const org = orgs[room * 2 + (index % 2)]!
    return {
      id: `benchuser${tag}${index}`,
      email: `bench-${tag}-${index}@example.com`,
      role: org.kind === 'university' ? 'researcher' : 'enterprise',
      orgId: org.id,
      room,
    }
  })
  await db.query(
    `INSERT INTO "User" (id, email, "passwordHash", "displayName", role, "orgId", membership,
                         "updatedAt")
     SELECT u.id, u.email, 'x', '压测用户', u.role::"Role", u."orgId", 'active', now()
     FROM jsonb_to_recordset($1::jsonb) AS u(id text, email text, role text, "orgId" text)`,
    [JSON.stringify(users)],
  )
  const deals = Array.from({ length: ROOMS }, (_, room) => ({
    id: `benchdeal${tag}${room}`,
    title: `压测洽谈 ${room}`,
    seller: orgs[room * 2]!.id,
    buyer: orgs[room * 2 + 1]!.id,
  }))
  await db.query(
    `INSERT INTO "Deal" (id, title, "sellerOrgId", "buyerOrgId", "updatedAt")
     SELECT d.id, d.title, d.seller, d.buyer, now()
     FROM jsonb_to_recordset($1::jsonb) AS d(id text, title text, seller text, buyer text)`,
    [JSON.stringify(deals)],
  )
  const sessions = users.map((user) => ({ id: `benchsession${tag}${user.id}`, userId: user.id }))
  await db.query(
    `INSERT INTO "Session" (id, "userId", "expiresAt", "updatedAt")
     SELECT s.id, s."userId", now() + interval '1 day', now()
     FROM jsonb_to_recordset($1::jsonb) AS s(id text, "userId" text)`,
    [JSON.stringify(sessions)],
  )
  await db.end()
  return Promise.all(
    users.map(async (user, index) => {
      const session = await authSessionStorage.getSession()
      session.set('sessionId', sessions[index]!.id)
      const cookie = (await authSessionStorage.commitSession(session)).split(';')[0]!
      return { userId: user.id, dealId: deals[user.room]!.id, cookie }
    }),
  )
}

interface Server {
  baseUrl: string
  child: ChildProcess
  stop(): Promise<void>
}

async function startServer(databaseUrl: string, redis: boolean): Promise<Server> {
  const port = await freePort()
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'xm-bench-realtime-node-'))
  const child = spawn(path.resolve('node_modules/.bin/tsx'), ['server.ts'], {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      DATABASE_URL: databaseUrl,
      DEMO_SEED: '0',
      WEB_CONCURRENCY: '1',
      SESSION_SECRET,
      LOG_LEVEL: 'warn',
      ...(redis ? { REDIS_URL } : {}),
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let output = ''
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const baseUrl = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 120_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`服务器启动失败：\n${output}`)
    const ready = await fetch(`${baseUrl}/healthz`).then(
      (response) => response.ok,
      () => false,
    )
    if (ready) break
    if (Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error(`服务器 120 秒内未就绪：\n${output}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  return {
    baseUrl,
    child,
    stop: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      await exited
      await rm(dataDir, { recursive: true, force: true })
    },
  }
}

/** Resident memory of a process and all its descendants (tsx runs the server in a child), MB. */
function treeRssMb(rootPid: number) {
  const children = new Map<number, number[]>()
  const rss = new Map<number, number>()
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const status = readFileSync(`/proc/${entry}/status`, 'utf8')
      const parent = Number(/PPid:\s+(\d+)/.exec(status)?.[1])
      const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0)
      rss.set(Number(entry), kb)
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)])
    } catch {
      // gone meanwhile
    }
  }
  let total = 0
  const visit = (pid: number) => {
    total += rss.get(pid) ?? 0
    for (const child of children.get(pid) ?? []) visit(child)
  }
  visit(rootPid)
  return total / 1024
}

function percentile(sorted: number[], p: number) {
  if (sorted.length === 0) return NaN
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!
}

interface Figures {
  setup: string
  sent: number
  delivered: number
  lost: number
  messageP50: number
  messageP99: number
  typingP50: number
  typingP99: number
  refused: number
  rssMb: number
}

type Ack = { ok: boolean; error?: string }

async function measure(setup: string, servers: Server[], participants: Participant[]) {
  const sockets: Socket[] = []
  // Connected in small batches: a thousand handshakes at once measure the handshake, not rooms.
  for (let start = 0; start < participants.length; start += 50) {
    const batch = participants.slice(start, start + 50)
    sockets.push(
      ...(await Promise.all(
        batch.map(
          (participant, offset) =>
            new Promise<Socket>((resolve, reject) => {
              const server = servers[(start + offset) % servers.length]!
              const socket = connect(server.baseUrl, {
                transports: ['websocket'],
                extraHeaders: { Cookie: participant.cookie },
                reconnection: false,
                forceNew: true,
              })
              socket.once('connect', () => resolve(socket))
              socket.once('connect_error', reject)
            }),
        ),
      )),
    )
  }
  const joins = await Promise.all(
    sockets.map(
      (socket, index) =>
        new Promise<Ack>((resolve) =>
          socket.emit('deal:join', participants[index]!.dealId, resolve),
        ),
    ),
  )
  const refusedJoins = joins.filter((reply) => !reply.ok)
  if (refusedJoins.length > 0) throw new Error(`有 ${refusedJoins.length} 个客户端未能进入洽谈室`)

  let recording = false
  const sentAt = new Map<string, { at: number; sender: number; recorded: boolean }>()
  const typingAt = new Map<string, number>()
  const messageLatencies: number[] = []
  const typingLatencies: number[] = []
  let sent = 0
  let refused = 0
  let expected = 0
  sockets.forEach((socket, index) => {
    socket.on('deal:message', (message: { body: string }) => {
      const probe = sentAt.get(message.body)
      if (!probe || probe.sender === index) return
      if (probe.recorded) messageLatencies.push(performance.now() - probe.at)
    })
    socket.on('deal:typing', (payload: { userId: string }) => {
      const at = typingAt.get(payload.userId)
      if (at !== undefined && recording) typingLatencies.push(performance.now() - at)
    })
  })
  let rssMb = 0
  const sampleRss = () => {
    const total = servers.reduce((sum, server) => sum + treeRssMb(server.child.pid!), 0)
    rssMb = Math.max(rssMb, total)
  }
  const rssTimer = setInterval(sampleRss, 1_000)

  const TICK_MS = 10
  let carry = 0
  let serial = 0
  const send = () => {
    carry += (RATE * TICK_MS) / 1_000
    while (carry >= 1) {
      carry -= 1
      const sender = Math.floor(Math.random() * sockets.length)
      const body = `压测消息 ${setup} ${serial++}`
      const at = performance.now()
      sentAt.set(body, { at, sender, recorded: recording })
      if (recording) {
        sent += 1
        expected += 3
      }
      const socket = sockets[sender]!
      if (recording) typingAt.set(participants[sender]!.userId, at)
      socket.emit('deal:typing', participants[sender]!.dealId)
      socket.emit('deal:send', { dealId: participants[sender]!.dealId, body }, (reply: Ack) => {
        if (!reply.ok) refused += 1
      })
    }
  }
  const ticker = setInterval(send, TICK_MS)
  await new Promise((resolve) => setTimeout(resolve, WARM_UP_MS))
  recording = true
  const started = performance.now()
  await new Promise((resolve) => setTimeout(resolve, SECONDS * 1_000))
  recording = false
  clearInterval(ticker)
  const elapsed = (performance.now() - started) / 1_000
  // Let what is in flight arrive before counting losses.
  await new Promise((resolve) => setTimeout(resolve, 2_000))
  clearInterval(rssTimer)
  sampleRss()
  for (const socket of sockets) socket.close()
  messageLatencies.sort((a, b) => a - b)
  typingLatencies.sort((a, b) => a - b)
  return {
    setup,
    sent: sent / elapsed,
    delivered: messageLatencies.length / elapsed,
    lost: Math.max(0, expected - messageLatencies.length),
    messageP50: percentile(messageLatencies, 50),
    messageP99: percentile(messageLatencies, 99),
    typingP50: percentile(typingLatencies, 50),
    typingP99: percentile(typingLatencies, 99),
    refused,
    rssMb,
  } satisfies Figures
}

async function main() {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'xm-bench-realtime-'))
  const database = await benchDatabase(dataDir)
  const figures: Figures[] = []
  try {
    log(
      `bench:realtime：${database.label}，${CLIENTS} 个客户端，${ROOMS} 个洽谈室，` +
        `每秒 ${RATE} 条消息，测 ${SECONDS} 秒（另加 ${WARM_UP_MS / 1_000} 秒预热），${os.cpus().length} 核`,
    )
    const participants = await seedRooms(database.url)
    const single = await startServer(database.url, false)
    try {
      figures.push(await measure('单进程', [single], participants))
    } finally {
      await single.stop()
    }
    if (await redisAnswers(REDIS_URL)) {
      const pair = [await startServer(database.url, true), await startServer(database.url, true)]
      try {
        figures.push(await measure('两进程 + Redis', pair, participants))
      } finally {
        await Promise.all(pair.map((server) => server.stop()))
      }
    } else {
      log(`未连上 Redis（${REDIS_URL}），两进程的测量已跳过；可用 BENCH_REDIS_URL 指定。`)
    }
  } finally {
    await database.stop()
    await rm(dataDir, { recursive: true, force: true })
  }
  const ms = (value: number) => (Number.isNaN(value) ? '—' : value.toFixed(1))
  const header = [
    '配置',
    '发送 条/秒',
    '送达 条/秒',
    '消息 p50 ms',
    '消息 p99 ms',
    '输入提示（基线）p50 ms',
    '输入提示 p99 ms',
    '未送达',
    '被拒',
    '服务器 RSS MB',
    '结论',
  ]
  const rows = figures.map((figure) => [
    figure.setup,
    figure.sent.toFixed(0),
    figure.delivered.toFixed(0),
    ms(figure.messageP50),
    ms(figure.messageP99),
    ms(figure.typingP50),
    ms(figure.typingP99),
    String(figure.lost),
    String(figure.refused),
    figure.rssMb.toFixed(0),
    figure.messageP99 <= TARGET_P99_MS && figure.lost === 0 && figure.refused === 0
      ? '达标'
      : '未达标',
  ])
  process.stdout.write(
    [header, ...rows].map((row) => `| ${row.join(' | ')} |`).join('\n') +
      `\n\n目标：${CLIENTS} 个客户端时消息送达 p99 ≤ ${TARGET_P99_MS} ms，没有丢失或被拒的消息。` +
      `送达按每条消息的另外三位参与方计。\n`,
  )
}

main().catch((error: unknown) => {
  log(error instanceof Error ? (error.stack ?? error.message) : String(error))
  process.exit(1)
})
