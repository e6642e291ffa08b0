import { pino, type DestinationStream, type LevelWithSilent } from 'pino'

import { getRuntimeNodeEnv } from './env.server'

const LEVEL_LABELS: Record<number, { label: string; color: string }> = {
  10: { label: '跟踪', color: '\x1b[90m' },
  20: { label: '调试', color: '\x1b[90m' },
  30: { label: '信息', color: '\x1b[36m' },
  40: { label: '警告', color: '\x1b[33m' },
  50: { label: '错误', color: '\x1b[31m' },
  60: { label: '致命', color: '\x1b[41m' },
}
const RESET = '\x1b[0m'
const OMITTED_KEYS = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'component', 'err'])

/**
 * Turns pino's JSON lines into one readable line each (`21:04:05 信息 [组件] 消息 key=value`),
 * with the stack of an error indented below; pino-pretty is not a dependency and this is all
 * development needs.
 */
export function formatReadableLine(line: string, options: { color: boolean }): string {
  let entry: Record<string, unknown>
  try {
    entry = JSON.parse(line) as Record<string, unknown>
  } catch {
    return line.endsWith('\n') ? line : `${line}\n`
  }
  const time = new Date(typeof entry.time === 'number' ? entry.time : Date.now())
  const clock = [time.getHours(), time.getMinutes(), time.getSeconds()]
    .map((part) => String(part).padStart(2, '0'))
    .join(':')
  const level = LEVEL_LABELS[Number(entry.level)] ?? { label: String(entry.level), color: '' }
  const label = options.color ? `${level.color}${level.label}${RESET}` : level.label
  const component = typeof entry.component === 'string' ? ` [${entry.component}]` : ''
  const fields = Object.entries(entry)
    .filter(([key, value]) => !OMITTED_KEYS.has(key) && value !== undefined)
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
  const message = [String(entry.msg ?? ''), ...fields].filter(Boolean).join(' ')
  let text = `${clock} ${label}${component} ${message}\n`
  const error = entry.err as { message?: string; stack?: string } | undefined
  if (error) {
    // A warning is something that recovers by itself: its reason is enough, the stack is not.
    const detail =
      (Number(entry.level) >= 50 ? error.stack : undefined) ??
      error.message ??
      JSON.stringify(error)
    text += `${detail
      .split('\n')
      .map((part) => `    ${part}`)
      .join('\n')}\n`
  }
  return text
}

function createReadableDestination(fd: 1 | 2): DestinationStream {
  const stream = fd === 2 ? process.stderr : process.stdout
  const color = stream.isTTY === true
  return { write: (line: string) => stream.write(formatReadableLine(line, { color })) }
}

const nodeEnv = getRuntimeNodeEnv()
const level = (process.env.LOG_LEVEL || (nodeEnv === 'test' ? 'silent' : 'info')) as LevelWithSilent
// The CLI prints its results on stdout, so its logs go to stderr.
const fd = process.env.LOG_DESTINATION === 'stderr' ? 2 : 1
// Operators' tools read JSON in production; people read the terminal everywhere else.
const readable =
  (process.env.LOG_FORMAT || (nodeEnv === 'production' ? 'json' : 'pretty')) === 'pretty'

/** The process-wide logger; secrets and cookies are redacted wherever they appear. */
export const logger = pino(
  {
    level,
    base: undefined,
    timestamp: readable ? pino.stdTimeFunctions.epochTime : pino.stdTimeFunctions.isoTime,
    redact: {
      paths: [
        'req.headers.cookie',
        'req.headers.authorization',
        'res.headers["set-cookie"]',
        'password',
        '*.password',
        'token',
        '*.token',
        'databaseUrl',
      ],
      censor: '[已隐藏]',
    },
  },
  readable ? createReadableDestination(fd) : pino.destination({ dest: fd, sync: true }),
)
